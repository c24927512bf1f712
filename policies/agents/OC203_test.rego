package clawcheck.rules.oc203_test

import data.clawcheck.rules.oc203
import rego.v1

limits := {"sensitive_timeout_seconds": 120, "routine_timeout_seconds": 300, "rotation_max_days": 7}

profile(sensitive, timeout) := {"limits": limits, "posture": {"dialect": "policy-profile", "agents": [{
	"name": "payments",
	"pointer": "/agents/payments",
	"sensitive": sensitive,
	"sensitive_reason": "name matches `payment`",
	"timeout": timeout,
}]}}

t(value, seconds) := {"present": true, "value": value, "pointer": "/agents/payments/timeout", "key": "timeout", "seconds": seconds}

test_fires_sensitive_without_timeout if {
	fs := oc203.deny with input as profile(true, {"present": false, "value": null, "pointer": "/agents/payments", "key": "timeout", "seconds": null})
	count(fs) == 1
	some f in fs
	f.rule == "OC203"
	f.pointer == "/agents/payments"
	not f.severity
	f.message == "sensitive agent `payments` (name matches `payment`) has no timeout (`timeout` missing): limit 120s"
}

test_fires_sensitive_timeout_not_a_number if {
	fs := oc203.deny with input as profile(true, t("soon", null))
	count(fs) == 1
	some f in fs
	f.rule == "OC203"
	f.pointer == "/agents/payments/timeout"
	contains(f.message, "has `timeout: soon`, which is not a number of seconds: limit 120s")
}

test_fires_sensitive_timeout_zero if {
	fs := oc203.deny with input as profile(true, t(0, 0))
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/payments/timeout"
	contains(f.message, "has `timeout: 0`, which means unlimited: limit 120s")
}

test_fires_sensitive_timeout_over_limit if {
	fs := oc203.deny with input as profile(true, t("5m", 300))
	count(fs) == 1
	some f in fs
	f.rule == "OC203"
	f.pointer == "/agents/payments/timeout"
	contains(f.message, "has `timeout: 5m` (300s), over the limit of 120s")
}

test_fires_sensitive_timeout_negative if {
	fs := oc203.deny with input as profile(true, t(-5, -5))
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/payments/timeout"
	contains(f.message, "has a negative `timeout` (-5s): limit 120s")
}

test_passes_sensitive_at_limit if {
	count(oc203.deny) == 0 with input as profile(true, t(120, 120))
}

test_passes_routine_over_sensitive_limit if {
	# A routine agent is OC204's: the sensitive limit does not apply.
	count(oc203.deny) == 0 with input as profile(false, t(200, 200))
}

# Real configs: every timeout setting, every agent judged as sensitive.
real(tm) := {"limits": limits, "posture": {"dialect": "openclaw-2026.9", "real": true, "timeouts": [tm]}}

turn(present, value) := {
	"present": present,
	"value": value,
	"pointer": "/agents/defaults/timeoutSeconds",
	"setting": "agents.defaults.timeoutSeconds",
	"what": "agent turn",
	"default_seconds": 172800,
	"default_text": "OpenClaw 2026.9 uses 172800 s",
}

subrun(present, value) := {
	"present": present,
	"value": value,
	"pointer": "/agents/defaults/subagents/runTimeoutSeconds",
	"setting": "agents.defaults.subagents.runTimeoutSeconds",
	"what": "sub-agent run",
	"default_seconds": 0,
	"default_text": "the default is 0, no timeout",
}

test_fires_real_unset_with_long_default if {
	fs := oc203.deny with input as real(turn(false, null))
	count(fs) == 1
	some f in fs
	f.rule == "OC203"
	f.pointer == "/agents/defaults/timeoutSeconds"
	not f.severity
	f.message == "`agents.defaults.timeoutSeconds` is not set: OpenClaw 2026.9 uses 172800 s, over the limit of 120 s (agent turn timeout; every agent is judged as sensitive)"
}

test_fires_real_unset_with_unlimited_default if {
	fs := oc203.deny with input as real(subrun(false, null))
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/defaults/subagents/runTimeoutSeconds"
	contains(f.message, "`agents.defaults.subagents.runTimeoutSeconds` is not set: the default is 0, no timeout (limit 120 s) (sub-agent run timeout")
}

test_fires_real_zero_means_unlimited if {
	fs := oc203.deny with input as real(turn(true, 0))
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/defaults/timeoutSeconds"
	contains(f.message, "`agents.defaults.timeoutSeconds: 0` means unlimited (limit 120 s)")
}

test_fires_real_over_limit if {
	fs := oc203.deny with input as real(subrun(true, 600))
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/defaults/subagents/runTimeoutSeconds"
	contains(f.message, "`agents.defaults.subagents.runTimeoutSeconds: 600` is over the limit of 120 s")
}

test_passes_real_at_limit if {
	count(oc203.deny) == 0 with input as real(turn(true, 120))
}

test_passes_real_unset_with_short_default if {
	short := object.union(turn(false, null), {"default_seconds": 60, "default_text": "the default is 60 s"})
	count(oc203.deny) == 0 with input as real(short)
}
