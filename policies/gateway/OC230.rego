package clawcheck.rules.oc230

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC230: exposed without authentication.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.exposed
	data.clawcheck.lib.openclaw.g.auth.mode.value == "none"
	f := {
		"rule": "OC230",
		"pointer": data.clawcheck.lib.openclaw.g.auth.mode.pointer,
		"fix": {"pointer": data.clawcheck.lib.openclaw.g.bind.pointer, "set": "loopback", "applicability": "unsafe", "reason": "binds the gateway to loopback: remote clients must come through SSH or Tailscale Serve"},
		"message": sprintf("`gateway.auth.mode: \"none\"` while %s: the gateway and its HTTP APIs are reachable from the network without any credential", [data.clawcheck.lib.openclaw.bind_text]),
	}
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.exposed
	not data.clawcheck.lib.openclaw.g.auth.mode.present
	oc.no_credential(data.clawcheck.lib.openclaw.g.auth.token)
	oc.no_credential(data.clawcheck.lib.openclaw.g.auth.password)
	f := {
		"rule": "OC230",
		"pointer": data.clawcheck.lib.openclaw.g.auth.pointer,
		"fix": {"pointer": data.clawcheck.lib.openclaw.g.bind.pointer, "set": "loopback", "applicability": "unsafe", "reason": "binds the gateway to loopback: remote clients must come through SSH or Tailscale Serve"},
		"message": sprintf("no `gateway.auth.mode`, token or password in the config while %s: unless OPENCLAW_GATEWAY_TOKEN is set where the gateway runs, it is reachable without a credential", [data.clawcheck.lib.openclaw.bind_text]),
	}
}
