# Real OpenClaw configs: thread binding (OC201), teardown (OC202) and run-time
# limits (OC203). The same rule ids judge the policy profile in
# policies/profile/agents.rego; docs/openclaw.md maps the settings.
package clawcheck.openclaw.lifecycle

import rego.v1

show(v) := sprintf("%v", [v])

# OC201: thread-bound sessions, released after bounded idle time and age.
deny contains f if {
	input.posture.real
	some tb in input.posture.sessions.thread_bindings
	tb.enabled.value == false
	f := {
		"rule": "OC201",
		"pointer": tb.enabled.pointer,
		"message": sprintf("thread bindings are disabled (`%s.enabled: false`): sessions are not bound to their thread and not released with it", [tb.setting]),
	}
}

deny contains f if {
	input.posture.real
	some tb in input.posture.sessions.thread_bindings
	some k in [
		{"field": "idle_hours", "key": "idleHours", "what": "disables idle expiry: an idle thread-bound session is never released"},
		{"field": "max_age_hours", "key": "maxAgeHours", "what": "disables the hard max age: a busy thread-bound session lives forever"},
		{"field": "ttl_hours", "key": "ttlHours", "what": "disables the thread-binding TTL: bindings never expire"},
	]
	tb[k.field].value == 0
	f := {
		"rule": "OC201",
		"severity": "warning",
		"pointer": tb[k.field].pointer,
		"message": sprintf("`%s.%s: 0` %s (set a bounded number of hours)", [tb.setting, k.key, k.what]),
	}
}

# OC202: finished work is torn down.
deny contains f if {
	input.posture.real
	a := input.posture.subagents.archive_after_minutes
	a.value == 0
	f := {
		"rule": "OC202",
		"severity": "warning",
		"pointer": a.pointer,
		"message": "`agents.defaults.subagents.archiveAfterMinutes: 0`: finished sub-agent sessions are never archived (the default is 60)",
	}
}

deny contains f if {
	input.posture.real
	some a in input.posture.agents
	a.acp_mode.value == "persistent"
	f := {
		"rule": "OC202",
		"severity": "warning",
		"pointer": a.acp_mode.pointer,
		"message": sprintf("agent `%s` runs an ACP harness in `mode: \"persistent\"`: its session outlives the task (use `\"oneshot\"` to tear it down with the task)", [a.name]),
	}
}

# OC203: every run has a timeout within the sensitive limit; 0 = unlimited.
deny contains f if {
	input.posture.real
	some t in input.posture.timeouts
	problem := timeout_problem(t, input.limits.sensitive_timeout_seconds)
	f := {
		"rule": "OC203",
		"pointer": t.pointer,
		"message": sprintf("%s (%s timeout; every agent is judged as sensitive)", [problem, t.what]),
	}
}

timeout_problem(t, limit) := sprintf("`%s` is not set: %s, over the limit of %v s", [t.setting, t.default_text, limit]) if {
	not t.present
	t.default_seconds > limit
}

timeout_problem(t, limit) := sprintf("`%s` is not set: %s (limit %v s)", [t.setting, t.default_text, limit]) if {
	not t.present
	t.default_seconds == 0
}

timeout_problem(t, limit) := sprintf("`%s: 0` means unlimited (limit %v s)", [t.setting, limit]) if {
	t.value == 0
}

timeout_problem(t, limit) := sprintf("`%s: %v` is over the limit of %v s", [t.setting, t.value, limit]) if {
	is_number(t.value)
	t.value > limit
}
