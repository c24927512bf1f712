# Helpers for the rules that judge the policy profile (the seed article's
# `agents`/`secrets`/`monitoring` shape). Each rule lives in its own file under
# policies/<area>/OCxxx.rego; `clawcheck posture FILE` prints the input.
package clawcheck.lib.profile

import rego.v1

# The guard of every rule branch that judges a policy profile; the branches
# for real configs are guarded by `input.posture.real`.
profile if input.posture.dialect == "policy-profile"

show(v) := sprintf("%v", [v])

routine_hint(a) := "" if a.sensitive

routine_hint(a) := " or, for a routine agent, a session binding" if not a.sensitive

# OC203 (sensitive) and OC204 (routine): a bounded timeout within the limit.
timeout_problem(a, limit) := sprintf("has no timeout (`timeout` missing): limit %vs", [limit]) if {
	not a.timeout.present
}

timeout_problem(a, limit) := sprintf("has `%s: %s`, which is not a number of seconds: limit %vs", [a.timeout.key, show(a.timeout.value), limit]) if {
	a.timeout.present
	a.timeout.seconds == null
}

timeout_problem(a, limit) := sprintf("has `%s: 0`, which means unlimited: limit %vs", [a.timeout.key, limit]) if {
	a.timeout.seconds == 0
}

timeout_problem(a, limit) := sprintf("has `%s: %s` (%vs), over the limit of %vs", [a.timeout.key, show(a.timeout.value), a.timeout.seconds, limit]) if {
	is_number(a.timeout.seconds)
	a.timeout.seconds > limit
}

timeout_problem(a, limit) := sprintf("has a negative `%s` (%vs): limit %vs", [a.timeout.key, a.timeout.seconds, limit]) if {
	is_number(a.timeout.seconds)
	a.timeout.seconds < 0
}

positive(n) if {
	is_number(n)
	n > 0
}

kind(a) := "session-bound" if a.binding == "session"

kind(a) := "long-running" if a.binding != "session"

concurrency_text(a) := "has no `max-concurrent`" if not a.max_concurrent.present

concurrency_text(a) := sprintf("has `max-concurrent: %s`, expected a positive integer", [show(a.max_concurrent.value)]) if a.max_concurrent.present

provider_text(s) := "no `provider`" if not s.provider.present

provider_text(s) := sprintf("`provider: %s`", [show(s.provider.value)]) if s.provider.present

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
	is_string(src)
	some k in input.secrets.known_sources
	lower(k) == lower(src)
}

has_agents if count(input.posture.agents) > 0

has_secrets if count(input.posture.secrets) > 0

absent_subjects contains "agents" if has_agents

absent_subjects contains "secrets" if {
	has_secrets
	not has_agents
}

declared(kind) := {m | some a in input.posture.monitoring.areas; a.kind == kind; some m in a.metrics}

# OC221 / OC222: the required metrics of a subject, judged when the monitoring
# section is present and the subject is in this file: the section has an area
# for it, or the file declares agents (secrets). A profile may monitor a subject
# declared elsewhere (the seed's own profile, assembled, monitors only its
# agents), so a file without the subject and without an area for it is silent.
wanted(kind) if {
	some a in input.posture.monitoring.areas
	a.kind == kind
}

wanted("agents") if has_agents

wanted("secrets") if has_secrets

# Where a missing metric is reported: the area's `metrics` list, else the
# monitoring section itself.
area_pointer(kind) := ps[0] if {
	ps := [a.metrics_pointer | some a in input.posture.monitoring.areas; a.kind == kind]
	count(ps) > 0
} else := input.posture.monitoring.pointer

missing_metrics(kind, required) := [m | some m in required; not declared(kind)[m]]

monitoring_problem(kind, label, required) := msg if {
	input.posture.monitoring.present
	wanted(kind)
	missing := missing_metrics(kind, required)
	count(missing) > 0
	msg := sprintf("monitoring is missing the required %s metrics: %s", [label, concat(", ", missing)])
}

# The fix of a missing-metrics finding: the missing names appended to the
# area's list, or the area declared with every required name.
metrics_fix(kind, required) := fix if {
	areas := [a | some a in input.posture.monitoring.areas; a.kind == kind]
	count(areas) > 0
	a := areas[0]
	is_array(a.metrics)
	fix := {
		"pointer": sprintf("%s/metrics", [a.pointer]),
		"set": array.concat(a.metrics, missing_metrics(kind, required)),
		"applicability": "safe",
		"reason": "adds the missing metric names to the declaration (it only declares them)",
	}
} else := {
	"pointer": sprintf("%s/%s/metrics", [input.posture.monitoring.pointer, kind]),
	"set": required,
	"applicability": "safe",
	"reason": "declares the required metric names (the section only declares them)",
}

# Where a fix sets an agent's field: the field, or the key to add to the agent.
set_pointer(a, f, key) := f.pointer if f.present else := sprintf("%s/%s", [a.pointer, key])

# The metric names clawcheck.toml requires for `kind` (none when the input
# lacks them: a fix never hides its finding).
required_metrics(kind) := object.get(input, ["monitoring", sprintf("%s_metrics", [trim_suffix(kind, "s")])], [])
