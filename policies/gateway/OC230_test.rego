package clawcheck.rules.oc230_test

import data.clawcheck.rules.oc230
import rego.v1

field(present, value, pointer) := {"present": present, "value": value, "pointer": pointer}

cred(kind, pointer) := {"present": kind != "absent", "value": null, "pointer": pointer, "kind": kind, "length": 0, "shown": "", "placeholder": false}

gw(bind, exposed, mode, token) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {
	"present": true,
	"pointer": "/gateway",
	"bind": field(bind != null, bind, "/gateway/bind"),
	"exposed": exposed,
	"funnel": false,
	"auth": {
		"pointer": "/gateway/auth",
		"mode": field(mode != null, mode, "/gateway/auth/mode"),
		"token": cred(token, "/gateway/auth/token"),
		"password": cred("absent", "/gateway/auth/password"),
	},
}}}

test_fires_mode_none_while_exposed if {
	fs := oc230.deny with input as gw("lan", true, "none", "absent")
	count(fs) == 1
	some f in fs
	f.rule == "OC230"
	f.pointer == "/gateway/auth/mode"
	not f.severity
	contains(f.message, "`gateway.auth.mode: \"none\"` while `gateway.bind: \"lan\"`: the gateway")
}

test_fires_no_credential_while_exposed if {
	fs := oc230.deny with input as gw("custom", true, null, "absent")
	count(fs) == 1
	some f in fs
	f.rule == "OC230"
	f.pointer == "/gateway/auth"
	contains(f.message, "no `gateway.auth.mode`, token or password in the config while `gateway.bind: \"custom\"`")
	contains(f.message, "OPENCLAW_GATEWAY_TOKEN")
}

test_fires_empty_token_while_exposed if {
	fs := oc230.deny with input as gw("lan", true, null, "empty")
	some f in fs
	f.pointer == "/gateway/auth"
}

test_passes_mode_none_on_loopback if {
	count(oc230.deny) == 0 with input as gw("loopback", false, "none", "absent")
}

test_passes_exposed_with_token_mode if {
	count(oc230.deny) == 0 with input as gw("lan", true, "token", "secret-ref")
}

test_passes_exposed_without_mode_but_with_token if {
	count(oc230.deny) == 0 with input as gw("lan", true, null, "secret-ref")
}
