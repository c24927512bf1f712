# Real OpenClaw configs: exec, elevated tools, open channels, tool profiles
# and log redaction (OC239–OC243).
package clawcheck.openclaw.tools

import rego.v1

show(v) := sprintf("%v", [v])

# OC239: unrestricted exec while the sandbox is off.
asks(s) if s.ask.value in {"on-miss", "always"}

asks(s) if {
	not s.ask.present
	input.posture.version == "2026.2"
}

unrestricted(s) := s.mode if s.mode.value == "full"

unrestricted(s) := s.security if {
	not s.mode.value == "full"
	s.security.value == "full"
	not asks(s)
}

sandbox_off(s) if not s.sandbox.present

sandbox_off(s) if s.sandbox.value == "off"

sandbox_text(s) := sprintf("`sandbox.mode` is `%v`", [s.sandbox.value]) if s.sandbox.present

sandbox_text(s) := "no `sandbox.mode` is set (default `off`)" if not s.sandbox.present

host_text(s) := sprintf(" on host `%v`", [s.host.value]) if s.host.present

host_text(s) := "" if not s.host.present

ask_text(s) := sprintf(" with `ask: \"%v\"`", [s.ask.value]) if s.ask.present

ask_text(s) := "" if not s.ask.present

scope_text(s) := "" if s.agent == null

scope_text(s) := sprintf(" (agent `%s`)", [s.agent]) if s.agent != null

deny contains f if {
	input.posture.real
	some s in input.posture.exec
	setting := unrestricted(s)
	sandbox_off(s)
	not s.host.value == "sandbox"
	f := {
		"rule": "OC239",
		"pointer": exec_pointer(s, setting),
		"message": sprintf("exec is unrestricted (`%s: \"full\"`%s%s) while %s%s: any shell command runs on the gateway host", [last(setting.pointer), ask_text(s), host_text(s), sandbox_text(s), scope_text(s)]),
	}
}

# Report at the scope's own setting: an agent that only turns its sandbox off
# is reported at its `sandbox.mode`, not at the global exec setting.
exec_pointer(s, setting) := setting.pointer if s.agent == null

exec_pointer(s, setting) := setting.pointer if {
	s.agent != null
	startswith(setting.pointer, concat("", [s.agent_pointer, "/"]))
}

exec_pointer(s, setting) := s.sandbox.pointer if {
	s.agent != null
	not startswith(setting.pointer, concat("", [s.agent_pointer, "/"]))
}

last(p) := parts[count(parts) - 1] if parts := split(p, "/")

# OC240: elevated tools from anyone.
deny contains f if {
	input.posture.real
	some e in input.posture.elevated
	e.wildcard
	e.enabled.value != false
	f := {
		"rule": "OC240",
		"pointer": e.pointer,
		"message": sprintf("elevated tools are allowed from `\"*\"` on %s (%s): every sender may run tools outside the sandbox", [e.channel, e.scope]),
	}
}

# OC241: open channels.
open_dm(c) if {
	c.enabled.value != false
	c.dm_policy.value == "open"
}

open_group(c) if {
	c.enabled.value != false
	c.group_policy.value == "open"
}

any_open if {
	some c in input.posture.channels
	open_dm(c)
}

any_open if {
	some c in input.posture.channels
	open_group(c)
}

reach contains "unrestricted exec" if {
	some s in input.posture.exec
	unrestricted(s)
}

reach contains "elevated tools" if {
	some e in input.posture.elevated
	e.enabled.value != false
}

reach_text := sprintf(", and it reaches %s", [concat(" and ", sort([r | some r in reach]))]) if count(reach) > 0

reach_text := "" if count(reach) == 0

deny contains f if {
	input.posture.real
	some c in input.posture.channels
	open_dm(c)
	f := {
		"rule": "OC241",
		"pointer": c.dm_policy.pointer,
		"message": sprintf("`channels.%s.dmPolicy: \"open\"`: anyone may message the agent%s", [c.name, reach_text]),
	}
}

deny contains f if {
	input.posture.real
	some c in input.posture.channels
	open_group(c)
	f := {
		"rule": "OC241",
		"severity": "warning",
		"pointer": c.group_policy.pointer,
		"message": sprintf("`channels.%s.groupPolicy: \"open\"`: any group the bot is added to may use the agent%s", [c.name, reach_text]),
	}
}

# OC242: full tool profile while a channel is open.
deny contains f if {
	input.posture.real
	any_open
	some p in input.posture.tool_profiles
	p.value == "full"
	f := {
		"rule": "OC242",
		"pointer": p.pointer,
		"message": sprintf("`tools.profile: \"full\"` (%s) exposes control-plane tools (gateway, plugins, automations) to an open channel", [p.scope]),
	}
}

# OC243: log redaction off.
deny contains f if {
	input.posture.real
	r := input.posture.logging.redact_sensitive
	r.value == "off"
	f := {
		"rule": "OC243",
		"pointer": r.pointer,
		"message": "`logging.redactSensitive: \"off\"`: tool arguments and outputs, including secrets, are logged unredacted",
	}
}
