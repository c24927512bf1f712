package clawcheck.rules.oc263_test

import data.clawcheck.rules.oc263
import rego.v1

field(v, p) := {"present": v != null, "value": v, "pointer": p}

global(host, mode) := {
	"scope": "tools.exec", "agent": null,
	"host": field(host, "/tools/exec/host"),
	"sandbox": field(mode, "/agents/defaults/sandbox/mode"),
}

agent(host_ptr, mode) := {
	"scope": "agent `ops`", "agent": "ops", "agent_pointer": "/agents/entries/ops",
	"host": field("sandbox", host_ptr),
	"sandbox": field(mode, "/agents/entries/ops/sandbox/mode"),
}

cfg(scopes) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "exec": scopes}}

test_global_host_sandbox_with_sandbox_off if {
	fs := oc263.deny with input as cfg([global("sandbox", "off")])
	count(fs) == 1
	some f in fs
	f.rule == "OC263"
	f.pointer == "/tools/exec/host"
	f.fix.pointer == "/agents/defaults/sandbox/mode"
	f.message == "`tools.exec.host: \"sandbox\"` while `sandbox.mode` is `off` (defaults): exec fails closed, no command can run"
}

test_global_host_sandbox_with_sandbox_unset if {
	some f in oc263.deny with input as cfg([global("sandbox", null)])
	contains(f.message, "default `off`")
}

test_agent_own_host if {
	some f in oc263.deny with input as cfg([global("gateway", "all"), agent("/agents/entries/ops/tools/exec/host", "off")])
	f.pointer == "/agents/entries/ops/tools/exec/host"
	contains(f.message, "(agent `ops`)")
}

test_agent_inheriting_the_host_is_the_global_finding_only if {
	fs := oc263.deny with input as cfg([global("sandbox", "off"), agent("/tools/exec/host", "off")])
	count(fs) == 1
}

test_passes_with_sandbox_or_other_host if {
	count(oc263.deny) == 0 with input as cfg([global("sandbox", "all"), global("gateway", "off"), global(null, null)])
}
