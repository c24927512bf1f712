package clawcheck.rules.oc507_test

import data.clawcheck.rules.oc507
import rego.v1

dep(role, v) := {"deployment": {"path": "k8s.yaml", "workloads": [{"name": "gw", "role": role, "host_pid": v, "config": null}]}}

test_fires_when_set if {
	fs := oc507.deny with input as dep("sandbox", "/0/spec/template/spec/x")
	count(fs) == 1
	some f in fs
	f.pointer == "/0/spec/template/spec/x"
	contains(f.message, "`gw` (sandbox)")
}

test_passes_when_unset_or_not_openclaw if {
	count(oc507.deny) == 0 with input as dep("gateway", null)
	count(oc507.deny) == 0 with input as dep("other", "/x")
}
