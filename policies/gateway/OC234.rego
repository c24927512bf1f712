package clawcheck.rules.oc234

import rego.v1

# OC234: Tailscale Funnel.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.tailscale_mode.value == "funnel"
	f := {
		"rule": "OC234",
		"pointer": data.clawcheck.lib.openclaw.g.tailscale_mode.pointer,
		"fix": {"set": "serve", "applicability": "unsafe", "reason": "uses `serve`: the gateway is reachable from the tailnet only, no longer from the internet"},
		"message": "`gateway.tailscale.mode: \"funnel\"` publishes the gateway to the public internet",
	}
}
