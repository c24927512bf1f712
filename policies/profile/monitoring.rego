# Monitoring metrics (OC220–OC222).
package clawcheck.monitoring

import rego.v1

# These rules judge the policy-profile posture; real OpenClaw configs are
# judged by policies/openclaw/ (same rule ids where the meaning is the same).
profile if input.posture.dialect == "policy-profile"

has_agents if count(input.posture.agents) > 0

has_secrets if count(input.posture.secrets) > 0

# OC220: agents or secrets, but no monitoring section at all.
deny contains f if {
	profile
	not input.posture.monitoring.present
	some what in absent_subjects
	f := {
		"rule": "OC220",
		"pointer": input.posture.monitoring.pointer,
		"message": sprintf("config declares %s but has no `monitoring` section", [what]),
	}
}

absent_subjects contains "agents" if has_agents

absent_subjects contains "secrets" if {
	has_secrets
	not has_agents
}

declared(kind) := {m | some a in input.posture.monitoring.areas; a.kind == kind; some m in a.metrics}

# OC221 / OC222: the required metrics of each subject, judged when monitoring is declared.
deny contains f if {
	profile
	input.posture.monitoring.present
	some check in checks
	wanted(check.kind)
	missing := [m | some m in check.required; not declared(check.kind)[m]]
	count(missing) > 0
	f := {
		"rule": check.rule,
		"pointer": area_pointer(check.kind),
		"message": sprintf("monitoring is missing the required %s metrics: %s", [check.label, concat(", ", missing)]),
	}
}

checks := [
	{"rule": "OC221", "kind": "agents", "label": "agent", "required": input.monitoring.agent_metrics},
	{"rule": "OC222", "kind": "secrets", "label": "secret", "required": input.monitoring.secret_metrics},
]

# A subject is judged where the monitoring section has an area for it: a
# profile may monitor one subject here and the other elsewhere (the seed's
# own profile, assembled, monitors only its agents).
wanted(kind) if {
	some a in input.posture.monitoring.areas
	a.kind == kind
}

area_pointer(kind) := p if {
	ps := [a.metrics_pointer | some a in input.posture.monitoring.areas; a.kind == kind]
	count(ps) > 0
	p := ps[0]
}
