package clawcheck.rules.oc238

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC238: loopback Control UI without trusted proxies.
deny contains f if {
	input.posture.real
	oc.g.present
	not oc.g.exposed
	oc.cu.enabled.value != false
	oc.empty_list(oc.g.trusted_proxies)
	f := {
		"rule": "OC238",
		"pointer": oc.g.trusted_proxies.pointer,
		"fix": {"set": ["127.0.0.1"], "applicability": "unsafe", "reason": "trusts forwarded-for headers from a local reverse proxy only"},
		"message": "`gateway.trustedProxies` is absent while the Control UI is served on loopback: behind a local reverse proxy every request looks local",
	}
}
