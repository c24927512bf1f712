package clawcheck.rules.oc510_test

import data.clawcheck.rules.oc510
import rego.v1

dep(production, flag) := {"deployment": {"path": "docker-compose.yml", "production": production, "workloads": [{"name": "gw", "role": "gateway", "allow_unconfigured": flag, "config": null}]}}

test_fires_in_a_production_manifest if {
	fs := oc510.deny with input as dep(true, "/0/services/gw/command/4")
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/command/4"
}

test_passes_in_a_dev_manifest_or_without_the_flag if {
	count(oc510.deny) == 0 with input as dep(false, "/0/services/gw/command/4")
	count(oc510.deny) == 0 with input as dep(true, null)
}
