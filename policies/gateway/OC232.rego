package clawcheck.rules.oc232

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC232: Control UI origins.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.cu.enabled.value != false
	is_array(data.clawcheck.lib.openclaw.cu.allowed_origins.value)
	"*" in data.clawcheck.lib.openclaw.cu.allowed_origins.value
	f := {
		"rule": "OC232",
		"severity": data.clawcheck.lib.openclaw.origin_severity,
		"pointer": data.clawcheck.lib.openclaw.cu.allowed_origins.pointer,
		"fix": {"pointer": data.clawcheck.lib.openclaw.cu.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns the Control UI off (list its real origins in `allowedOrigins` instead to keep it)"},
		"message": sprintf("`gateway.controlUi.allowedOrigins` contains `\"*\"`%s: any web origin may drive the Control UI/WebChat", [data.clawcheck.lib.openclaw.origin_context]),
	}
}

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.g.exposed
	data.clawcheck.lib.openclaw.cu.enabled.value != false
	oc.empty_list(data.clawcheck.lib.openclaw.cu.allowed_origins)
	f := {
		"rule": "OC232",
		"pointer": data.clawcheck.lib.openclaw.cu.allowed_origins.pointer,
		"fix": {"pointer": data.clawcheck.lib.openclaw.cu.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns the Control UI off (list its real origins in `allowedOrigins` instead to keep it)"},
		"message": sprintf("the Control UI is served while %s without `gateway.controlUi.allowedOrigins`: list the origins allowed to use it", [data.clawcheck.lib.openclaw.bind_text]),
	}
}
