package clawcheck.rules.oc230

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC230: exposed without authentication.
deny contains f if {
	input.posture.real
	oc.g.exposed
	oc.g.auth.mode.value == "none"
	f := {
		"rule": "OC230",
		"pointer": oc.g.auth.mode.pointer,
		"fix": {"pointer": oc.g.bind.pointer, "set": "loopback", "applicability": "unsafe", "reason": "binds the gateway to loopback: remote clients must come through SSH or Tailscale Serve"},
		"message": sprintf("`gateway.auth.mode: \"none\"` while %s: the gateway and its HTTP APIs are reachable from the network without any credential", [oc.bind_text]),
	}
}

deny contains f if {
	input.posture.real
	oc.g.exposed
	not oc.g.auth.mode.present
	oc.no_credential(oc.g.auth.token)
	oc.no_credential(oc.g.auth.password)
	f := {
		"rule": "OC230",
		"pointer": oc.g.auth.pointer,
		"fix": {"pointer": oc.g.bind.pointer, "set": "loopback", "applicability": "unsafe", "reason": "binds the gateway to loopback: remote clients must come through SSH or Tailscale Serve"},
		"message": sprintf("no `gateway.auth.mode`, token or password in the config while %s: unless OPENCLAW_GATEWAY_TOKEN is set where the gateway runs, it is reachable without a credential", [oc.bind_text]),
	}
}
