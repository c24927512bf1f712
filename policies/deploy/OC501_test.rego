package clawcheck.rules.oc501_test

import data.clawcheck.rules.oc501
import rego.v1

cfg_place := {"path": "openclaw.json", "pointer": "/gateway/auth/mode", "line": 4, "column": 7}

gw(published, host_network, platform, bind_source, weak) := {"deployment": {"path": "docker-compose.yml", "workloads": [{
	"name": "openclaw-gateway",
	"role": "gateway",
	"platform": platform,
	"published": published,
	"host_network": host_network,
	"effective": {
		"bind": {"value": "lan", "source": bind_source, "exposed": true, "place": {"path": "docker-compose.yml", "pointer": "/0/services/gw/command/3", "line": 9, "column": 9}},
		"auth": {"weak": weak, "why": "`auth mode: none`: no credential at all", "place": cfg_place},
	},
}]}}

all_interfaces := [{"pointer": "/0/services/gw/ports/0", "via": "ports", "loopback": false}]

test_fires_on_a_port_published_on_every_interface if {
	fs := oc501.deny with input as gw(all_interfaces, null, "compose", "flag", true)
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/ports/0"
	contains(f.message, "openclaw.json:4:7")
	f.related[0].path == "openclaw.json"
	f.related[0].line == 4
	contains(f.message, "by a port mapping on every host interface while")
}

test_fires_on_the_host_network if {
	fs := oc501.deny with input as gw([], "/0/services/gw/network_mode", "compose", "config", true)
	some f in fs
	f.pointer == "/0/services/gw/network_mode"
}

test_fires_on_a_systemd_bind_flag if {
	fs := oc501.deny with input as gw([], null, "systemd", "flag", true)
	some f in fs
	f.pointer == "/0/services/gw/command/3"
	contains(f.message, "`--bind lan` on the host")
}

test_passes_on_loopback_publishing if {
	count(oc501.deny) == 0 with input as gw([{"pointer": "/p", "via": "ports", "loopback": true}], null, "compose", "flag", true)
}

test_passes_with_strong_auth if {
	count(oc501.deny) == 0 with input as gw(all_interfaces, null, "compose", "flag", false)
}
