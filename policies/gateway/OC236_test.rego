package clawcheck.rules.oc236_test

import data.clawcheck.rules.oc236
import rego.v1

gw(device, insecure) := gw_in("openclaw-2026.2", device, insecure)

gw_in(dialect, device, insecure) := {"posture": {"dialect": dialect, "real": true, "gateway": {"control_ui": {
	"disable_device_auth": {"present": device != null, "value": device, "pointer": "/gateway/controlUi/dangerouslyDisableDeviceAuth"},
	"allow_insecure_auth": {"present": insecure != null, "value": insecure, "pointer": "/gateway/controlUi/allowInsecureAuth"},
}}}}

test_fires_device_auth_disabled if {
	fs := oc236.deny with input as gw(true, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC236"
	f.pointer == "/gateway/controlUi/dangerouslyDisableDeviceAuth"
	not f.severity
	contains(f.message, "Control UI device authentication is disabled")
}

test_fires_insecure_auth_as_warning if {
	fs := oc236.deny with input as gw(false, true)
	count(fs) == 1
	some f in fs
	f.rule == "OC236"
	f.severity == "warning"
	f.pointer == "/gateway/controlUi/allowInsecureAuth"
	contains(f.message, "accepts authentication over plain HTTP")
}

test_fires_both if {
	count(oc236.deny) == 2 with input as gw(true, true)
}

test_passes_both_false if {
	count(oc236.deny) == 0 with input as gw(false, false)
}

test_device_auth_flag_in_2026_9_says_it_is_retired if {
	some f in oc236.deny with input as gw_in("openclaw-2026.9", true, null)
	contains(f.message, "OpenClaw 2026.9 ignores this retired flag")
}
