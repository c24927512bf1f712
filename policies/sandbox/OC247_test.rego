package clawcheck.rules.oc247_test

import data.clawcheck.rules.oc247
import rego.v1

real(kind, network, join) := {"posture": {"real": true, "sandboxes": [{
	"setting": sprintf("agents.defaults.sandbox.%s", [kind]),
	"kind": kind,
	"network": {"present": network != null, "value": network, "pointer": "/agents/defaults/sandbox/docker/network"},
	"allow_container_join": {"present": join != null, "value": join, "pointer": "/x"},
}]}}

test_fires_host if {
	fs := oc247.deny with input as real("docker", "Host", null)
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/defaults/sandbox/docker/network"
	f.message == "`agents.defaults.sandbox.docker`: `network: \"host\"` bypasses the container's network isolation; OpenClaw rejects the config"
}

test_fires_browser_host if {
	count(oc247.deny) == 1 with input as real("browser", "host", null)
}

test_fires_container_join if {
	some f in oc247.deny with input as real("docker", "container:db", null)
	contains(f.message, "unless `dangerouslyAllowContainerNamespaceJoin`")
}

test_fires_container_join_with_override if {
	some f in oc247.deny with input as real("docker", "container:db", true)
	contains(f.message, "is set")
}

test_passes if {
	count(oc247.deny) == 0 with input as real("docker", "none", null)
	count(oc247.deny) == 0 with input as real("docker", null, null)
	count(oc247.deny) == 0 with input as real("browser", "container:db", null)
}
