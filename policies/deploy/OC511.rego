package clawcheck.rules.oc511

import data.clawcheck.lib.deploy as dp
import rego.v1

scraped(g) if {
	some j in input.deployment.prometheus.jobs
	some t in j.targets
	endswith(t, sprintf(":%d", [g.port]))
}

deny contains f if {
	p := input.deployment.prometheus
	some g in p.gateways
	not scraped(g)
	f := {
		"rule": "OC511",
		"pointer": p.scrape_pointer,
		"message": sprintf("no scrape job targets port %d of gateway `%s` (%s): its metrics (`/api/diagnostics/prometheus`) are never collected", [g.port, g.name, dp.label(g.place)]),
		"related": [dp.related(g.place, "the gateway that is not scraped")],
	}
}
