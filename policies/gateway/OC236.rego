package clawcheck.rules.oc236

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC236: device auth off, insecure auth on.
deny contains f if {
	input.posture.real
	oc.cu.disable_device_auth.value == true
	f := {
		"rule": "OC236",
		"pointer": oc.cu.disable_device_auth.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: Control UI devices must be paired"},
		"message": "`gateway.controlUi.dangerouslyDisableDeviceAuth: true`: Control UI device authentication is disabled",
	}
}

deny contains f if {
	input.posture.real
	oc.cu.allow_insecure_auth.value == true
	f := {
		"rule": "OC236",
		"severity": "warning",
		"pointer": oc.cu.allow_insecure_auth.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: the Control UI no longer authenticates over plain HTTP"},
		"message": "`gateway.controlUi.allowInsecureAuth: true`: the Control UI accepts authentication over plain HTTP",
	}
}
