package clawcheck.rules.oc204

import data.clawcheck.lib.profile as p
import rego.v1

deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	not a.sensitive
	limit := input.limits.routine_timeout_seconds
	problem := p.timeout_problem(a, limit)
	f := {
		"rule": "OC204",
		"pointer": a.timeout.pointer,
		"fix": {"pointer": p.set_pointer(a, a.timeout, a.timeout.key), "set": input.limits.routine_timeout_seconds, "applicability": "unsafe", "reason": "lowers the timeout to the routine limit: longer runs are cut off"},
		"message": sprintf("agent `%s` %s", [a.name, problem]),
	}
}
