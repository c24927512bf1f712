package clawcheck.rules.oc242

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC242: full tool profile while a channel is open.
deny contains f if {
	input.posture.real
	oc.any_open
	some p in input.posture.tool_profiles
	p.value == "full"
	f := {
		"rule": "OC242",
		"pointer": p.pointer,
		"fix": {"set": "messaging", "applicability": "unsafe", "reason": "the `messaging` profile drops the control-plane tools"},
		"message": sprintf("`tools.profile: \"full\"` (%s) exposes control-plane tools (gateway, plugins, automations) to an open channel", [p.scope]),
	}
}
