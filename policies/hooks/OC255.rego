package clawcheck.rules.oc255

import rego.v1

# OC255: no hooks.defaultSessionKey.
# `openclaw security audit`: hooks.default_session_key_unset (warn).
unset(f) if not f.present

unset(f) if {
	is_string(f.value)
	trim_space(f.value) == ""
}

deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	unset(h.default_session_key)
	f := {
		"rule": "OC255",
		"pointer": h.default_session_key.pointer,
		"fix": {"set": "hook:ingress", "applicability": "unsafe", "reason": "hook runs without a session key share the session `hook:ingress`"},
		"message": "`hooks.defaultSessionKey` is not set: hook runs without a session key get a new generated session each time",
	}
}
