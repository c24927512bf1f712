package clawcheck.rules.oc240

import rego.v1

# OC240: elevated tools from anyone.
deny contains f if {
	input.posture.real
	some e in input.posture.elevated
	e.wildcard
	e.enabled.value != false
	f := {
		"rule": "OC240",
		"pointer": e.pointer,
		"fix": {"pointer": e.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns elevated tools off (list the senders allowed them instead)"},
		"message": sprintf("elevated tools are allowed from `\"*\"` on %s (%s): every sender may run tools outside the sandbox", [e.channel, e.scope]),
	}
}
