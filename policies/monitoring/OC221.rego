package clawcheck.rules.oc221

import data.clawcheck.lib.profile as p
import rego.v1

# OC221: the monitoring section covers the required agent metrics.
deny contains f if {
	data.clawcheck.lib.profile.profile
	msg := p.monitoring_problem("agents", "agent", input.monitoring.agent_metrics)
	f := {
		"rule": "OC221",
		"pointer": p.area_pointer("agents"),
		"fix": p.metrics_fix("agents", input.monitoring.agent_metrics),
		"message": msg,
	}
}
