package clawcheck.rules.oc213

import data.clawcheck.lib.profile as p
import rego.v1

deny contains f if {
	data.clawcheck.lib.profile.profile
	some s in input.posture.secrets
	s.external
	not s.source.present
	f := {
		"rule": "OC213",
		"pointer": s.pointer,
		"message": sprintf("external secret `%s` has no `source`: name the secret store it comes from", [s.name]),
	}
}

deny contains f if {
	data.clawcheck.lib.profile.profile
	some s in input.posture.secrets
	s.source.present
	not p.known_source(s.source.value)
	f := {
		"rule": "OC213",
		"pointer": s.source.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "name the store the secret comes from, or add it to `secrets.known_sources`"},
		"message": sprintf("secret `%s` has unknown source `%s` (known: %s)", [s.name, p.show(s.source.value), concat(", ", input.secrets.known_sources)]),
	}
}
