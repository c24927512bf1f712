package clawcheck.rules.oc239_test

import data.clawcheck.rules.oc239
import rego.v1

field(v, pointer) := {"present": v != null, "value": v, "pointer": pointer}

# The global exec scope (`tools.exec`, sandbox from agents.defaults).
global(security, ask, mode, host, sandbox) := {
	"scope": "tools.exec",
	"agent": null,
	"sandbox": field(sandbox, "/agents/defaults/sandbox/mode"),
	"security": field(security, "/tools/exec/security"),
	"ask": field(ask, "/tools/exec/ask"),
	"mode": field(mode, "/tools/exec/mode"),
	"host": field(host, "/tools/exec/host"),
}

# Agent `ops`: `own` says whether its exec settings are its own or inherited.
ops(own, security, ask, sandbox) := {
	"scope": "agent `ops`",
	"agent": "ops",
	"agent_pointer": "/agents/entries/ops",
	"sandbox": field(sandbox, "/agents/entries/ops/sandbox/mode"),
	"security": field(security, sprintf("%s/tools/exec/security", [{true: "/agents/entries/ops", false: ""}[own]])),
	"ask": field(ask, "/tools/exec/ask"),
	"mode": field(null, "/tools/exec/mode"),
	"host": field(null, "/tools/exec/host"),
}

real(version, exec) := {"posture": {"dialect": sprintf("openclaw-%s", [version]), "real": true, "version": version, "exec": exec}}

test_fires_security_full_ask_off_sandbox_off if {
	fs := oc239.deny with input as real("2026.9", [global("full", "off", null, "gateway", "off")])
	count(fs) == 1
	some f in fs
	f.rule == "OC239"
	f.pointer == "/tools/exec/security"
	not f.severity
	f.message == "exec is unrestricted (`security: \"full\"` with `ask: \"off\"` on host `gateway`) while `sandbox.mode` is `off`: any shell command runs on the gateway host"
}

test_fires_mode_full_without_sandbox_setting if {
	fs := oc239.deny with input as real("2026.9", [global(null, null, "full", null, null)])
	count(fs) == 1
	some f in fs
	f.rule == "OC239"
	f.pointer == "/tools/exec/mode"
	f.message == "exec is unrestricted (`mode: \"full\"`) while no `sandbox.mode` is set (default `off`): any shell command runs on the gateway host"
}

test_fires_mode_full_even_when_asking if {
	fs := oc239.deny with input as real("2026.9", [global(null, "always", "full", null, null)])
	some f in fs
	f.pointer == "/tools/exec/mode"
	contains(f.message, "(`mode: \"full\"` with `ask: \"always\"`)")
}

test_fires_security_full_without_ask_on_2026_9 if {
	fs := oc239.deny with input as real("2026.9", [global("full", null, null, null, null)])
	some f in fs
	f.pointer == "/tools/exec/security"
	contains(f.message, "(`security: \"full\"`) while no `sandbox.mode` is set")
}

test_fires_agent_own_setting_at_its_pointer if {
	fs := oc239.deny with input as real("2026.9", [
		global("allowlist", "on-miss", null, null, "all"),
		ops(true, "full", "off", "off"),
	])
	count(fs) == 1
	some f in fs
	f.rule == "OC239"
	f.pointer == "/agents/entries/ops/tools/exec/security"
	endswith(f.message, "while `sandbox.mode` is `off` (agent `ops`): any shell command runs on the gateway host")
}

test_fires_agent_inherited_setting_at_its_sandbox if {
	fs := oc239.deny with input as real("2026.9", [
		global("full", "off", null, "gateway", "all"),
		ops(false, "full", "off", "off"),
	])
	count(fs) == 1
	some f in fs
	f.rule == "OC239"
	f.pointer == "/agents/entries/ops/sandbox/mode"
	contains(f.message, "(`security: \"full\"` with `ask: \"off\"`)")
	contains(f.message, "(agent `ops`)")
}

test_passes_security_full_asking_on_miss if {
	count(oc239.deny) == 0 with input as real("2026.9", [global("full", "on-miss", null, null, "off")])
}

test_passes_security_full_without_ask_on_2026_2 if {
	# 2026.2 asks on a miss by default.
	count(oc239.deny) == 0 with input as real("2026.2", [global("full", null, null, null, "off")])
}

test_passes_sandboxed if {
	count(oc239.deny) == 0 with input as real("2026.9", [global("full", "off", null, "gateway", "all")])
}

test_passes_host_sandbox if {
	count(oc239.deny) == 0 with input as real("2026.9", [global("full", "off", null, "sandbox", null)])
}

test_passes_allowlist if {
	count(oc239.deny) == 0 with input as real("2026.9", [global("allowlist", "off", null, "gateway", "off")])
}
