package clawcheck.rules.oc237

import rego.v1

# OC237: X-Real-IP fallback.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.real_ip_fallback.value == true
	f := {
		"rule": "OC237",
		"pointer": data.clawcheck.lib.openclaw.g.real_ip_fallback.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: clients behind an unlisted proxy are seen with the proxy's address"},
		"message": "`gateway.allowRealIpFallback: true`: the client address is taken from X-Real-IP, which a client can spoof through a misconfigured proxy",
	}
}
