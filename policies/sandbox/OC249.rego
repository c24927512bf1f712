package clawcheck.rules.oc249

import rego.v1

# OC249: Docker sandbox settings that never apply because the scope's sandbox
# mode is off. `openclaw security audit`: sandbox.docker_config_mode_off.
off(s) if not s.mode.present

off(s) if s.mode.value == "off"

unused(s) if {
	s.agent == null
	not input.posture.any_agent_sandboxed
}

unused(s) if s.agent != null

deny contains f if {
	input.posture.real
	some s in input.posture.sandboxes
	s.kind == "docker"
	s.configured
	off(s)
	unused(s)
	f := {
		"rule": "OC249",
		"pointer": s.pointer,
		"fix": {"pointer": s.mode.pointer, "set": "all", "applicability": "unsafe", "reason": "turns the sandbox on (`mode: \"all\"`): tools run in a container, which needs Docker"},
		"message": sprintf("`%s` is configured but the sandbox mode is `off`: these settings never apply and every tool runs on the host", [s.setting]),
	}
}
