package clawcheck.rules.oc257

import rego.v1

# OC257: `"*"` inside a sender allowlist whose policy is not `open`: the
# allowlist admits everyone. Open policies are OC241's.
# `openclaw security audit`: channels.telegram.groups.allowFrom.wildcard (critical);
# for DM allowlists the audit reports nothing (clawcheck is stricter).
policy(c, l) := c.dm.policy if {
	l.setting == "dm.allowFrom"
	c.dm.policy.present
}

policy(c, l) := c.dm_policy if {
	l.setting != "dm.allowFrom"
	l.kind == "dm"
}

policy(c, l) := c.dm_policy if {
	l.setting == "dm.allowFrom"
	not c.dm.policy.present
}

policy(c, l) := c.group_policy if l.kind == "group"

default_text(l) := "`pairing`" if l.kind == "dm"

default_text(l) := "`allowlist`" if l.kind == "group"

policy_text(p, l) := sprintf("`%s: \"%s\"`", [last(p.pointer), p.value]) if p.present

policy_text(p, l) := sprintf("the default policy (%s)", [default_text(l)]) if not p.present

last(ptr) := parts[count(parts) - 1] if parts := split(ptr, "/")

what(l) := "anyone can message the agent" if l.kind == "dm"

what(l) := "any member of any group can command the agent" if l.kind == "group"

deny contains f if {
	input.posture.real
	some c in input.posture.channels
	c.enabled.value != false
	some l in c.allowlists
	l.wildcard
	p := policy(c, l)
	not p.value in {"open", "disabled"}
	f := {
		"rule": "OC257",
		"pointer": l.wildcard_pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "replace `\"*\"` with the sender ids allowed to reach the agent"},
		"message": sprintf("`channels.%s.%s` contains `\"*\"` under %s: the allowlist admits everyone, %s", [c.name, l.setting, policy_text(p, l), what(l)]),
	}
}
