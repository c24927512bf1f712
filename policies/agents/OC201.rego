package clawcheck.rules.oc201

import data.clawcheck.lib.profile as p
import rego.v1

# OC201: sensitive agents must be thread-bound; routine ones thread- or session-bound.
deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.binding == "missing"
	f := {
		"rule": "OC201",
		"pointer": a.pointer,
		"fix": {"pointer": sprintf("%s/runtime", [a.pointer]), "set": "thread-bound", "applicability": "unsafe", "reason": "sets `runtime: thread-bound`: the agent instance is bound to one request thread"},
		"message": sprintf("agent `%s` has no `runtime`: it must be thread-bound (`\"runtime\": \"thread-bound\"`)", [a.name]),
	}
}

deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.binding == "other"
	f := {
		"rule": "OC201",
		"pointer": a.runtime.pointer,
		"fix": {"set": "thread-bound", "applicability": "unsafe", "reason": "sets `runtime: thread-bound`: the agent instance is bound to one request thread"},
		"message": sprintf("agent `%s` has runtime `%s`: expected a thread binding (`thread-bound`)%s", [a.name, p.show(a.runtime.value), p.routine_hint(a)]),
	}
}

deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.binding == "session"
	a.sensitive
	f := {
		"rule": "OC201",
		"pointer": a.runtime.pointer,
		"fix": {"set": "thread-bound", "applicability": "unsafe", "reason": "sets `runtime: thread-bound`: the agent instance is bound to one request thread"},
		"message": sprintf("sensitive agent `%s` (%s) is session-bound (`%s`): sensitive operations must be thread-bound", [a.name, a.sensitive_reason, p.show(a.runtime.value)]),
	}
}

# OC201: thread-bound sessions, released after bounded idle time and age.
deny contains f if {
	input.posture.real
	some tb in input.posture.sessions.thread_bindings
	tb.enabled.value == false
	f := {
		"rule": "OC201",
		"pointer": tb.enabled.pointer,
		"fix": {"set": true, "applicability": "unsafe", "reason": "turns thread bindings on: sessions are bound to their thread and released with it"},
		"message": sprintf("thread bindings are disabled (`%s.enabled: false`): sessions are not bound to their thread and not released with it", [tb.setting]),
	}
}

deny contains f if {
	input.posture.real
	some tb in input.posture.sessions.thread_bindings
	some k in [
		{"field": "idle_hours", "key": "idleHours", "what": "disables idle expiry: an idle thread-bound session is never released", "hours": 24},
		{"field": "max_age_hours", "key": "maxAgeHours", "what": "disables the hard max age: a busy thread-bound session lives forever", "hours": 168},
		{"field": "ttl_hours", "key": "ttlHours", "what": "disables the thread-binding TTL: bindings never expire", "hours": 24},
	]
	tb[k.field].value == 0
	f := {
		"rule": "OC201",
		"severity": "warning",
		"pointer": tb[k.field].pointer,
		"fix": {"set": k.hours, "applicability": "unsafe", "reason": sprintf("sets `%s: %d` (idle: OpenClaw's default of 24 h; max age: one week): sessions that relied on living forever are released", [k.key, k.hours])},
		"message": sprintf("`%s.%s: 0` %s (set a bounded number of hours)", [tb.setting, k.key, k.what]),
	}
}
