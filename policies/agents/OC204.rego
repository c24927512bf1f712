package clawcheck.rules.oc204

import data.clawcheck.lib.profile as p
import rego.v1

deny contains f if {
	p.profile
	some a in input.posture.agents
	not a.sensitive
	limit := input.limits.routine_timeout_seconds
	problem := p.timeout_problem(a, limit)
	f := {
		"rule": "OC204",
		"pointer": a.timeout.pointer,
		"message": sprintf("agent `%s` %s", [a.name, problem]),
	}
}
