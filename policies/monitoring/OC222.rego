package clawcheck.rules.oc222

import data.clawcheck.lib.profile as p
import rego.v1

# OC222: the monitoring section covers the required secret metrics.
deny contains f if {
	data.clawcheck.lib.profile.profile
	msg := p.monitoring_problem("secrets", "secret", input.monitoring.secret_metrics)
	f := {
		"rule": "OC222",
		"pointer": p.area_pointer("secrets"),
		"fix": p.metrics_fix("secrets", input.monitoring.secret_metrics),
		"message": msg,
	}
}
