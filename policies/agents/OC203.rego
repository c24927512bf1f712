package clawcheck.rules.oc203

import data.clawcheck.lib.openclaw as oc
import data.clawcheck.lib.profile as p
import rego.v1

deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.sensitive
	limit := input.limits.sensitive_timeout_seconds
	problem := p.timeout_problem(a, limit)
	f := {
		"rule": "OC203",
		"pointer": a.timeout.pointer,
		"fix": {"pointer": p.set_pointer(a, a.timeout, a.timeout.key), "set": input.limits.sensitive_timeout_seconds, "applicability": "unsafe", "reason": "lowers the timeout to the sensitive limit: longer runs are cut off"},
		"message": sprintf("sensitive agent `%s` (%s) %s", [a.name, a.sensitive_reason, problem]),
	}
}

# OC203: every run has a timeout within the sensitive limit; 0 = unlimited.
deny contains f if {
	input.posture.real
	some t in input.posture.timeouts
	problem := oc.timeout_problem(t, input.limits.sensitive_timeout_seconds)
	f := {
		"rule": "OC203",
		"pointer": t.pointer,
		"fix": {"set": input.limits.sensitive_timeout_seconds, "applicability": "unsafe", "reason": "lowers the timeout to the limit: longer runs are cut off"},
		"message": sprintf("%s (%s timeout; every agent is judged as sensitive)", [problem, t.what]),
	}
}
