package clawcheck.rules.oc253_test

import data.clawcheck.rules.oc253
import rego.v1

real(kind) := {"posture": {"real": true, "hooks": {"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"}, "token": {"pointer": "/hooks/token", "kind": kind, "shown": "c2…[32 chars]"}}}}

test_fires if {
	fs := oc253.deny with input as real("literal")
	count(fs) == 1
	some f in fs
	f.message == "`hooks.token` is a literal in the config (c2…[32 chars]); OpenClaw's secrets audit does not cover this field"
}

test_passes if {
	count(oc253.deny) == 0 with input as real("env-template")
}
