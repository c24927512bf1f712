package clawcheck.rules.oc202

import data.clawcheck.lib.profile as p
import rego.v1

# OC202: auto-destroy must be exactly true.
deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	not a.auto_destroy.present
	f := {
		"rule": "OC202",
		"pointer": a.pointer,
		"fix": {"pointer": sprintf("%s/auto-destroy", [a.pointer]), "set": true, "applicability": "unsafe", "reason": "sets `auto-destroy: true`: the instance is destroyed when its request ends"},
		"message": sprintf("agent `%s` does not set `auto-destroy`: its instance is not released when the request ends (expected `\"auto-destroy\": true`)", [a.name]),
	}
}

deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.auto_destroy.present
	a.auto_destroy.value != true
	f := {
		"rule": "OC202",
		"pointer": a.auto_destroy.pointer,
		"fix": {"set": true, "applicability": "unsafe", "reason": "sets `auto-destroy: true`: the instance is destroyed when its request ends"},
		"message": sprintf("agent `%s` has `auto-destroy: %s`: expected `true`", [a.name, p.show(a.auto_destroy.value)]),
	}
}

# OC202: finished work is torn down.
deny contains f if {
	input.posture.real
	a := input.posture.subagents.archive_after_minutes
	a.value == 0
	f := {
		"rule": "OC202",
		"severity": "warning",
		"pointer": a.pointer,
		"fix": {"set": 60, "applicability": "unsafe", "reason": "sets OpenClaw's default of 60 minutes: finished sub-agent sessions are archived"},
		"message": "`agents.defaults.subagents.archiveAfterMinutes: 0`: finished sub-agent sessions are never archived (the default is 60)",
	}
}

deny contains f if {
	input.posture.real
	some a in input.posture.agents
	a.acp_mode.value == "persistent"
	f := {
		"rule": "OC202",
		"severity": "warning",
		"pointer": a.acp_mode.pointer,
		"fix": {"set": "oneshot", "applicability": "unsafe", "reason": "sets `mode: \"oneshot\"`: the ACP session ends with its task"},
		"message": sprintf("agent `%s` runs an ACP harness in `mode: \"persistent\"`: its session outlives the task (use `\"oneshot\"` to tear it down with the task)", [a.name]),
	}
}
