package clawcheck.rules.oc508_test

import data.clawcheck.rules.oc508
import rego.v1

dep(mounts, config) := {"deployment": {"path": "docker-compose.yml", "workloads": [{"name": "gw", "role": "gateway", "mounts": mounts, "config": config}]}}

mount(ro) := {"pointer": "/0/services/gw/volumes/0", "target": "/home/node/.openclaw", "holds_config": true, "read_only": ro}

test_fires_on_a_writable_config_mount if {
	fs := oc508.deny with input as dep([mount(false)], {"path": "openclaw/openclaw.json", "how": "mounted at `/home/node/.openclaw`"})
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/volumes/0"
	f.related[0].path == "openclaw/openclaw.json"
}

test_fires_without_a_linked_config if {
	fs := oc508.deny with input as dep([mount(false)], null)
	some f in fs
	f.related == []
}

test_passes_read_only if {
	count(oc508.deny) == 0 with input as dep([mount(true)], null)
}
