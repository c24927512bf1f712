package clawcheck.rules.oc201_test

import data.clawcheck.rules.oc201
import rego.v1

# Policy profile: one agent, judged by its `binding`.
profile(agent) := {"posture": {"dialect": "policy-profile", "agents": [agent]}}

agent(name, sensitive, binding, runtime) := {
	"name": name,
	"pointer": sprintf("/agents/%s", [name]),
	"sensitive": sensitive,
	"sensitive_reason": "name matches `payment`",
	"runtime": {"present": runtime != null, "value": runtime, "pointer": sprintf("/agents/%s/runtime", [name])},
	"binding": binding,
}

test_fires_when_runtime_missing if {
	fs := oc201.deny with input as profile(agent("helper", false, "missing", null))
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.pointer == "/agents/helper"
	not f.severity
	contains(f.message, "agent `helper` has no `runtime`: it must be thread-bound")
}

test_fires_sensitive_other_runtime_without_session_hint if {
	fs := oc201.deny with input as profile(agent("payments", true, "other", "shared"))
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.pointer == "/agents/payments/runtime"
	endswith(f.message, "agent `payments` has runtime `shared`: expected a thread binding (`thread-bound`)")
}

test_fires_routine_other_runtime_with_session_hint if {
	fs := oc201.deny with input as profile(agent("helper", false, "other", "pooled"))
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.pointer == "/agents/helper/runtime"
	contains(f.message, "has runtime `pooled`")
	endswith(f.message, "(`thread-bound`) or, for a routine agent, a session binding")
}

test_fires_sensitive_session_bound if {
	fs := oc201.deny with input as profile(agent("payments", true, "session", "session"))
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.pointer == "/agents/payments/runtime"
	contains(f.message, "sensitive agent `payments` (name matches `payment`) is session-bound (`session`)")
}

test_passes_sensitive_thread_bound if {
	count(oc201.deny) == 0 with input as profile(agent("payments", true, "thread", "thread-bound"))
}

test_passes_routine_session_bound if {
	count(oc201.deny) == 0 with input as profile(agent("helper", false, "session", "session"))
}

test_profile_branches_ignore_real_configs if {
	inp := {"posture": {"dialect": "openclaw-2026.9", "real": true, "agents": [agent("main", true, "missing", null)]}}
	count(oc201.deny) == 0 with input as inp
}

# Real configs: thread bindings.
tb(enabled, idle, max_age, ttl) := {"posture": {
	"dialect": "openclaw-2026.9",
	"real": true,
	"sessions": {"thread_bindings": [{
		"scope": "session",
		"setting": "session.threadBindings",
		"present": true,
		"pointer": "/session/threadBindings",
		"enabled": {"present": enabled != null, "value": enabled, "pointer": "/session/threadBindings/enabled"},
		"idle_hours": {"present": idle != null, "value": idle, "pointer": "/session/threadBindings/idleHours"},
		"max_age_hours": {"present": max_age != null, "value": max_age, "pointer": "/session/threadBindings/maxAgeHours"},
		"ttl_hours": {"present": ttl != null, "value": ttl, "pointer": "/session/threadBindings/ttlHours"},
	}]},
}}

test_fires_real_thread_bindings_disabled if {
	fs := oc201.deny with input as tb(false, 2, 24, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.pointer == "/session/threadBindings/enabled"
	not f.severity
	contains(f.message, "thread bindings are disabled (`session.threadBindings.enabled: false`)")
}

test_fires_real_idle_hours_zero if {
	fs := oc201.deny with input as tb(true, 0, 24, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC201"
	f.severity == "warning"
	f.pointer == "/session/threadBindings/idleHours"
	contains(f.message, "`session.threadBindings.idleHours: 0` disables idle expiry")
}

test_fires_real_max_age_and_ttl_zero if {
	fs := oc201.deny with input as tb(null, null, 0, 0)
	count(fs) == 2
	some f in fs
	f.pointer == "/session/threadBindings/maxAgeHours"
	f.severity == "warning"
	contains(f.message, "`session.threadBindings.maxAgeHours: 0` disables the hard max age")
	some g in fs
	g.pointer == "/session/threadBindings/ttlHours"
	g.severity == "warning"
	contains(g.message, "`session.threadBindings.ttlHours: 0` disables the thread-binding TTL")
}

test_passes_real_bounded_thread_bindings if {
	count(oc201.deny) == 0 with input as tb(true, 2, 24, 48)
}

test_passes_real_defaults if {
	count(oc201.deny) == 0 with input as tb(null, null, null, null)
}
