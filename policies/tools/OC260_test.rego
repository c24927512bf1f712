package clawcheck.rules.oc260_test

import data.clawcheck.rules.oc260
import rego.v1

cfg(v) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "surface": {"mcp_apps_enabled": {
	"present": v != null, "value": v, "pointer": "/mcp/apps/enabled",
}}}}

test_fires_mcp_apps_enabled if {
	fs := oc260.deny with input as cfg(true)
	count(fs) == 1
	some f in fs
	f.rule == "OC260"
	f.pointer == "/mcp/apps/enabled"
	f.fix.set == false
	not f.severity
}

test_passes_disabled if {
	count(oc260.deny) == 0 with input as cfg(false)
}

test_passes_absent if {
	count(oc260.deny) == 0 with input as cfg(null)
}

test_passes_profile if {
	count(oc260.deny) == 0 with input as {"posture": {"real": false, "surface": {"mcp_apps_enabled": {"value": true}}}}
}
