# Real OpenClaw configs: metrics (OC220). Monitoring is present when
# diagnostics are on and OpenTelemetry exports metrics, or the
# diagnostics-prometheus plugin is enabled.
package clawcheck.openclaw.monitoring

import rego.v1

m := input.posture.monitoring

deny contains f if {
	input.posture.real
	m.diagnostics_enabled.value == false
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": m.diagnostics_enabled.pointer,
		"message": "`diagnostics.enabled: false`: no metrics are exported (no OpenTelemetry metrics, no Prometheus plugin)",
	}
}

deny contains f if {
	input.posture.real
	m.diagnostics_enabled.value != false
	m.otel_enabled.value == true
	m.otel_metrics.value == false
	not m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": m.otel_metrics.pointer,
		"message": "`diagnostics.otel.metrics: false`: OpenTelemetry exports no metrics and the diagnostics-prometheus plugin is not enabled",
	}
}

deny contains f if {
	input.posture.real
	m.diagnostics_enabled.value != false
	m.otel_enabled.value != true
	not m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "warning",
		"pointer": m.otel_enabled.pointer,
		"message": "no metrics exporter: `diagnostics.otel.enabled` is not true and the diagnostics-prometheus plugin is not enabled",
	}
}
