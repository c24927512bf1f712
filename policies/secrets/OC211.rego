package clawcheck.rules.oc211

import data.clawcheck.lib.openclaw as oc
import data.clawcheck.lib.profile as p
import rego.v1

# OC211: every secret comes from an external store.
deny contains f if {
	data.clawcheck.lib.profile.profile
	some s in input.posture.secrets
	not s.external
	f := {
		"rule": "OC211",
		"pointer": s.provider.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "move the secret to an external store and declare it with `provider: external` and its `source`"},
		"message": sprintf("secret `%s` is not external (%s): every secret must come from an external secret store", [s.name, p.provider_text(s)]),
	}
}

deny contains f if {
	data.clawcheck.lib.profile.profile
	some s in input.posture.secrets
	s.literal.present
	f := {
		"rule": "OC211",
		"pointer": s.literal.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the literal `value`: the secret must then come from its external store"},
		"message": sprintf("secret `%s` carries a literal `value` in the config: keep the value in the external store only", [s.name]),
	}
}

# OC211: a credential field holds the secret itself.
deny contains f if {
	input.posture.real
	some s in input.posture.secrets
	s.kind == "literal"
	f := {
		"rule": "OC211",
		"pointer": s.pointer,
		"fix": {"secret_ref": true, "applicability": "unsafe", "reason": "replaces the literal by a reference to an environment variable named after its path, which must then hold the secret"},
		"message": sprintf("literal credential in `%s` (`%s`): keep it outside the file and reference it with %s", [s.name, s.shown, oc.fix(s)]),
	}
}
