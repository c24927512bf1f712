package clawcheck.rules.oc502_test

import data.clawcheck.rules.oc502
import rego.v1

cfg(p, v) := {"present": true, "value": v, "place": {"path": "openclaw.json", "pointer": p, "line": 3, "column": 5}}

here := {"path": "docker-compose.yml", "pointer": "/0/services/gw/command/4", "line": 8, "column": 9}

gw(bind, port, mode) := {"deployment": {"path": "docker-compose.yml", "workloads": [
	{"name": "gw", "role": "gateway", "effective": {"bind": bind, "port": port, "auth_mode": mode}},
	{"name": "cli", "role": "cli"},
]}}

test_fires_when_a_bind_flag_contradicts_the_config if {
	fs := oc502.deny with input as gw(
		{"value": "lan", "source": "flag", "place": here, "config": cfg("/gateway/bind", "loopback")},
		{"value": 18789, "source": "default", "place": null, "config": null},
		{"value": null, "source": "default", "place": null, "config": null},
	)
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/command/4"
	contains(f.message, "`--bind lan` overrides `gateway.bind: loopback` of openclaw.json:3:5")
	f.related[0].line == 3
}

test_fires_for_an_env_port_and_an_auth_flag if {
	fs := oc502.deny with input as gw(
		{"value": "loopback", "source": "config", "place": null, "config": cfg("/gateway/bind", "loopback")},
		{"value": 3000, "source": "env", "place": here, "config": cfg("/gateway/port", 18789)},
		{"value": "none", "source": "flag", "place": here, "config": cfg("/gateway/auth/mode", "token")},
	)
	count(fs) == 2
	some f in fs
	contains(f.message, "`OPENCLAW_GATEWAY_PORT 3000` overrides `gateway.port: 18789`")
}

test_passes_when_the_override_agrees if {
	count(oc502.deny) == 0 with input as gw(
		{"value": "lan", "source": "flag", "place": here, "config": cfg("/gateway/bind", "lan")},
		{"value": 18789, "source": "flag", "place": here, "config": {"present": false, "value": null, "place": here}},
		{"value": null, "source": "default", "place": null, "config": null},
	)
}

test_fires_for_a_port_flag if {
	fs := oc502.deny with input as gw(
		{"value": "loopback", "source": "default", "place": null, "config": null},
		{"value": 3000, "source": "flag", "place": here, "config": cfg("/gateway/port", 18789)},
		{"value": null, "source": "default", "place": null, "config": null},
	)
	some f in fs
	contains(f.message, "`--port 3000` overrides `gateway.port: 18789`")
}
