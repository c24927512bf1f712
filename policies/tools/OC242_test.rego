package clawcheck.rules.oc242_test

import data.clawcheck.rules.oc242
import rego.v1

field(v, pointer) := {"present": v != null, "value": v, "pointer": pointer}

channel(enabled, dm, group) := {
	"name": "telegram",
	"pointer": "/channels/telegram",
	"enabled": field(enabled, "/channels/telegram/enabled"),
	"dm_policy": field(dm, "/channels/telegram/dmPolicy"),
	"group_policy": field(group, "/channels/telegram/groupPolicy"),
}

profile(v, pointer, scope) := {"present": v != null, "value": v, "pointer": pointer, "scope": scope}

real(channels, profiles) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "channels": channels, "tool_profiles": profiles}}

test_fires_full_profile_with_open_dm if {
	fs := oc242.deny with input as real([channel(null, "open", null)], [profile("full", "/tools/profile", "tools")])
	count(fs) == 1
	some f in fs
	f.rule == "OC242"
	f.pointer == "/tools/profile"
	not f.severity
	f.message == "`tools.profile: \"full\"` (tools) exposes control-plane tools (gateway, plugins, automations) to an open channel"
}

test_fires_agent_full_profile_with_open_group if {
	fs := oc242.deny with input as real([channel(true, "pairing", "open")], [
		profile("coding", "/tools/profile", "tools"),
		profile("full", "/agents/entries/ops/tools/profile", "agent `ops`"),
	])
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/entries/ops/tools/profile"
	contains(f.message, "(agent `ops`)")
}

test_passes_full_profile_without_open_channel if {
	count(oc242.deny) == 0 with input as real([channel(null, "pairing", "allowlist")], [profile("full", "/tools/profile", "tools")])
}

test_passes_full_profile_with_disabled_open_channel if {
	count(oc242.deny) == 0 with input as real([channel(false, "open", "open")], [profile("full", "/tools/profile", "tools")])
}

test_passes_open_channel_with_coding_profile if {
	count(oc242.deny) == 0 with input as real([channel(null, "open", null)], [profile("coding", "/tools/profile", "tools")])
}

test_passes_when_the_scope_is_sandboxed if {
	p := object.union(profile("full", "/tools/profile", "tools"), {"sandbox": "all"})
	count(oc242.deny) == 0 with input as real([channel(null, "open", null)], [p])
}

test_fires_when_the_scope_is_sandboxed_for_non_main_only if {
	p := object.union(profile("full", "/tools/profile", "tools"), {"sandbox": "non-main"})
	count(oc242.deny) == 1 with input as real([channel(null, "open", null)], [p])
}
