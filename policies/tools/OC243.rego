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
		"message": "`logging.redactSensitive: \"off\"`: tool arguments and outputs, including secrets, are logged unredacted",
	}
}
