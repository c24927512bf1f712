package clawcheck.rules.oc505

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	some w in data.clawcheck.lib.deploy.openclaw_workloads
	w.privileged != null
	f := {
		"rule": "OC505",
		"pointer": w.privileged,
		"message": sprintf("`%s` (%s) runs privileged: every capability and host device, no confinement; a process an agent starts there owns the host%s", [w.name, w.role, dp.config_text(w)]),
	}
}
