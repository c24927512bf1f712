package clawcheck.rules.oc212

import data.clawcheck.lib.openclaw as oc
import data.clawcheck.lib.profile as p
import rego.v1

# OC212: rotation at least every `rotation_max_days` days.
deny contains f if {
	data.clawcheck.lib.profile.profile
	some s in input.posture.secrets
	problem := p.rotation_problem(s, input.limits.rotation_max_days)
	f := {
		"rule": "OC212",
		"pointer": s.rotation.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "rotate the secret in its store at least weekly, then declare that rotation"},
		"message": sprintf("secret `%s` %s", [s.name, problem]),
	}
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
	problem := oc.rotation_problem(s.rotation, input.limits.rotation_max_days)
	f := {
		"rule": "OC212",
		"pointer": s.pointer,
		"message": sprintf("`%s` references `%s`, whose inventory rotation %s", [s.name, s.ref, problem]),
	}
}
