package clawcheck.rules.oc249_test

import data.clawcheck.rules.oc249
import rego.v1

real(agent, mode, any) := {"posture": {"real": true, "any_agent_sandboxed": any, "sandboxes": [{
	"setting": "agents.defaults.sandbox.docker",
	"kind": "docker",
	"agent": agent,
	"configured": true,
	"pointer": "/agents/defaults/sandbox/docker",
	"mode": {"present": mode != null, "value": mode, "pointer": "/agents/defaults/sandbox/mode"},
}]}}

test_fires_mode_absent if {
	fs := oc249.deny with input as real(null, null, false)
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/defaults/sandbox/docker"
	f.message == "`agents.defaults.sandbox.docker` is configured but the sandbox mode is `off`: these settings never apply and every tool runs on the host"
}

test_fires_agent_off if {
	count(oc249.deny) == 1 with input as real("ops", "off", true)
}

test_passes if {
	count(oc249.deny) == 0 with input as real(null, "all", false)
	count(oc249.deny) == 0 with input as real(null, "off", true)
}
