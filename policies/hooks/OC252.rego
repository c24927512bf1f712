package clawcheck.rules.oc252

import rego.v1

# OC252: a short or placeholder literal hooks.token.
# `openclaw security audit`: hooks.token_too_short (warn).
problem(t) := sprintf("is a placeholder (%s)", [t.shown]) if t.placeholder

problem(t) := sprintf("is %d characters (%s), under 24", [t.length, t.shown]) if {
	not t.placeholder
	t.length < 24
}

deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	h.token.kind == "literal"
	p := problem(h.token)
	f := {
		"rule": "OC252",
		"pointer": h.token.pointer,
		"fix": {"secret_ref": "template", "applicability": "unsafe", "reason": "takes the token from an environment variable, which must then hold a long random secret"},
		"message": sprintf("`hooks.token` %s: a guessable webhook token", [p]),
	}
}
