package clawcheck.rules.oc250

import rego.v1

# OC250: hooks.token is the gateway's shared secret.
# `openclaw security audit`: hooks.token_reuse_gateway_token (critical).
deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	k := h.token.reuses_gateway
	k != null
	f := {
		"rule": "OC250",
		"pointer": h.token.pointer,
		"fix": {"secret_ref": "template", "applicability": "unsafe", "reason": "gives hooks their own token from an environment variable, which must then hold a new random secret"},
		"message": sprintf("`hooks.token` is the same secret as `gateway.auth.%s`: whoever holds the webhook token drives the whole Gateway API", [k]),
	}
}
