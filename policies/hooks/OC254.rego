package clawcheck.rules.oc254

import rego.v1

# OC254: hook callers may choose the session key.
# `openclaw security audit`: hooks.request_session_key_enabled,
# hooks.request_session_key_prefixes_missing (critical when exposed, else warn).
severity := "error" if input.posture.gateway.remote_exposure

severity := "warning" if not input.posture.gateway.remote_exposure

prefix_text(h) := " and `hooks.allowedSessionKeyPrefixes` is empty, so any session key is accepted" if h.session_key_prefix_count == 0

prefix_text(h) := sprintf(" (restricted to %d prefixes)", [h.session_key_prefix_count]) if h.session_key_prefix_count > 0

exposure := " while the gateway is reachable beyond loopback" if input.posture.gateway.remote_exposure

exposure := "" if not input.posture.gateway.remote_exposure

deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	h.allow_request_session_key.value == true
	f := {
		"rule": "OC254",
		"pointer": h.allow_request_session_key.pointer,
		"fix": {"set": false, "applicability": "unsafe", "reason": "webhook callers can no longer choose the session key"},
		"severity": severity,
		"message": sprintf("`hooks.allowRequestSessionKey: true` lets webhook callers choose the session key%s%s", [prefix_text(h), exposure]),
	}
}
