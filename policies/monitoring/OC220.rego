package clawcheck.rules.oc220

import data.clawcheck.lib.openclaw as oc
import data.clawcheck.lib.profile as p
import rego.v1

# OC220: agents or secrets, but no monitoring section at all.
deny contains f if {
	p.profile
	not input.posture.monitoring.present
	some what in p.absent_subjects
	f := {
		"rule": "OC220",
		"pointer": input.posture.monitoring.pointer,
		"message": sprintf("config declares %s but has no `monitoring` section", [what]),
	}
}

deny contains f if {
	input.posture.real
	oc.m.diagnostics_enabled.value == false
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": oc.m.diagnostics_enabled.pointer,
		"message": "`diagnostics.enabled: false`: no metrics are exported (no OpenTelemetry metrics, no Prometheus plugin)",
	}
}

deny contains f if {
	input.posture.real
	oc.m.diagnostics_enabled.value != false
	oc.m.otel_enabled.value == true
	oc.m.otel_metrics.value == false
	not oc.m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "error",
		"pointer": oc.m.otel_metrics.pointer,
		"message": "`diagnostics.otel.metrics: false`: OpenTelemetry exports no metrics and the diagnostics-prometheus plugin is not enabled",
	}
}

deny contains f if {
	input.posture.real
	oc.m.diagnostics_enabled.value != false
	oc.m.otel_enabled.value != true
	not oc.m.prometheus_plugin
	f := {
		"rule": "OC220",
		"severity": "warning",
		"pointer": oc.m.otel_enabled.pointer,
		"message": "no metrics exporter: `diagnostics.otel.enabled` is not true and the diagnostics-prometheus plugin is not enabled",
	}
}
