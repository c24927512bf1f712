package clawcheck.rules.oc251_test

import data.clawcheck.rules.oc251
import rego.v1

real(path) := {"posture": {"real": true, "hooks": {"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"}, "path": {"present": true, "value": path, "pointer": "/hooks/path"}}}}

test_fires if {
	fs := oc251.deny with input as real(" / ")
	count(fs) == 1
	some f in fs
	f.pointer == "/hooks/path"
}

test_passes if {
	count(oc251.deny) == 0 with input as real("/hooks")
}
