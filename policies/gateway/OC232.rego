package clawcheck.rules.oc232

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC232: Control UI origins.
deny contains f if {
	input.posture.real
	oc.cu.enabled.value != false
	is_array(oc.cu.allowed_origins.value)
	"*" in oc.cu.allowed_origins.value
	f := {
		"rule": "OC232",
		"severity": oc.origin_severity,
		"pointer": oc.cu.allowed_origins.pointer,
		"fix": {"pointer": oc.cu.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns the Control UI off (list its real origins in `allowedOrigins` instead to keep it)"},
		"message": sprintf("`gateway.controlUi.allowedOrigins` contains `\"*\"`%s: any web origin may drive the Control UI/WebChat", [oc.origin_context]),
	}
}

deny contains f if {
	input.posture.real
	oc.g.exposed
	oc.cu.enabled.value != false
	oc.empty_list(oc.cu.allowed_origins)
	f := {
		"rule": "OC232",
		"pointer": oc.cu.allowed_origins.pointer,
		"fix": {"pointer": oc.cu.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns the Control UI off (list its real origins in `allowedOrigins` instead to keep it)"},
		"message": sprintf("the Control UI is served while %s without `gateway.controlUi.allowedOrigins`: list the origins allowed to use it", [oc.bind_text]),
	}
}
