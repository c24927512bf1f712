package clawcheck.rules.oc202_test

import data.clawcheck.rules.oc202
import rego.v1

profile(auto_destroy) := {"posture": {"dialect": "policy-profile", "agents": [{
	"name": "helper",
	"pointer": "/agents/helper",
	"auto_destroy": auto_destroy,
}]}}

test_fires_when_auto_destroy_missing if {
	fs := oc202.deny with input as profile({"present": false, "value": null, "pointer": "/agents/helper"})
	count(fs) == 1
	some f in fs
	f.rule == "OC202"
	f.pointer == "/agents/helper"
	not f.severity
	contains(f.message, "agent `helper` does not set `auto-destroy`")
}

test_fires_when_auto_destroy_false if {
	fs := oc202.deny with input as profile({"present": true, "value": false, "pointer": "/agents/helper/auto-destroy"})
	count(fs) == 1
	some f in fs
	f.rule == "OC202"
	f.pointer == "/agents/helper/auto-destroy"
	f.message == "agent `helper` has `auto-destroy: false`: expected `true`"
}

test_fires_when_auto_destroy_is_a_string if {
	fs := oc202.deny with input as profile({"present": true, "value": "true", "pointer": "/agents/helper/auto-destroy"})
	some f in fs
	f.rule == "OC202"
	f.pointer == "/agents/helper/auto-destroy"
	contains(f.message, "has `auto-destroy: true`: expected `true`")
}

test_passes_auto_destroy_true if {
	count(oc202.deny) == 0 with input as profile({"present": true, "value": true, "pointer": "/agents/helper/auto-destroy"})
}

# Real configs.
real(archive, acp_mode) := {"posture": {
	"dialect": "openclaw-2026.9",
	"real": true,
	"subagents": {"archive_after_minutes": {"present": archive != null, "value": archive, "pointer": "/agents/defaults/subagents/archiveAfterMinutes"}},
	"agents": [{
		"name": "coder",
		"pointer": "/agents/entries/coder",
		"acp_mode": {"present": acp_mode != null, "value": acp_mode, "pointer": "/agents/entries/coder/runtime/acp/mode"},
	}],
}}

test_fires_real_archive_zero if {
	fs := oc202.deny with input as real(0, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC202"
	f.severity == "warning"
	f.pointer == "/agents/defaults/subagents/archiveAfterMinutes"
	contains(f.message, "finished sub-agent sessions are never archived")
}

test_fires_real_persistent_acp if {
	fs := oc202.deny with input as real(30, "persistent")
	count(fs) == 1
	some f in fs
	f.rule == "OC202"
	f.severity == "warning"
	f.pointer == "/agents/entries/coder/runtime/acp/mode"
	contains(f.message, "agent `coder` runs an ACP harness in `mode: \"persistent\"`")
}

test_passes_real_archive_and_oneshot if {
	count(oc202.deny) == 0 with input as real(30, "oneshot")
}

test_passes_real_defaults if {
	count(oc202.deny) == 0 with input as real(null, null)
}

test_real_branches_ignore_profiles if {
	inp := object.union(real(0, "persistent"), {"posture": {"dialect": "policy-profile", "real": false, "agents": [{
		"name": "coder",
		"pointer": "/agents/coder",
		"auto_destroy": {"present": true, "value": true, "pointer": "/agents/coder/auto-destroy"},
		"acp_mode": {"present": true, "value": "persistent", "pointer": "/agents/coder/runtime/acp/mode"},
	}]}})
	count(oc202.deny) == 0 with input as inp
}
