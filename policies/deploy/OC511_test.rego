package clawcheck.rules.oc511_test

import data.clawcheck.rules.oc511
import rego.v1

gw := {"name": "openclaw-gateway", "port": 18789, "place": {"path": "docker-compose.yml", "line": 2, "column": 3}}

prom(targets) := {"deployment": {"path": "prometheus.yml", "prometheus": {"scrape_pointer": "/0/scrape_configs", "gateways": [gw], "jobs": [{"name": "j", "targets": targets}]}}}

test_fires_when_no_job_targets_the_gateway_port if {
	fs := oc511.deny with input as prom(["node:9100"])
	count(fs) == 1
	some f in fs
	f.pointer == "/0/scrape_configs"
	contains(f.message, "docker-compose.yml:2:3")
	f.related[0].line == 2
}

test_passes_when_scraped if {
	count(oc511.deny) == 0 with input as prom(["openclaw-gateway:18789"])
}
