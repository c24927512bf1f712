package clawcheck.rules.oc244

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC244: a SecretRef whose provider is not declared (or has another source).
deny contains f if {
	input.posture.real
	some s in input.posture.secrets
	s.kind == "secret-ref"
	not s.resolved
	f := {
		"rule": "OC244",
		"pointer": s.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "declare the provider under `secrets.providers` or point the reference at a declared one"},
		"message": sprintf("SecretRef in `%s` (`%s`) %s", [s.name, s.ref, oc.unresolved_reason(s)]),
	}
}
