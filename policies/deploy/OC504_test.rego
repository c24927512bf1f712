package clawcheck.rules.oc504_test

import data.clawcheck.rules.oc504
import rego.v1

dep(role, mounts, config) := {"deployment": {"path": "docker-compose.yml", "workloads": [{"name": "gw", "role": role, "mounts": mounts, "config": config}]}}

test_fires_on_a_socket_mount if {
	fs := oc504.deny with input as dep("gateway", [{"pointer": "/0/services/gw/volumes/1", "target": "/var/run/docker.sock", "docker_socket": true}], {"path": "openclaw/openclaw.json", "how": "mounted at `/home/node/.openclaw`"})
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/volumes/1"
	contains(f.message, "runs openclaw/openclaw.json, mounted at")
}

test_passes_without_one_and_for_other_workloads if {
	count(oc504.deny) == 0 with input as dep("gateway", [{"pointer": "/v", "target": "/data", "docker_socket": false}], null)
	count(oc504.deny) == 0 with input as dep("other", [{"pointer": "/v", "target": "/var/run/docker.sock", "docker_socket": true}], null)
}
