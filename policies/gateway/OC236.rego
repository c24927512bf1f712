package clawcheck.rules.oc236

import rego.v1

# OC236: device auth off, insecure auth on.
deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.cu.disable_device_auth.value == true
	f := {
		"rule": "OC236",
		"pointer": data.clawcheck.lib.openclaw.cu.disable_device_auth.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: Control UI devices must be paired"},
		"message": sprintf("`gateway.controlUi.dangerouslyDisableDeviceAuth: true`: %s", [device_auth_text(input.posture.dialect)]),
	}
}

# OpenClaw 2026.9.6 retired the flag (dist/legacy-*.mjs: "retired and ignored",
# removed by `openclaw doctor --fix`); 2026.2 honours it. A function of the
# dialect, not a rule: evaluated afresh for each input.
device_auth_text(dialect) := "Control UI device authentication is disabled" if dialect == "openclaw-2026.2"

device_auth_text(dialect) := "OpenClaw 2026.9 ignores this retired flag, but any 2026.2 gateway reading this config runs the Control UI without device authentication" if dialect != "openclaw-2026.2"

deny contains f if {
	input.posture.real
	data.clawcheck.lib.openclaw.cu.allow_insecure_auth.value == true
	f := {
		"rule": "OC236",
		"severity": "warning",
		"pointer": data.clawcheck.lib.openclaw.cu.allow_insecure_auth.pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the flag: the Control UI no longer authenticates over plain HTTP"},
		"message": "`gateway.controlUi.allowInsecureAuth: true`: the Control UI accepts authentication over plain HTTP",
	}
}
