package clawcheck.rules.oc512

import data.clawcheck.lib.deploy as dp
import rego.v1

alerted(m) if {
	some e in input.deployment.prometheus.alert_exprs
	contains(lower(e), replace(lower(m.name), "-", "_"))
}

deny contains f if {
	p := input.deployment.prometheus
	some m in p.declared_metrics
	not alerted(m)
	f := {
		"rule": "OC512",
		"pointer": p.rules_pointer,
		"message": sprintf("metric `%s` declared at %s has no alert rule: no alerting `expr` of the Prometheus rules names it", [m.name, dp.label(m.place)]),
		"related": [dp.related(m.place, sprintf("`%s` is declared here", [m.name]))],
	}
}
