package clawcheck.rules.oc243_test

import data.clawcheck.rules.oc243
import rego.v1

real(v) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "logging": {"redact_sensitive": {
	"present": v != null,
	"value": v,
	"pointer": "/logging/redactSensitive",
}}}}

test_fires_redaction_off if {
	fs := oc243.deny with input as real("off")
	count(fs) == 1
	some f in fs
	f.rule == "OC243"
	f.pointer == "/logging/redactSensitive"
	not f.severity
	contains(f.message, "including secrets, are logged unredacted")
	f.fix.remove == true
	f.fix.applicability == "safe"
}

test_fix_sets_tools_on_2026_2 if {
	fs := oc243.deny with input as object.union(real("off"), {"posture": {"version": "2026.2"}})
	some f in fs
	f.fix.set == "tools"
	f.fix.applicability == "safe"
}

test_passes_redaction_tools if {
	count(oc243.deny) == 0 with input as real("tools")
}

test_passes_redaction_default if {
	count(oc243.deny) == 0 with input as real(null)
}
