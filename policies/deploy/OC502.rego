package clawcheck.rules.oc502

import data.clawcheck.lib.deploy as dp
import rego.v1

# The name of the override as written in the deployment.
override_name("bind", "flag") := "--bind"

override_name("port", "flag") := "--port"

override_name("port", "env") := "OPENCLAW_GATEWAY_PORT"

override_name("auth_mode", "flag") := "--auth"

config_key := {"bind": "gateway.bind", "port": "gateway.port", "auth_mode": "gateway.auth.mode"}

deny contains f if {
	some w in data.clawcheck.lib.deploy.d.workloads
	w.role == "gateway"
	some key in ["bind", "port", "auth_mode"]
	e := w.effective[key]
	e.source in {"flag", "env"}
	e.config.present
	e.config.value != e.value
	c := e.config.place
	f := {
		"rule": "OC502",
		"pointer": e.place.pointer,
		"message": sprintf("`%s %v` overrides `%s: %v` of %s: gateway `%s` runs with `%v`, not what the config says", [override_name(key, e.source), e.value, config_key[key], e.config.value, dp.label(c), w.name, e.value]),
		"related": [dp.related(c, sprintf("`%s: %v` is written here and overridden", [config_key[key], e.config.value]))],
	}
}
