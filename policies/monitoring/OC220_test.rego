package clawcheck.rules.oc220_test

import data.clawcheck.rules.oc220
import rego.v1

agent := {"name": "helper", "pointer": "/agents/helper"}

secret := {"name": "db", "pointer": "/secrets/db"}

profile(agents, secrets, present) := {"posture": {
	"dialect": "policy-profile",
	"agents": agents,
	"secrets": secrets,
	"monitoring": {"present": present, "pointer": "", "areas": []},
}}

test_fires_agents_without_monitoring if {
	fs := oc220.deny with input as profile([agent], [], false)
	count(fs) == 1
	some f in fs
	f.rule == "OC220"
	f.pointer == ""
	not f.severity
	f.message == "config declares agents but has no `monitoring` section"
}

test_fires_once_for_agents_and_secrets if {
	fs := oc220.deny with input as profile([agent], [secret], false)
	count(fs) == 1
	some f in fs
	contains(f.message, "declares agents but")
}

test_fires_secrets_without_monitoring if {
	fs := oc220.deny with input as profile([], [secret], false)
	count(fs) == 1
	some f in fs
	f.rule == "OC220"
	f.message == "config declares secrets but has no `monitoring` section"
}

test_passes_with_monitoring_section if {
	inp := object.union(profile([agent], [secret], true), {"posture": {"monitoring": {"pointer": "/monitoring"}}})
	count(oc220.deny) == 0 with input as inp
}

test_passes_nothing_to_monitor if {
	count(oc220.deny) == 0 with input as profile([], [], false)
}

# Real configs: diagnostics and metrics exporters.
field(v, pointer) := {"present": v != null, "value": v, "pointer": pointer}

real(diag, otel, metrics, prometheus) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "monitoring": {
	"present": true,
	"pointer": "/diagnostics",
	"areas": [],
	"diagnostics_enabled": field(diag, "/diagnostics/enabled"),
	"otel_enabled": field(otel, "/diagnostics/otel/enabled"),
	"otel_metrics": field(metrics, "/diagnostics/otel/metrics"),
	"prometheus_plugin": prometheus,
}}}

test_fires_real_diagnostics_disabled if {
	fs := oc220.deny with input as real(false, true, true, false)
	count(fs) == 1
	some f in fs
	f.rule == "OC220"
	f.severity == "error"
	f.pointer == "/diagnostics/enabled"
	contains(f.message, "`diagnostics.enabled: false`: no metrics are exported")
}

test_fires_real_otel_metrics_off if {
	fs := oc220.deny with input as real(true, true, false, false)
	count(fs) == 1
	some f in fs
	f.rule == "OC220"
	f.severity == "error"
	f.pointer == "/diagnostics/otel/metrics"
	contains(f.message, "`diagnostics.otel.metrics: false`: OpenTelemetry exports no metrics")
}

test_fires_real_no_exporter_as_warning if {
	fs := oc220.deny with input as real(null, null, null, false)
	count(fs) == 1
	some f in fs
	f.rule == "OC220"
	f.severity == "warning"
	f.pointer == "/diagnostics/otel/enabled"
	contains(f.message, "no metrics exporter: `diagnostics.otel.enabled` is not true")
}

test_passes_real_otel_metrics if {
	count(oc220.deny) == 0 with input as real(true, true, true, false)
}

test_passes_real_otel_metrics_default if {
	count(oc220.deny) == 0 with input as real(null, true, null, false)
}

test_passes_real_prometheus_plugin if {
	count(oc220.deny) == 0 with input as real(null, false, false, true)
}

test_passes_real_otel_metrics_off_with_prometheus if {
	count(oc220.deny) == 0 with input as real(true, true, false, true)
}
