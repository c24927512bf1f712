package clawcheck.rules.oc508

import data.clawcheck.lib.deploy as dp
import rego.v1

rel(w) := [dp.related(dp.config_place(w), "the config the mount holds")] if w.config != null

rel(w) := [] if w.config == null

deny contains f if {
	some w in data.clawcheck.lib.deploy.openclaw_workloads
	some m in w.mounts
	m.holds_config
	not m.read_only
	f := {
		"rule": "OC508",
		"pointer": m.pointer,
		"message": sprintf("`%s` (%s) mounts its config writable at `%s`%s: a process in the container can rewrite its own gateway and tool policy", [w.name, w.role, m.target, dp.config_text(w)]),
		"related": rel(w),
	}
}
