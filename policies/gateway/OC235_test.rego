package clawcheck.rules.oc235_test

import data.clawcheck.rules.oc235
import rego.v1

gw(v) := gw_bind(v, null)

gw_bind(v, bind) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"bind": {"present": bind != null, "value": bind, "pointer": "/gateway/bind"},
	"control_ui": {"host_header_fallback": {
		"present": v != null,
		"value": v,
		"pointer": "/gateway/controlUi/dangerouslyAllowHostHeaderOriginFallback",
	}},
}}}

test_fires_host_header_fallback if {
	fs := oc235.deny with input as gw(true)
	count(fs) == 1
	some f in fs
	f.rule == "OC235"
	f.pointer == "/gateway/controlUi/dangerouslyAllowHostHeaderOriginFallback"
	f.severity == "warning"
	contains(f.message, "DNS-rebinding protection off")
}

test_fires_as_an_error_beyond_loopback if {
	some f in oc235.deny with input as gw_bind(true, "lan")
	f.severity == "error"
}

test_fires_as_a_warning_on_loopback if {
	some f in oc235.deny with input as gw_bind(true, "loopback")
	f.severity == "warning"
}

test_passes_host_header_fallback_false if {
	count(oc235.deny) == 0 with input as gw(false)
}

test_passes_host_header_fallback_absent if {
	count(oc235.deny) == 0 with input as gw(null)
}
