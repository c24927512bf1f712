package clawcheck.rules.oc205

import data.clawcheck.lib.profile as p
import rego.v1

# OC205: long-running / session-bound agents need a concurrency limit.
deny contains f if {
	data.clawcheck.lib.profile.profile
	some a in input.posture.agents
	a.long_running
	not p.positive(a.max_concurrent.number)
	f := {
		"rule": "OC205",
		"pointer": a.max_concurrent.pointer,
		"fix": {"pointer": p.set_pointer(a, a.max_concurrent, "max-concurrent"), "set": 4, "applicability": "unsafe", "reason": "sets `max-concurrent: 4`: requests beyond four at a time wait"},
		"message": sprintf("%s agent `%s` %s: long-running work must limit concurrency", [p.kind(a), a.name, p.concurrency_text(a)]),
	}
}
