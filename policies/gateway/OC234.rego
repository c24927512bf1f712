package clawcheck.rules.oc234

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC234: Tailscale Funnel.
deny contains f if {
	input.posture.real
	oc.g.tailscale_mode.value == "funnel"
	f := {
		"rule": "OC234",
		"pointer": oc.g.tailscale_mode.pointer,
		"message": "`gateway.tailscale.mode: \"funnel\"` publishes the gateway to the public internet",
	}
}
