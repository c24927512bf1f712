# Isolation, teardown, timeouts and concurrency of agents (OC201–OC205).
# Input: {posture, limits, monitoring, secrets, dialect, path}; see README "Writing policies".
package clawcheck.agents

import rego.v1

# These rules judge the policy-profile posture; real OpenClaw configs are
# judged by policies/openclaw/ (same rule ids where the meaning is the same).
profile if input.posture.dialect == "policy-profile"

show(v) := sprintf("%v", [v])

# OC201: sensitive agents must be thread-bound; routine ones thread- or session-bound.
deny contains f if {
	profile
	some a in input.posture.agents
	a.binding == "missing"
	f := {
		"rule": "OC201",
		"pointer": a.pointer,
		"message": sprintf("agent `%s` has no `runtime`: it must be thread-bound (`\"runtime\": \"thread-bound\"`)", [a.name]),
	}
}

deny contains f if {
	profile
	some a in input.posture.agents
	a.binding == "other"
	f := {
		"rule": "OC201",
		"pointer": a.runtime.pointer,
		"message": sprintf("agent `%s` has runtime `%s`: expected a thread binding (`thread-bound`)%s", [a.name, show(a.runtime.value), routine_hint(a)]),
	}
}

deny contains f if {
	profile
	some a in input.posture.agents
	a.binding == "session"
	a.sensitive
	f := {
		"rule": "OC201",
		"pointer": a.runtime.pointer,
		"message": sprintf("sensitive agent `%s` (%s) is session-bound (`%s`): sensitive operations must be thread-bound", [a.name, a.sensitive_reason, show(a.runtime.value)]),
	}
}

routine_hint(a) := "" if a.sensitive
routine_hint(a) := " or, for a routine agent, a session binding" if not a.sensitive

# OC202: auto-destroy must be exactly true.
deny contains f if {
	profile
	some a in input.posture.agents
	not a.auto_destroy.present
	f := {
		"rule": "OC202",
		"pointer": a.pointer,
		"message": sprintf("agent `%s` does not set `auto-destroy`: its instance is not released when the request ends (expected `\"auto-destroy\": true`)", [a.name]),
	}
}

deny contains f if {
	profile
	some a in input.posture.agents
	a.auto_destroy.present
	a.auto_destroy.value != true
	f := {
		"rule": "OC202",
		"pointer": a.auto_destroy.pointer,
		"message": sprintf("agent `%s` has `auto-destroy: %s`: expected `true`", [a.name, show(a.auto_destroy.value)]),
	}
}

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

deny contains f if {
	profile
	some a in input.posture.agents
	a.sensitive
	limit := input.limits.sensitive_timeout_seconds
	problem := timeout_problem(a, limit)
	f := {
		"rule": "OC203",
		"pointer": a.timeout.pointer,
		"message": sprintf("sensitive agent `%s` (%s) %s", [a.name, a.sensitive_reason, problem]),
	}
}

deny contains f if {
	profile
	some a in input.posture.agents
	not a.sensitive
	limit := input.limits.routine_timeout_seconds
	problem := timeout_problem(a, limit)
	f := {
		"rule": "OC204",
		"pointer": a.timeout.pointer,
		"message": sprintf("agent `%s` %s", [a.name, problem]),
	}
}

# OC205: long-running / session-bound agents need a concurrency limit.
deny contains f if {
	profile
	some a in input.posture.agents
	a.long_running
	not positive(a.max_concurrent.number)
	f := {
		"rule": "OC205",
		"pointer": a.max_concurrent.pointer,
		"message": sprintf("%s agent `%s` %s: long-running work must limit concurrency", [kind(a), a.name, concurrency_text(a)]),
	}
}

positive(n) if {
	is_number(n)
	n > 0
}

kind(a) := "session-bound" if a.binding == "session"
kind(a) := "long-running" if a.binding != "session"

concurrency_text(a) := "has no `max-concurrent`" if not a.max_concurrent.present

concurrency_text(a) := sprintf("has `max-concurrent: %s`, expected a positive integer", [show(a.max_concurrent.value)]) if a.max_concurrent.present
