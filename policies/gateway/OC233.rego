package clawcheck.rules.oc233

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC233: no rate limit on an exposed gateway.
deny contains f if {
	input.posture.real
	oc.g.exposed
	not oc.g.auth.rate_limit.present
	f := {
		"rule": "OC233",
		"pointer": oc.g.auth.rate_limit.pointer,
		"fix": {"set": {"maxAttempts": 10, "windowMs": 60000, "lockoutMs": 300000}, "applicability": "safe", "reason": "adds a conservative rate limit (10 attempts a minute, 5 minutes lockout): only repeated failed logins are slowed"},
		"message": sprintf("`gateway.auth.rateLimit` is absent while %s: no brute-force throttling", [oc.bind_text]),
	}
}
