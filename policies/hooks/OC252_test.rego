package clawcheck.rules.oc252_test

import data.clawcheck.rules.oc252
import rego.v1

real(kind, length, placeholder) := {"posture": {"real": true, "hooks": {"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"}, "token": {"pointer": "/hooks/token", "kind": kind, "length": length, "shown": "ho…[7 chars]", "placeholder": placeholder}}}}

test_fires_short if {
	fs := oc252.deny with input as real("literal", 7, false)
	count(fs) == 1
	some f in fs
	f.message == "`hooks.token` is 7 characters (ho…[7 chars]), under 24: a guessable webhook token"
}

test_fires_placeholder if {
	some f in oc252.deny with input as real("literal", 30, true)
	contains(f.message, "placeholder")
}

test_passes if {
	count(oc252.deny) == 0 with input as real("literal", 32, false)
	count(oc252.deny) == 0 with input as real("env-template", 5, false)
}
