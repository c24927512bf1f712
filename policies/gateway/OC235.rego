package clawcheck.rules.oc235

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC235: Host-header origin fallback.
deny contains f if {
	input.posture.real
	oc.cu.host_header_fallback.value == true
	f := {
		"rule": "OC235",
		"pointer": oc.cu.host_header_fallback.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: the Control UI then needs `allowedOrigins`"},
		"message": "`gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback: true`: the Host header is trusted as the origin (DNS-rebinding protection off)",
	}
}
