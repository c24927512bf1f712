package clawcheck.rules.oc512_test

import data.clawcheck.rules.oc512
import rego.v1

m := {"name": "timeout-count", "place": {"path": "agents.openclaw.json", "line": 7, "column": 9}}

prom(exprs) := {"deployment": {"path": "prometheus.yml", "prometheus": {"rules_pointer": "/0/rule_files", "declared_metrics": [m], "alert_exprs": exprs}}}

test_fires_when_no_alert_uses_the_metric if {
	fs := oc512.deny with input as prom(["up == 0"])
	count(fs) == 1
	some f in fs
	f.pointer == "/0/rule_files"
	contains(f.message, "`timeout-count` declared at agents.openclaw.json:7:9")
	f.related[0].line == 7
}

test_passes_when_an_alert_names_it if {
	count(oc512.deny) == 0 with input as prom(["increase(openclaw_TIMEOUT_COUNT[5m]) > 0"])
}
