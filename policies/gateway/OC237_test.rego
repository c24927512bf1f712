package clawcheck.rules.oc237_test

import data.clawcheck.rules.oc237
import rego.v1

gw(v) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {"real_ip_fallback": {
	"present": v != null,
	"value": v,
	"pointer": "/gateway/allowRealIpFallback",
}}}}

test_fires_real_ip_fallback if {
	fs := oc237.deny with input as gw(true)
	count(fs) == 1
	some f in fs
	f.rule == "OC237"
	f.pointer == "/gateway/allowRealIpFallback"
	not f.severity
	contains(f.message, "taken from X-Real-IP")
}

test_passes_real_ip_fallback_false if {
	count(oc237.deny) == 0 with input as gw(false)
}

test_passes_real_ip_fallback_absent if {
	count(oc237.deny) == 0 with input as gw(null)
}
