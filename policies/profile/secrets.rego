# External secrets, rotation and sources (OC211–OC213).
package clawcheck.secrets

import rego.v1

# These rules judge the policy-profile posture; real OpenClaw configs are
# judged by policies/openclaw/ (same rule ids where the meaning is the same).
profile if input.posture.dialect == "policy-profile"

show(v) := sprintf("%v", [v])

# OC211: every secret comes from an external store.
deny contains f if {
	profile
	some s in input.posture.secrets
	not s.external
	f := {
		"rule": "OC211",
		"pointer": s.provider.pointer,
		"message": sprintf("secret `%s` is not external (%s): every secret must come from an external secret store", [s.name, provider_text(s)]),
	}
}

deny contains f if {
	profile
	some s in input.posture.secrets
	s.literal.present
	f := {
		"rule": "OC211",
		"pointer": s.literal.pointer,
		"message": sprintf("secret `%s` carries a literal `value` in the config: keep the value in the external store only", [s.name]),
	}
}

provider_text(s) := "no `provider`" if not s.provider.present
provider_text(s) := sprintf("`provider: %s`", [show(s.provider.value)]) if s.provider.present

# OC212: rotation at least every `rotation_max_days` days.
deny contains f if {
	profile
	some s in input.posture.secrets
	problem := rotation_problem(s, input.limits.rotation_max_days)
	f := {
		"rule": "OC212",
		"pointer": s.rotation.pointer,
		"message": sprintf("secret `%s` %s", [s.name, problem]),
	}
}

rotation_problem(s, limit) := sprintf("has no `rotation`: rotate every %v days or faster (e.g. `\"weekly\"`)", [limit]) if {
	not s.rotation.present
}

rotation_problem(s, limit) := sprintf("has `rotation: %s`, which is not a recognised period: use `hourly`, `daily`, `weekly` or a duration such as `7d` (limit %v days)", [show(s.rotation.value), limit]) if {
	s.rotation.present
	s.rotation.days == null
}

rotation_problem(s, limit) := sprintf("has `rotation: %s`: the secret is never rotated (limit %v days)", [show(s.rotation.value), limit]) if {
	s.rotation.days == "never"
}

rotation_problem(s, limit) := sprintf("has `rotation: %s` (%v days), slower than the limit of %v days", [show(s.rotation.value), s.rotation.days, limit]) if {
	is_number(s.rotation.days)
	s.rotation.days > limit
}

rotation_problem(s, limit) := sprintf("has `rotation: %s`, which is not a positive period (limit %v days)", [show(s.rotation.value), limit]) if {
	is_number(s.rotation.days)
	s.rotation.days <= 0
}

# OC213: an external secret names a known store.
known_source(src) if {
	some k in input.secrets.known_sources
	lower(k) == lower(src)
}

deny contains f if {
	profile
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
	profile
	some s in input.posture.secrets
	s.source.present
	not known_source(s.source.value)
	f := {
		"rule": "OC213",
		"pointer": s.source.pointer,
		"message": sprintf("secret `%s` has unknown source `%s` (known: %s)", [s.name, show(s.source.value), concat(", ", input.secrets.known_sources)]),
	}
}
