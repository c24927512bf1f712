package clawcheck.rules.oc264

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC264: trusted-proxy authentication set up so that it rejects everyone, or
# trusts more than the proxy's authenticated users. `openclaw security audit`:
# gateway.trusted_proxy_no_proxies, _no_user_header,
# _device_auto_approve_admin (critical), _allow_loopback,
# _device_auto_approve, _no_allowlist (warn). gateway.trusted_proxy_auth
# (critical on every trusted-proxy config, a reminder to verify the proxy) has
# no counterpart: see docs/openclaw.md.
tp := data.clawcheck.lib.openclaw.g.auth.trusted_proxy

cfg := tp.value if is_object(tp.value)

cfg := {} if not is_object(tp.value)

at(key) := sprintf("%s/%s", [tp.pointer, key])

problems contains ["error", data.clawcheck.lib.openclaw.g.trusted_proxies.pointer, "no `gateway.trustedProxies` is listed: every request is rejected"] if {
	oc.empty_list(data.clawcheck.lib.openclaw.g.trusted_proxies)
}

problems contains ["error", at("userHeader"), "no `trustedProxy.userHeader` names the header carrying the authenticated user"] if {
	not non_empty_string(cfg.userHeader)
}

problems contains ["warning", at("allowLoopback"), "`trustedProxy.allowLoopback: true` lets any same-host process that reaches the port act as the proxy"] if {
	cfg.allowLoopback == true
}

problems contains ["warning", at("deviceAutoApprove"), "`trustedProxy.deviceAutoApprove.enabled: true` pairs new operator devices on the proxy's word alone"] if {
	cfg.deviceAutoApprove.enabled == true
}

problems contains ["error", at("deviceAutoApprove"), "`trustedProxy.deviceAutoApprove.scopes` grants `operator.admin`: every proxy-authenticated user can pair a full-admin device"] if {
	cfg.deviceAutoApprove.enabled == true
	some s in cfg.deviceAutoApprove.scopes
	is_string(s)
	trim_space(s) == "operator.admin"
}

problems contains ["warning", at("allowUsers"), "`trustedProxy.allowUsers` is empty: every user the proxy authenticates reaches the gateway"] if {
	count(object.get(cfg, "allowUsers", [])) == 0
}

non_empty_string(s) if {
	is_string(s)
	trim_space(s) != ""
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.auth.mode.value == "trusted-proxy"
	some [severity, pointer, why] in problems
	f := {
		"rule": "OC264",
		"severity": severity,
		"pointer": pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "configure the proxy's addresses, user header and allowed users for your proxy"},
		"message": sprintf("`gateway.auth.mode: \"trusted-proxy\"`: %s", [why]),
	}
}
