package clawcheck.rules.oc235

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC235: Host-header origin fallback. `openclaw security audit`:
# gateway.control_ui.host_header_origin_fallback, critical when the gateway
# binds beyond loopback, warn on loopback.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.cu.host_header_fallback.value == true
	f := {
		"rule": "OC235",
		"severity": severity(data.clawcheck.lib.openclaw.g.bind.value),
		"pointer": data.clawcheck.lib.openclaw.cu.host_header_fallback.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: the Control UI then needs `allowedOrigins`"},
		"message": "`gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback: true`: the Host header is trusted as the origin (DNS-rebinding protection off)",
	}
}

# A function of the bind, not a rule: evaluated afresh for each input.
severity(bind) := "error" if oc.beyond_loopback(bind)

severity(bind) := "warning" if not oc.beyond_loopback(bind)
