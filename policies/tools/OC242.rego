package clawcheck.rules.oc242

import rego.v1

# OC242: full tool profile while a channel is open. `openclaw security audit`:
# security.exposure.open_groups_with_control_plane_tools (critical), which
# OpenClaw reports only where the control-plane tools pass the tool policy: a
# scope sandboxed with `mode: "all"` gets the sandbox tool policy, which
# denies them.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.any_open
	some p in input.posture.tool_profiles
	p.value == "full"
	object.get(p, "sandbox", null) != "all"
	f := {
		"rule": "OC242",
		"pointer": p.pointer,
		"fix": {"set": "messaging", "applicability": "unsafe", "reason": "the `messaging` profile drops the control-plane tools"},
		"message": sprintf("`tools.profile: \"full\"` (%s) exposes control-plane tools (gateway, plugins, automations) to an open channel", [p.scope]),
	}
}
