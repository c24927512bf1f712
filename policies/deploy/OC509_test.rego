package clawcheck.rules.oc509_test

import data.clawcheck.rules.oc509
import rego.v1

dep(role, platform, limits) := {"deployment": {"path": "docker-compose.yml", "workloads": [{"name": "gw", "role": role, "platform": platform, "pointer": "/0/services/gw", "limits": limits, "config": null}]}}

test_fires_without_limits if {
	fs := oc509.deny with input as dep("gateway", "compose", null)
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw"
}

test_passes_with_limits_and_on_dockerfiles if {
	count(oc509.deny) == 0 with input as dep("sandbox", "kubernetes", "/0/services/gw/mem_limit")
	count(oc509.deny) == 0 with input as dep("gateway", "dockerfile", null)
	count(oc509.deny) == 0 with input as dep("cli", "compose", null)
}
