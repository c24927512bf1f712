package clawcheck.rules.oc235_test

import data.clawcheck.rules.oc235
import rego.v1

gw(v) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {"control_ui": {"host_header_fallback": {
	"present": v != null,
	"value": v,
	"pointer": "/gateway/controlUi/dangerouslyAllowHostHeaderOriginFallback",
}}}}}

test_fires_host_header_fallback if {
	fs := oc235.deny with input as gw(true)
	count(fs) == 1
	some f in fs
	f.rule == "OC235"
	f.pointer == "/gateway/controlUi/dangerouslyAllowHostHeaderOriginFallback"
	not f.severity
	contains(f.message, "DNS-rebinding protection off")
}

test_passes_host_header_fallback_false if {
	count(oc235.deny) == 0 with input as gw(false)
}

test_passes_host_header_fallback_absent if {
	count(oc235.deny) == 0 with input as gw(null)
}
