package clawcheck.rules.oc254_test

import data.clawcheck.rules.oc254
import rego.v1

real(allow, prefixes, exposed) := {"posture": {"real": true, "gateway": {"remote_exposure": exposed}, "hooks": {
	"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"},
	"allow_request_session_key": {"present": true, "value": allow, "pointer": "/hooks/allowRequestSessionKey"},
	"session_key_prefix_count": prefixes,
}}}

test_fires_exposed_error if {
	fs := oc254.deny with input as real(true, 0, true)
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.pointer == "/hooks/allowRequestSessionKey"
	f.message == "`hooks.allowRequestSessionKey: true` lets webhook callers choose the session key and `hooks.allowedSessionKeyPrefixes` is empty, so any session key is accepted while the gateway is reachable beyond loopback"
}

test_fires_loopback_warning if {
	some f in oc254.deny with input as real(true, 2, false)
	f.severity == "warning"
	contains(f.message, "restricted to 2 prefixes")
}

test_passes if {
	count(oc254.deny) == 0 with input as real(false, 0, true)
}
