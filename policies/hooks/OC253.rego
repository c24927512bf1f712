package clawcheck.rules.oc253

import rego.v1

# OC253: a literal hooks.token in the file (not covered by `openclaw secrets
# audit`). `openclaw security audit`: config.secrets.hooks_token_in_config (info).
deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	h.token.kind == "literal"
	f := {
		"rule": "OC253",
		"pointer": h.token.pointer,
		"fix": {"secret_ref": "template", "applicability": "unsafe", "reason": "takes the token from an environment variable: set it to the token before the gateway starts"},
		"message": sprintf("`hooks.token` is a literal in the config (%s); OpenClaw's secrets audit does not cover this field", [h.token.shown]),
	}
}
