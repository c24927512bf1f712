package clawcheck.rules.oc501

import data.clawcheck.lib.deploy as dp
import rego.v1

# How the gateway port leaves the host: a port published on every interface,
# a hostPort, a LoadBalancer/NodePort Service, the host network, or (systemd,
# no container) a `--bind` beyond loopback on the host itself.
via_text := {
	"ports": "a port mapping on every host interface",
	"hostPort": "a `hostPort` on every node interface",
	"service": "a LoadBalancer or NodePort Service",
}

exposures(w) := {e |
	some p in w.published
	not p.loopback
	e := {"pointer": p.pointer, "text": via_text[p.via]}
} | {e |
	w.host_network != null
	e := {"pointer": w.host_network, "text": "the host network"}
} | {e |
	w.platform == "systemd"
	w.effective.bind.source == "flag"
	e := {"pointer": w.effective.bind.place.pointer, "text": sprintf("`--bind %s` on the host", [w.effective.bind.value])}
}

deny contains f if {
	some w in data.clawcheck.lib.deploy.d.workloads
	w.role == "gateway"
	w.effective.bind.exposed
	w.effective.auth.weak
	some e in exposures(w)
	p := w.effective.auth.place
	f := {
		"rule": "OC501",
		"pointer": e.pointer,
		"message": sprintf("gateway `%s` listens on `%s` and is published beyond loopback by %s while %s (%s): anyone who reaches the port drives its agents and tools", [w.name, w.effective.bind.value, e.text, w.effective.auth.why, dp.label(p)]),
		"related": [dp.related(p, "the gateway's authentication is set here")],
	}
}
