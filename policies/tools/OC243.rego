package clawcheck.rules.oc243

import rego.v1

# OC243: log redaction off.
deny contains f if {
	input.posture.real
	r := input.posture.logging.redact_sensitive
	r.value == "off"
	f := {
		"rule": "OC243",
		"pointer": r.pointer,
		"fix": redact_fix,
		"message": "`logging.redactSensitive: \"off\"`: tool arguments and outputs, including secrets, are logged unredacted",
	}
}

# 2026.2 still reads the key: turn redaction back on. 2026.9 always redacts
# and rejects the key (OC104): drop it.
redact_fix := {"set": "tools", "applicability": "safe", "reason": "sets `redactSensitive: \"tools\"`: only what is logged changes"} if {
	input.posture.version == "2026.2"
} else := {"remove": true, "applicability": "safe", "reason": "removes the key: OpenClaw 2026.9 always redacts and rejects the key"}
