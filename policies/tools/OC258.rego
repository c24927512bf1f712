package clawcheck.rules.oc258

import rego.v1

# OC258: a large elevated allowlist.
# `openclaw security audit`: tools.elevated.allowFrom.<channel>.large (warn, > 25 entries).
deny contains f if {
	input.posture.real
	some e in input.posture.elevated
	not e.wildcard
	e.count > 25
	e.enabled.value != false
	f := {
		"rule": "OC258",
		"pointer": e.pointer,
		"fix": {"pointer": e.enabled.pointer, "set": false, "applicability": "unsafe", "reason": "turns elevated tools off (keep them to the few operators who need them instead)"},
		"message": sprintf("elevated tools are allowed from %d senders on %s (%s): more than 25 people may run tools outside the sandbox", [e.count, e.channel, e.scope]),
	}
}
