package clawcheck.rules.oc264_test

import data.clawcheck.rules.oc264
import rego.v1

cfg(mode, proxies, tp) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"trusted_proxies": {"present": proxies != null, "value": proxies, "pointer": "/gateway/trustedProxies"},
	"auth": {
		"mode": {"present": true, "value": mode, "pointer": "/gateway/auth/mode"},
		"trusted_proxy": {"present": tp != null, "value": tp, "pointer": "/gateway/auth/trustedProxy"},
	},
}}}

good := {"userHeader": "x-forwarded-user", "allowUsers": ["ops@example.com"]}

test_passes_a_complete_setup if {
	count(oc264.deny) == 0 with input as cfg("trusted-proxy", ["10.0.0.5"], good)
}

test_passes_other_modes if {
	count(oc264.deny) == 0 with input as cfg("token", null, null)
}

test_no_proxies_no_header_no_allowlist if {
	fs := oc264.deny with input as cfg("trusted-proxy", [], null)
	{[f.severity, f.pointer] | some f in fs} == {
		["error", "/gateway/trustedProxies"],
		["error", "/gateway/auth/trustedProxy/userHeader"],
		["warning", "/gateway/auth/trustedProxy/allowUsers"],
	}
	some f in fs
	f.rule == "OC264"
	startswith(f.message, "`gateway.auth.mode: \"trusted-proxy\"`: ")
}

test_loopback_and_auto_approve_admin if {
	tp := object.union(good, {"allowLoopback": true, "deviceAutoApprove": {"enabled": true, "scopes": ["operator.read", " operator.admin"]}})
	fs := oc264.deny with input as cfg("trusted-proxy", ["127.0.0.1"], tp)
	{[f.severity, f.pointer] | some f in fs} == {
		["warning", "/gateway/auth/trustedProxy/allowLoopback"],
		["warning", "/gateway/auth/trustedProxy/deviceAutoApprove"],
		["error", "/gateway/auth/trustedProxy/deviceAutoApprove"],
	}
}

test_auto_approve_without_admin_is_a_warning_only if {
	tp := object.union(good, {"deviceAutoApprove": {"enabled": true, "scopes": ["operator.read"]}})
	fs := oc264.deny with input as cfg("trusted-proxy", ["10.0.0.5"], tp)
	{f.severity | some f in fs} == {"warning"}
}
