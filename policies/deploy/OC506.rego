package clawcheck.rules.oc506

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	some w in data.clawcheck.lib.deploy.openclaw_workloads
	w.host_network != null
	f := {
		"rule": "OC506",
		"pointer": w.host_network,
		"message": sprintf("`%s` (%s) shares the host network: its ports are on every host interface and it reaches the host's loopback services%s", [w.name, w.role, dp.config_text(w)]),
	}
}
