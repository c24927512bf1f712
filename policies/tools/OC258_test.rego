package clawcheck.rules.oc258_test

import data.clawcheck.rules.oc258
import rego.v1

real(n, wildcard, enabled) := {"posture": {"real": true, "elevated": [{
	"scope": "tools",
	"channel": "telegram",
	"pointer": "/tools/elevated/allowFrom/telegram",
	"wildcard": wildcard,
	"count": n,
	"enabled": {"present": enabled != null, "value": enabled, "pointer": "/tools/elevated/enabled"},
}]}}

test_fires if {
	fs := oc258.deny with input as real(26, false, null)
	count(fs) == 1
	some f in fs
	f.message == "elevated tools are allowed from 26 senders on telegram (tools): more than 25 people may run tools outside the sandbox"
}

test_passes if {
	count(oc258.deny) == 0 with input as real(25, false, true)
	count(oc258.deny) == 0 with input as real(30, true, true)
	count(oc258.deny) == 0 with input as real(30, false, false)
}
