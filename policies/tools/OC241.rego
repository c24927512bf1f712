package clawcheck.rules.oc241

import data.clawcheck.lib.openclaw as oc
import rego.v1

deny contains f if {
	input.posture.real
	some c in input.posture.channels
	oc.open_dm(c)
	f := {
		"rule": "OC241",
		"pointer": c.dm_policy.pointer,
		"fix": {"set": "pairing", "applicability": "unsafe", "reason": "unknown senders must pair before they reach the agent"},
		"message": sprintf("`channels.%s.dmPolicy: \"open\"`: anyone may message the agent%s", [c.name, data.clawcheck.lib.openclaw.reach_text]),
	}
}

deny contains f if {
	input.posture.real
	some c in input.posture.channels
	oc.open_group(c)
	f := {
		"rule": "OC241",
		"severity": group_severity(data.clawcheck.lib.openclaw.reach),
		"pointer": c.group_policy.pointer,
		"fix": {"set": "allowlist", "applicability": "unsafe", "reason": "only allowlisted groups may use the agent"},
		"message": sprintf("`channels.%s.groupPolicy: \"open\"`: any group the bot is added to may use the agent%s", [c.name, data.clawcheck.lib.openclaw.reach_text]),
	}
}

# An open group is a warning, an error when it reaches elevated tools
# (`openclaw security audit`: security.exposure.open_groups_with_elevated,
# critical). A function of the reach, not a rule: evaluated afresh per input.
group_severity(reach) := "error" if "elevated tools" in reach

group_severity(reach) := "warning" if not "elevated tools" in reach
