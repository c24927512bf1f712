package clawcheck.rules.oc232_test

import data.clawcheck.rules.oc232
import rego.v1

field(present, value, pointer) := {"present": present, "value": value, "pointer": pointer}

# bind: null for an absent `gateway.bind`; origins: null for absent.
gw(bind, exposed, funnel, enabled, origins) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"present": true,
	"pointer": "/gateway",
	"bind": field(bind != null, bind, "/gateway/bind"),
	"exposed": exposed,
	"funnel": funnel,
	"control_ui": {
		"enabled": field(enabled != null, enabled, "/gateway/controlUi/enabled"),
		"allowed_origins": field(origins != null, origins, "/gateway/controlUi/allowedOrigins"),
	},
}}}

test_fires_wildcard_origin_while_exposed_as_error if {
	fs := oc232.deny with input as gw("lan", true, false, null, ["*"])
	count(fs) == 1
	some f in fs
	f.rule == "OC232"
	f.severity == "error"
	f.pointer == "/gateway/controlUi/allowedOrigins"
	f.message == "`gateway.controlUi.allowedOrigins` contains `\"*\"` while exposed (`gateway.bind: \"lan\"`): any web origin may drive the Control UI/WebChat"
}

test_fires_wildcard_origin_under_funnel_as_error if {
	fs := oc232.deny with input as gw("loopback", false, true, true, ["https://a.example", "*"])
	count(fs) == 1
	some f in fs
	f.severity == "error"
	contains(f.message, "contains `\"*\"` while exposed (Tailscale Funnel):")
}

test_fires_wildcard_origin_on_loopback_as_warning if {
	fs := oc232.deny with input as gw(null, false, false, null, ["*"])
	count(fs) == 1
	some f in fs
	f.rule == "OC232"
	f.severity == "warning"
	f.pointer == "/gateway/controlUi/allowedOrigins"
	contains(f.message, "contains `\"*\"` (loopback only): any web origin")
}

test_fires_exposed_without_origins if {
	fs := oc232.deny with input as gw("tailnet", true, false, true, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC232"
	not f.severity
	f.pointer == "/gateway/controlUi/allowedOrigins"
	contains(f.message, "the Control UI is served while `gateway.bind: \"tailnet\"` without `gateway.controlUi.allowedOrigins`")
}

test_fires_exposed_with_null_origins if {
	inp := object.union(gw("lan", true, false, null, null), {"posture": {"gateway": {"control_ui": {"allowed_origins": {"present": true}}}}})
	fs := oc232.deny with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "without `gateway.controlUi.allowedOrigins`")
}

test_fires_exposed_with_empty_origins if {
	fs := oc232.deny with input as gw("lan", true, false, null, [])
	count(fs) == 1
	some f in fs
	contains(f.message, "without `gateway.controlUi.allowedOrigins`")
}

test_passes_exposed_with_listed_origins if {
	count(oc232.deny) == 0 with input as gw("lan", true, false, true, ["https://claw.example"])
}

test_passes_wildcard_with_control_ui_disabled if {
	count(oc232.deny) == 0 with input as gw("lan", true, false, false, ["*"])
}

test_passes_loopback_without_origins if {
	count(oc232.deny) == 0 with input as gw("loopback", false, false, null, null)
}
