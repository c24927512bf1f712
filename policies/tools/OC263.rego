package clawcheck.rules.oc263

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC263: exec is sent to the sandbox while the sandbox is off, so every exec
# call fails. `openclaw security audit`: tools.exec.host_sandbox_no_sandbox_defaults
# (global `tools.exec.host`) and tools.exec.host_sandbox_no_sandbox_agents (an
# agent's own `tools.exec.host`), both warn.
deny contains f if {
	input.posture.real
	some s in input.posture.exec
	s.host.value == "sandbox"
	own_host(s)
	oc.sandbox_off(s)
	f := {
		"rule": "OC263",
		"pointer": s.host.pointer,
		"fix": {"pointer": s.sandbox.pointer, "set": "all", "applicability": "unsafe", "reason": "turns the sandbox on (`mode: \"all\"`): tools run in a container, which needs Docker"},
		"message": sprintf("`tools.exec.host: \"sandbox\"` while %s%s: exec fails closed, no command can run", [oc.sandbox_text(s), scope(s)]),
	}
}

scope(s) := " (defaults)" if s.agent == null

scope(s) := oc.scope_text(s) if s.agent != null

own_host(s) if s.agent == null

own_host(s) if startswith(s.host.pointer, sprintf("%s/", [s.agent_pointer]))
