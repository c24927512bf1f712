package clawcheck.rules.oc256

import rego.v1

# OC256: hooks may route to any agent.
# `openclaw security audit`: hooks.allowed_agent_ids_unrestricted (critical when exposed, else warn).
severity := "error" if input.posture.gateway.remote_exposure

severity := "warning" if not input.posture.gateway.remote_exposure

what(h) := "is not set" if not h.allowed_agent_ids.present

what(h) := "contains `\"*\"`" if h.allowed_agent_ids.present

exposure := " while the gateway is reachable beyond loopback" if input.posture.gateway.remote_exposure

exposure := "" if not input.posture.gateway.remote_exposure

deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	h.agents_unrestricted
	f := {
		"rule": "OC256",
		"pointer": h.allowed_agent_ids.pointer,
		"fix": {"set": [], "applicability": "unsafe", "reason": "denies hook agent routing (list the agents hooks may reach instead)"},
		"severity": severity,
		"message": sprintf("`hooks.allowedAgentIds` %s: webhook callers may route to any agent%s", [what(h), exposure]),
	}
}
