package clawcheck.rules.oc509

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	some w in data.clawcheck.lib.deploy.runtime_workloads
	w.platform in {"compose", "kubernetes", "systemd"}
	w.limits == null
	f := {
		"rule": "OC509",
		"pointer": w.pointer,
		"message": sprintf("%s `%s` has no memory or CPU limit%s: a runaway agent or tool loop can take the host's resources", [w.role, w.name, dp.config_text(w)]),
	}
}
