package clawcheck.rules.oc240_test

import data.clawcheck.rules.oc240
import rego.v1

real(wildcard, enabled) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "elevated": [{
	"scope": "tools",
	"channel": "discord",
	"pointer": "/tools/elevated/allowFrom/discord",
	"wildcard": wildcard,
	"count": 1,
	"enabled": {"present": enabled != null, "value": enabled, "pointer": "/tools/elevated/enabled"},
}]}}

test_fires_wildcard_elevated if {
	fs := oc240.deny with input as real(true, true)
	count(fs) == 1
	some f in fs
	f.rule == "OC240"
	f.pointer == "/tools/elevated/allowFrom/discord"
	not f.severity
	f.message == "elevated tools are allowed from `\"*\"` on discord (tools): every sender may run tools outside the sandbox"
}

test_fires_wildcard_elevated_enabled_by_default if {
	count(oc240.deny) == 1 with input as real(true, null)
}

test_passes_listed_senders if {
	count(oc240.deny) == 0 with input as real(false, true)
}

test_passes_elevated_disabled if {
	count(oc240.deny) == 0 with input as real(true, false)
}
