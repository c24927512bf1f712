package clawcheck.rules.oc221_test

import data.clawcheck.rules.oc221
import rego.v1

required := ["execution-time", "resource-usage", "error-rate", "timeout-count"]

monitoring := {"agent_metrics": ["execution-time", "resource-usage", "error-rate", "timeout-count"], "secret_metrics": ["access-count", "rotation-status", "exposure-risk"]}

subject := {"name": "helper", "pointer": "/agents/helper"}

area(kind, metrics) := {
	"name": sprintf("%s-area", [kind]),
	"kind": kind,
	"pointer": sprintf("/monitoring/%s-area", [kind]),
	"metrics_pointer": sprintf("/monitoring/%s-area/metrics", [kind]),
	"metrics": metrics,
}

# subjects: the agents declared in the file; areas: the monitoring areas.
profile(subjects, present, areas) := {"monitoring": monitoring, "posture": object.union({
	"dialect": "policy-profile",
	"agents": [],
	"secrets": [],
	"monitoring": {"present": present, "pointer": "/monitoring", "areas": areas},
}, {"agents": subjects})}

test_fires_area_missing_metrics if {
	fs := oc221.deny with input as profile([subject], true, [area("agents", ["execution-time", "error-rate"])])
	count(fs) == 1
	some f in fs
	f.rule == "OC221"
	f.pointer == "/monitoring/agents-area/metrics"
	not f.severity
	f.message == "monitoring is missing the required agent metrics: resource-usage, timeout-count"
}

test_fires_area_without_subjects_in_file if {
	# An area for the subject is judged even when the agents are declared elsewhere.
	fs := oc221.deny with input as profile([], true, [area("agents", ["execution-time", "error-rate"])])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring/agents-area/metrics"
	contains(f.message, "resource-usage, timeout-count")
}

test_fires_no_area_for_declared_subjects if {
	fs := oc221.deny with input as profile([subject], true, [area("secrets", [])])
	count(fs) == 1
	some f in fs
	f.rule == "OC221"
	f.pointer == "/monitoring"
	f.message == "monitoring is missing the required agent metrics: execution-time, resource-usage, error-rate, timeout-count"
}

test_fires_empty_section_for_declared_subjects if {
	# `"monitoring": {}` in the file that declares the agents: every metric is missing.
	fs := oc221.deny with input as profile([subject], true, [])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring"
	f.fix.pointer == "/monitoring/agents/metrics"
	f.message == "monitoring is missing the required agent metrics: execution-time, resource-usage, error-rate, timeout-count"
}

test_fires_when_only_other_areas if {
	fs := oc221.deny with input as profile([subject], true, [area("other", ["uptime"])])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring"
}

test_passes_all_metrics if {
	count(oc221.deny) == 0 with input as profile([subject], true, [area("agents", array.concat(required, ["extra"]))])
}

test_passes_subject_elsewhere if {
	count(oc221.deny) == 0 with input as profile([], true, [area("secrets", [])])
}

test_passes_without_monitoring_section if {
	# A missing section is OC220's finding.
	count(oc221.deny) == 0 with input as profile([subject], false, [])
}

test_passes_real_config if {
	inp := object.union(profile([subject], true, []), {"posture": {"dialect": "openclaw-2026.9", "real": true}})
	count(oc221.deny) == 0 with input as inp
}

test_passes_metrics_split_over_two_areas if {
	inp := profile([subject], true, [
		area("agents", ["execution-time", "resource-usage"]),
		object.union(area("agents", ["error-rate", "timeout-count"]), {"name": "more", "metrics_pointer": "/monitoring/more/metrics"}),
	])
	count(oc221.deny) == 0 with input as inp
}

test_fires_at_first_area_of_the_kind if {
	inp := profile([subject], true, [
		area("agents", ["execution-time"]),
		object.union(area("agents", ["error-rate"]), {"name": "more", "metrics_pointer": "/monitoring/more/metrics"}),
	])
	fs := oc221.deny with input as inp
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring/agents-area/metrics"
	endswith(f.message, "agent metrics: resource-usage, timeout-count")
}
