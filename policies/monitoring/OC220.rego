package clawcheck.rules.oc220

import data.clawcheck.lib.profile as p
import rego.v1

# OC220: agents or secrets, but no monitoring section at all.
deny contains f if {
	data.clawcheck.lib.profile.profile
	not input.posture.monitoring.present
	some what in data.clawcheck.lib.profile.absent_subjects
	f := {
		"rule": "OC220",
		"pointer": input.posture.monitoring.pointer,
		"fix": {"pointer": sprintf("%s/monitoring", [input.posture.monitoring.pointer]), "set": {"agents": {"metrics": p.required_metrics("agents")}, "secrets": {"metrics": p.required_metrics("secrets")}}, "applicability": "safe", "reason": "declares the required agent and secret metrics (the section only declares them)"},
		"message": sprintf("config declares %s but has no `monitoring` section", [what]),
	}
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.m.diagnostics_enabled.value == false
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": data.clawcheck.lib.openclaw.m.diagnostics_enabled.pointer,
		"fix": {"set": true, "applicability": "unsafe", "reason": "turns diagnostics on: metrics are exported where `diagnostics.otel` or the Prometheus plugin sends them"},
		"message": "`diagnostics.enabled: false`: no metrics are exported (no OpenTelemetry metrics, no Prometheus plugin)",
	}
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.m.diagnostics_enabled.value != false
	data.clawcheck.lib.openclaw.m.otel_enabled.value == true
	data.clawcheck.lib.openclaw.m.otel_metrics.value == false
	not data.clawcheck.lib.openclaw.m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": data.clawcheck.lib.openclaw.m.otel_metrics.pointer,
		"fix": {"set": true, "applicability": "unsafe", "reason": "exports metrics through OpenTelemetry to the configured endpoint"},
		"message": "`diagnostics.otel.metrics: false`: OpenTelemetry exports no metrics and the diagnostics-prometheus plugin is not enabled",
	}
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.m.diagnostics_enabled.value != false
	data.clawcheck.lib.openclaw.m.otel_enabled.value != true
	not data.clawcheck.lib.openclaw.m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "warning",
		"pointer": data.clawcheck.lib.openclaw.m.otel_enabled.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "configure `diagnostics.otel` (endpoint, `metrics: true`) or enable the diagnostics-prometheus plugin"},
		"message": "no metrics exporter: `diagnostics.otel.enabled` is not true and the diagnostics-prometheus plugin is not enabled",
	}
}
