package clawcheck.rules.oc250_test

import data.clawcheck.rules.oc250
import rego.v1

real(enabled, reuse) := {"posture": {"real": true, "hooks": {"enabled": {"present": true, "value": enabled, "pointer": "/hooks/enabled"}, "token": {"pointer": "/hooks/token", "reuses_gateway": reuse}}}}

test_fires if {
	fs := oc250.deny with input as real(true, "token")
	count(fs) == 1
	some f in fs
	f.pointer == "/hooks/token"
	f.message == "`hooks.token` is the same secret as `gateway.auth.token`: whoever holds the webhook token drives the whole Gateway API"
}

test_passes if {
	count(oc250.deny) == 0 with input as real(true, null)
	count(oc250.deny) == 0 with input as real(false, "password")
}
