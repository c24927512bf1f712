package clawcheck.rules.oc241_test

import data.clawcheck.rules.oc241
import rego.v1

field(v, pointer) := {"present": v != null, "value": v, "pointer": pointer}

channel(name, enabled, dm, group) := {
	"name": name,
	"pointer": sprintf("/channels/%s", [name]),
	"enabled": field(enabled, sprintf("/channels/%s/enabled", [name])),
	"dm_policy": field(dm, sprintf("/channels/%s/dmPolicy", [name])),
	"group_policy": field(group, sprintf("/channels/%s/groupPolicy", [name])),
}

full_exec := {
	"scope": "tools.exec",
	"agent": null,
	"security": field("full", "/tools/exec/security"),
	"mode": field(null, "/tools/exec/mode"),
	"ask": field("off", "/tools/exec/ask"),
}

elevated(enabled) := {"scope": "tools", "channel": "telegram", "pointer": "/tools/elevated/allowFrom/telegram", "wildcard": false, "enabled": field(enabled, "/tools/elevated/enabled")}

real(channels, exec, elev) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "version": "2026.9", "channels": channels, "exec": exec, "elevated": elev}}

test_fires_open_dm if {
	fs := oc241.deny with input as real([channel("telegram", null, "open", null)], [], [])
	count(fs) == 1
	some f in fs
	f.rule == "OC241"
	f.pointer == "/channels/telegram/dmPolicy"
	not f.severity
	f.message == "`channels.telegram.dmPolicy: \"open\"`: anyone may message the agent"
}

test_fires_open_group_as_warning if {
	fs := oc241.deny with input as real([channel("discord", true, "pairing", "open")], [], [])
	count(fs) == 1
	some f in fs
	f.rule == "OC241"
	f.severity == "warning"
	f.pointer == "/channels/discord/groupPolicy"
	f.message == "`channels.discord.groupPolicy: \"open\"`: any group the bot is added to may use the agent"
}

test_fires_open_dm_reaching_exec_and_elevated if {
	fs := oc241.deny with input as real([channel("telegram", null, "open", null)], [full_exec], [elevated(true)])
	count(fs) == 1
	some f in fs
	f.pointer == "/channels/telegram/dmPolicy"
	endswith(f.message, "anyone may message the agent, and it reaches elevated tools and unrestricted exec")
}

test_fires_open_group_reaching_exec if {
	fs := oc241.deny with input as real([channel("discord", null, null, "open")], [full_exec], [elevated(false)])
	count(fs) == 1
	some f in fs
	endswith(f.message, "may use the agent, and it reaches unrestricted exec")
	f.severity == "warning"
}

test_fires_open_group_reaching_elevated_as_an_error if {
	fs := oc241.deny with input as real([channel("discord", null, null, "open")], [], [elevated(true)])
	count(fs) == 1
	some f in fs
	f.severity == "error"
	endswith(f.message, "may use the agent, and it reaches elevated tools")
}

test_fires_open_dm_and_group if {
	count(oc241.deny) == 2 with input as real([channel("slack", null, "open", "open")], [], [])
}

test_passes_pairing_and_allowlist if {
	count(oc241.deny) == 0 with input as real([channel("telegram", null, "pairing", "allowlist")], [full_exec], [elevated(true)])
}

test_passes_disabled_open_channel if {
	count(oc241.deny) == 0 with input as real([channel("telegram", false, "open", "open")], [], [])
}
