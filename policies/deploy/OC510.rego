package clawcheck.rules.oc510

import data.clawcheck.lib.deploy as dp
import rego.v1

deny contains f if {
	data.clawcheck.lib.deploy.d.production
	some w in data.clawcheck.lib.deploy.d.workloads
	w.role == "gateway"
	w.allow_unconfigured != null
	f := {
		"rule": "OC510",
		"pointer": w.allow_unconfigured,
		"message": sprintf("gateway `%s` starts with `--allow-unconfigured` in %s%s: it skips the `gateway.mode` guard and starts on a config that was never set up; OpenClaw documents the flag for ad-hoc and development runs", [w.name, data.clawcheck.lib.deploy.d.path, dp.config_text(w)]),
	}
}
