package clawcheck.rules.oc238_test

import data.clawcheck.rules.oc238
import rego.v1

field(present, value, pointer) := {"present": present, "value": value, "pointer": pointer}

gw(exposed, enabled, proxies) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"present": true,
	"pointer": "/gateway",
	"exposed": exposed,
	"control_ui": {"enabled": field(enabled != null, enabled, "/gateway/controlUi/enabled")},
	"trusted_proxies": field(proxies != null, proxies, "/gateway/trustedProxies"),
}}}

test_fires_loopback_without_trusted_proxies if {
	fs := oc238.deny with input as gw(false, null, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC238"
	f.pointer == "/gateway/trustedProxies"
	not f.severity
	contains(f.message, "while the Control UI is served on loopback")
}

test_fires_loopback_with_empty_trusted_proxies if {
	fs := oc238.deny with input as gw(false, true, [])
	some f in fs
	f.rule == "OC238"
	f.pointer == "/gateway/trustedProxies"
}

test_passes_loopback_with_trusted_proxies if {
	count(oc238.deny) == 0 with input as gw(false, true, ["127.0.0.1"])
}

test_passes_exposed_without_trusted_proxies if {
	count(oc238.deny) == 0 with input as gw(true, null, null)
}

test_passes_control_ui_disabled if {
	count(oc238.deny) == 0 with input as gw(false, false, null)
}

# No `gateway` section: OpenClaw's defaults (loopback, Control UI on), as
# its audit judges them.
test_fires_without_gateway_section if {
	inp := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": object.union(gw(false, null, null).posture.gateway, {"present": false})}}
	count(oc238.deny) == 1 with input as inp
}
