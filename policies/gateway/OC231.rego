package clawcheck.rules.oc231

import rego.v1

# OC231: short or placeholder literal credentials. `openclaw security audit`:
# gateway.<token|password>_too_short (warn), _placeholder_value (critical: the
# gateway refuses to start with it), hence an error for a placeholder.
deny contains f if {
	input.posture.real
	some k in ["token", "password"]
	c := data.clawcheck.lib.openclaw.g.auth[k]
	c.kind == "literal"
	c.length < 24
	not c.placeholder
	f := {
		"rule": "OC231",
		"pointer": c.pointer,
		"fix": {"secret_ref": true, "applicability": "unsafe", "reason": "replaces the literal by a reference to an environment variable, which must then hold a long random secret"},
		"message": sprintf("`gateway.auth.%s` is %v characters (`%s`), shorter than 24: a weak shared secret", [k, c.length, c.shown]),
	}
}

deny contains f if {
	input.posture.real
	some k in ["token", "password"]
	c := data.clawcheck.lib.openclaw.g.auth[k]
	c.placeholder
	f := {
		"rule": "OC231",
		"severity": "error",
		"pointer": c.pointer,
		"fix": {"secret_ref": true, "applicability": "unsafe", "reason": "replaces the placeholder by a reference to an environment variable, which must then hold a long random secret"},
		"message": sprintf("`gateway.auth.%s` is a placeholder (`%s`), not a secret", [k, c.shown]),
	}
}
