package clawcheck.rules.oc255_test

import data.clawcheck.rules.oc255
import rego.v1

real(key) := {"posture": {"real": true, "hooks": {
	"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"},
	"default_session_key": {"present": key != null, "value": key, "pointer": "/hooks/defaultSessionKey"},
}}}

test_fires if {
	fs := oc255.deny with input as real(null)
	count(fs) == 1
	some f in fs
	f.pointer == "/hooks/defaultSessionKey"
	count(oc255.deny) == 1 with input as real(" ")
}

test_passes if {
	count(oc255.deny) == 0 with input as real("hook:ingress")
}
