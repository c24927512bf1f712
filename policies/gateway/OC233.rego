package clawcheck.rules.oc233

import rego.v1

# OC233: no rate limit on an exposed gateway. In trusted-proxy mode the
# proxy authenticates, and OpenClaw's audit does not ask for one either.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.exposed
	not data.clawcheck.lib.openclaw.g.auth.rate_limit.present
	not data.clawcheck.lib.openclaw.g.effective_auth_mode == "trusted-proxy"
	f := {
		"rule": "OC233",
		"pointer": data.clawcheck.lib.openclaw.g.auth.rate_limit.pointer,
		"fix": {"set": {"maxAttempts": 10, "windowMs": 60000, "lockoutMs": 300000}, "applicability": "safe", "reason": "adds a conservative rate limit (10 attempts a minute, 5 minutes lockout): only repeated failed logins are slowed"},
		"message": sprintf("`gateway.auth.rateLimit` is absent while %s: no brute-force throttling", [data.clawcheck.lib.openclaw.bind_text]),
	}
}
