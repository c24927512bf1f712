package clawcheck.rules.oc205_test

import data.clawcheck.rules.oc205
import rego.v1

profile(binding, long_running, mc) := {"posture": {"dialect": "policy-profile", "agents": [{
	"name": "worker",
	"pointer": "/agents/worker",
	"binding": binding,
	"long_running": long_running,
	"max_concurrent": mc,
}]}}

absent := {"present": false, "value": null, "pointer": "/agents/worker", "number": null}

mc(value, number) := {"present": true, "value": value, "pointer": "/agents/worker/max-concurrent", "number": number}

test_fires_session_bound_without_limit if {
	fs := oc205.deny with input as profile("session", true, absent)
	count(fs) == 1
	some f in fs
	f.rule == "OC205"
	f.pointer == "/agents/worker"
	not f.severity
	f.message == "session-bound agent `worker` has no `max-concurrent`: long-running work must limit concurrency"
}

test_fires_long_running_with_zero_limit if {
	fs := oc205.deny with input as profile("thread", true, mc(0, 0))
	count(fs) == 1
	some f in fs
	f.rule == "OC205"
	f.pointer == "/agents/worker/max-concurrent"
	f.message == "long-running agent `worker` has `max-concurrent: 0`, expected a positive integer: long-running work must limit concurrency"
}

test_fires_with_non_numeric_limit if {
	fs := oc205.deny with input as profile("thread", true, mc("many", null))
	some f in fs
	f.pointer == "/agents/worker/max-concurrent"
	contains(f.message, "has `max-concurrent: many`, expected a positive integer")
}

test_passes_with_positive_limit if {
	count(oc205.deny) == 0 with input as profile("session", true, mc(2, 2))
}

test_passes_short_lived_without_limit if {
	count(oc205.deny) == 0 with input as profile("thread", false, absent)
}
