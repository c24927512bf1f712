package clawcheck.rules.oc257_test

import data.clawcheck.rules.oc257
import rego.v1

field(ptr, v) := {"present": v != null, "value": v, "pointer": ptr}

channel(dm, group, dmblock, lists) := {"posture": {"real": true, "channels": [{
	"name": "telegram",
	"enabled": field("/channels/telegram/enabled", null),
	"dm_policy": field("/channels/telegram/dmPolicy", dm),
	"group_policy": field("/channels/telegram/groupPolicy", group),
	"dm": {"policy": field("/channels/telegram/dm/policy", dmblock)},
	"allowlists": lists,
}]}}

wild(setting, kind) := {"setting": setting, "kind": kind, "pointer": "/p", "wildcard_pointer": "/p/1", "count": 2, "wildcard": true}

test_fires_dm_allowlist if {
	fs := oc257.deny with input as channel("allowlist", null, null, [wild("allowFrom", "dm")])
	count(fs) == 1
	some f in fs
	f.pointer == "/p/1"
	f.message == "`channels.telegram.allowFrom` contains `\"*\"` under `dmPolicy: \"allowlist\"`: the allowlist admits everyone, anyone can message the agent"
}

test_fires_group_default if {
	some f in oc257.deny with input as channel(null, null, null, [wild("groupAllowFrom", "group")])
	f.message == "`channels.telegram.groupAllowFrom` contains `\"*\"` under the default policy (`allowlist`): the allowlist admits everyone, any member of any group can command the agent"
}

test_fires_nested_dm if {
	some f in oc257.deny with input as channel("open", null, "allowlist", [wild("dm.allowFrom", "dm")])
	contains(f.message, "`policy: \"allowlist\"`")
	count(oc257.deny) == 1 with input as channel("pairing", null, null, [wild("dm.allowFrom", "dm")])
}

test_passes_open_or_disabled if {
	count(oc257.deny) == 0 with input as channel("open", "disabled", null, [wild("allowFrom", "dm"), wild("groups.g.allowFrom", "group")])
}

test_passes_no_wildcard if {
	count(oc257.deny) == 0 with input as channel("allowlist", null, null, [object.union(wild("allowFrom", "dm"), {"wildcard": false})])
}
