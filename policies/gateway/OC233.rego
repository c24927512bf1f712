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
		"message": sprintf("`gateway.auth.rateLimit` is absent while %s: no brute-force throttling", [oc.bind_text]),
	}
}
