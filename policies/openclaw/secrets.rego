# Real OpenClaw configs: credentials (OC211), rotation (OC212) and
# unresolved SecretRefs (OC244).
package clawcheck.openclaw.secrets

import rego.v1

# OC211: a credential field holds the secret itself.
deny contains f if {
	input.posture.real
	some s in input.posture.secrets
	s.kind == "literal"
	f := {
		"rule": "OC211",
		"pointer": s.pointer,
		"message": sprintf("literal credential in `%s` (`%s`): keep it outside the file and reference it with %s", [s.name, s.shown, fix(s)]),
	}
}

# 2026.2 takes only strings for the gateway credentials.
string_only(s) if {
	input.posture.version == "2026.2"
	startswith(s.name, "gateway.auth.")
}

fix(s) := "`${VAR}` (2026.2 accepts only strings here)" if string_only(s)

fix(s) := "a SecretRef (`{source, provider, id}`) or `${VAR}`" if not string_only(s)

# OC244: a SecretRef whose provider is not declared (or has another source).
deny contains f if {
	input.posture.real
	some s in input.posture.secrets
	s.kind == "secret-ref"
	not s.resolved
	f := {
		"rule": "OC244",
		"pointer": s.pointer,
		"message": sprintf("SecretRef in `%s` (`%s`) %s", [s.name, s.ref, unresolved_reason(s)]),
	}
}

declared := concat(", ", input.posture.secret_providers.declared) if count(input.posture.secret_providers.declared) > 0

declared := "none" if count(input.posture.secret_providers.declared) == 0

unresolved_reason(s) := sprintf("uses provider `%s`, which is not declared under `secrets.providers` (declared: %s)", [s.provider, declared]) if {
	not s.provider_declared
}

unresolved_reason(s) := sprintf("has source `%s`, but provider `%s` is declared with source `%s`", [s.source, s.provider, s.provider_source]) if {
	s.provider_declared
}

# OC212: OpenClaw has no rotation setting; the rotation of each referenced
# secret comes from clawcheck.toml's [[secrets.inventory]]. Judged only when
# an inventory is declared.
deny contains f if {
	input.posture.real
	input.posture.inventory.present
	some s in input.posture.secrets
	s.kind in {"secret-ref", "env-template"}
	not s.rotation.declared
	f := {
		"rule": "OC212",
		"severity": "warning",
		"pointer": s.pointer,
		"message": sprintf("`%s` references `%s`, which has no rotation in clawcheck.toml's [[secrets.inventory]] (limit %v days)", [s.name, s.ref, input.limits.rotation_max_days]),
	}
}

deny contains f if {
	input.posture.real
	some s in input.posture.secrets
	s.rotation.declared
	problem := rotation_problem(s.rotation, input.limits.rotation_max_days)
	f := {
		"rule": "OC212",
		"pointer": s.pointer,
		"message": sprintf("`%s` references `%s`, whose inventory rotation %s", [s.name, s.ref, problem]),
	}
}

rotation_problem(r, limit) := sprintf("is not set (limit %v days)", [limit]) if r.value == null

rotation_problem(r, limit) := sprintf("`%v` is not a recognised period (limit %v days)", [r.value, limit]) if {
	r.value != null
	r.days == null
}

rotation_problem(r, limit) := sprintf("is `%v`: never rotated (limit %v days)", [r.value, limit]) if r.days == "never"

rotation_problem(r, limit) := sprintf("`%v` (%v days) is slower than the limit of %v days", [r.value, r.days, limit]) if {
	is_number(r.days)
	r.days > limit
}
