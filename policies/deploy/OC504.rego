package clawcheck.rules.oc504

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	some w in data.clawcheck.lib.deploy.openclaw_workloads
	some m in w.mounts
	m.docker_socket
	f := {
		"rule": "OC504",
		"pointer": m.pointer,
		"message": sprintf("`%s` (%s) mounts the Docker socket at `%s`: a process in the container controls the Docker daemon, which is root on the host%s", [w.name, w.role, m.target, dp.config_text(w)]),
	}
}
