package clawcheck.rules.oc507

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	some w in data.clawcheck.lib.deploy.openclaw_workloads
	w.host_pid != null
	f := {
		"rule": "OC507",
		"pointer": w.host_pid,
		"message": sprintf("`%s` (%s) shares the host PID namespace: it sees, signals and can trace every host process%s", [w.name, w.role, dp.config_text(w)]),
	}
}
