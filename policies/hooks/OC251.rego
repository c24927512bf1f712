package clawcheck.rules.oc251

import rego.v1

# OC251: hooks served at `/`. `openclaw security audit`: hooks.path_root (critical).
deny contains f if {
	input.posture.real
	h := input.posture.hooks
	h.enabled.value == true
	is_string(h.path.value)
	trim_space(h.path.value) == "/"
	f := {
		"rule": "OC251",
		"pointer": h.path.pointer,
		"fix": {"set": "/hooks", "applicability": "unsafe", "reason": "moves webhooks to `/hooks`: callers must use the new path"},
		"message": "`hooks.path: \"/\"` serves webhooks at the root path, shadowing the Control UI and the other HTTP endpoints",
	}
}
