package clawcheck.rules.oc204_test

import data.clawcheck.rules.oc204
import rego.v1

limits := {"sensitive_timeout_seconds": 120, "routine_timeout_seconds": 300, "rotation_max_days": 7}

profile(sensitive, timeout) := {"limits": limits, "posture": {"dialect": "policy-profile", "agents": [{
	"name": "helper",
	"pointer": "/agents/helper",
	"sensitive": sensitive,
	"sensitive_reason": "name matches no sensitive pattern",
	"timeout": timeout,
}]}}

t(key, value, seconds) := {"present": true, "value": value, "pointer": sprintf("/agents/helper/%s", [key]), "key": key, "seconds": seconds}

test_fires_routine_without_timeout if {
	fs := oc204.deny with input as profile(false, {"present": false, "value": null, "pointer": "/agents/helper", "key": "timeout", "seconds": null})
	count(fs) == 1
	some f in fs
	f.rule == "OC204"
	f.pointer == "/agents/helper"
	not f.severity
	f.message == "agent `helper` has no timeout (`timeout` missing): limit 300s"
}

test_fires_routine_over_limit if {
	fs := oc204.deny with input as profile(false, t("timeout-seconds", 301, 301))
	count(fs) == 1
	some f in fs
	f.rule == "OC204"
	f.pointer == "/agents/helper/timeout-seconds"
	f.message == "agent `helper` has `timeout-seconds: 301` (301s), over the limit of 300s"
}

test_fires_routine_zero if {
	fs := oc204.deny with input as profile(false, t("timeout", 0, 0))
	some f in fs
	f.rule == "OC204"
	contains(f.message, "which means unlimited: limit 300s")
}

test_passes_routine_at_limit if {
	count(oc204.deny) == 0 with input as profile(false, t("timeout", 300, 300))
}

test_passes_sensitive_agent_is_not_judged if {
	# A sensitive agent without a timeout is OC203's finding, not OC204's.
	count(oc204.deny) == 0 with input as profile(true, {"present": false, "value": null, "pointer": "/agents/helper", "key": "timeout", "seconds": null})
}
