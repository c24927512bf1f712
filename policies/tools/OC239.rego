package clawcheck.rules.oc239

import data.clawcheck.lib.openclaw as oc
import rego.v1

deny contains f if {
	input.posture.real
	some s in input.posture.exec
	setting := oc.unrestricted(s)
	oc.sandbox_off(s)
	not s.host.value == "sandbox"
	f := {
		"rule": "OC239",
		"pointer": oc.exec_pointer(s, setting),
		"fix": {"pointer": s.sandbox.pointer, "set": "all", "applicability": "unsafe", "reason": "turns the sandbox on (`mode: \"all\"`): tools run in a container, which needs Docker"},
		"message": sprintf("exec is unrestricted (`%s: \"full\"`%s%s) while %s%s: any shell command runs on the gateway host", [oc.last(setting.pointer), oc.ask_text(s), oc.host_text(s), oc.sandbox_text(s), oc.scope_text(s)]),
	}
}
