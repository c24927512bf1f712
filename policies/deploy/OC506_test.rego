package clawcheck.rules.oc506_test

import data.clawcheck.rules.oc506
import rego.v1

dep(role, v) := {"deployment": {"path": "k8s.yaml", "workloads": [{"name": "gw", "role": role, "host_network": v, "config": null}]}}

test_fires_when_set if {
	fs := oc506.deny with input as dep("sandbox", "/0/spec/template/spec/x")
	count(fs) == 1
	some f in fs
	f.pointer == "/0/spec/template/spec/x"
	contains(f.message, "`gw` (sandbox)")
}

test_passes_when_unset_or_not_openclaw if {
	count(oc506.deny) == 0 with input as dep("gateway", null)
	count(oc506.deny) == 0 with input as dep("other", "/x")
}
