package clawcheck.rules.oc233_test

import data.clawcheck.rules.oc233
import rego.v1

gw(bind, exposed, rate_limit) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"bind": {"present": true, "value": bind, "pointer": "/gateway/bind"},
	"exposed": exposed,
	"auth": {"pointer": "/gateway/auth", "rate_limit": {"present": rate_limit != null, "value": rate_limit, "pointer": "/gateway/auth/rateLimit"}},
}}}

test_fires_exposed_without_rate_limit if {
	fs := oc233.deny with input as gw("lan", true, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC233"
	f.pointer == "/gateway/auth/rateLimit"
	not f.severity
	f.message == "`gateway.auth.rateLimit` is absent while `gateway.bind: \"lan\"`: no brute-force throttling"
}

test_passes_exposed_with_rate_limit if {
	count(oc233.deny) == 0 with input as gw("lan", true, {"maxAttempts": 10})
}

test_passes_loopback_without_rate_limit if {
	count(oc233.deny) == 0 with input as gw("loopback", false, null)
}

test_passes_trusted_proxy_mode_without_rate_limit if {
	inp := object.union(gw("lan", true, null), {"posture": {"gateway": {"effective_auth_mode": "trusted-proxy"}}})
	count(oc233.deny) == 0 with input as inp
}

test_fires_token_mode_without_rate_limit if {
	inp := object.union(gw("lan", true, null), {"posture": {"gateway": {"effective_auth_mode": "token"}}})
	count(oc233.deny) == 1 with input as inp
}
