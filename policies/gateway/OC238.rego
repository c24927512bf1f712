package clawcheck.rules.oc238

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC238: loopback Control UI without trusted proxies. A config without a
# `gateway` section runs one on loopback with the Control UI on (OpenClaw's
# defaults), and OpenClaw's audit reports it too.
deny contains f if {
	input.posture.real
	not data.clawcheck.lib.openclaw.g.exposed
	data.clawcheck.lib.openclaw.cu.enabled.value != false
	oc.empty_list(data.clawcheck.lib.openclaw.g.trusted_proxies)
	f := {
		"rule": "OC238",
		"pointer": data.clawcheck.lib.openclaw.g.trusted_proxies.pointer,
		"fix": {"set": ["127.0.0.1"], "applicability": "unsafe", "reason": "trusts forwarded-for headers from a local reverse proxy only"},
		"message": "`gateway.trustedProxies` is absent while the Control UI is served on loopback: behind a local reverse proxy every request looks local",
	}
}
