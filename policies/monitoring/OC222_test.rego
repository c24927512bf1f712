package clawcheck.rules.oc222_test

import data.clawcheck.rules.oc222
import rego.v1

required := ["access-count", "rotation-status", "exposure-risk"]

monitoring := {"agent_metrics": ["execution-time", "resource-usage", "error-rate", "timeout-count"], "secret_metrics": ["access-count", "rotation-status", "exposure-risk"]}

subject := {"name": "db", "pointer": "/secrets/db"}

area(kind, metrics) := {
	"name": sprintf("%s-area", [kind]),
	"kind": kind,
	"pointer": sprintf("/monitoring/%s-area", [kind]),
	"metrics_pointer": sprintf("/monitoring/%s-area/metrics", [kind]),
	"metrics": metrics,
}

# subjects: the secrets declared in the file; areas: the monitoring areas.
profile(subjects, present, areas) := {"monitoring": monitoring, "posture": object.union({
	"dialect": "policy-profile",
	"agents": [],
	"secrets": [],
	"monitoring": {"present": present, "pointer": "/monitoring", "areas": areas},
}, {"secrets": subjects})}

test_fires_area_missing_metrics if {
	fs := oc222.deny with input as profile([subject], true, [area("secrets", ["access-count"])])
	count(fs) == 1
	some f in fs
	f.rule == "OC222"
	f.pointer == "/monitoring/secrets-area/metrics"
	not f.severity
	f.message == "monitoring is missing the required secret metrics: rotation-status, exposure-risk"
}

test_fires_area_without_subjects_in_file if {
	# An area for the subject is judged even when the secrets are declared elsewhere.
	fs := oc222.deny with input as profile([], true, [area("secrets", ["access-count"])])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring/secrets-area/metrics"
	contains(f.message, "rotation-status, exposure-risk")
}

test_fires_no_area_for_declared_subjects if {
	fs := oc222.deny with input as profile([subject], true, [area("agents", [])])
	count(fs) == 1
	some f in fs
	f.rule == "OC222"
	f.pointer == "/monitoring"
	f.message == "monitoring is missing the required secret metrics: access-count, rotation-status, exposure-risk"
}

test_fires_empty_section_for_declared_subjects if {
	# `"monitoring": {}` in the file that declares the secrets: every metric is missing.
	fs := oc222.deny with input as profile([subject], true, [])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring"
	f.fix.pointer == "/monitoring/secrets/metrics"
	f.message == "monitoring is missing the required secret metrics: access-count, rotation-status, exposure-risk"
}

test_fires_when_only_other_areas if {
	fs := oc222.deny with input as profile([subject], true, [area("other", ["uptime"])])
	count(fs) == 1
	some f in fs
	f.pointer == "/monitoring"
}

test_passes_all_metrics if {
	count(oc222.deny) == 0 with input as profile([subject], true, [area("secrets", array.concat(required, ["extra"]))])
}

test_passes_subject_elsewhere if {
	count(oc222.deny) == 0 with input as profile([], true, [area("agents", [])])
}

test_passes_without_monitoring_section if {
	# A missing section is OC220's finding.
	count(oc222.deny) == 0 with input as profile([subject], false, [])
}

test_passes_real_config if {
	inp := object.union(profile([subject], true, []), {"posture": {"dialect": "openclaw-2026.9", "real": true}})
	count(oc222.deny) == 0 with input as inp
}
