package clawcheck.rules.oc247

import rego.v1

# OC247: the sandbox container shares the host's (or another container's)
# network namespace. `openclaw config validate` rejects `host` and, without
# `dangerouslyAllowContainerNamespaceJoin`, `container:<id>`;
# `openclaw security audit`: sandbox.dangerous_network_mode.
mode(s) := lower(trim_space(s.network.value)) if is_string(s.network.value)

problem(s) := "`network: \"host\"` bypasses the container's network isolation; OpenClaw rejects the config" if {
	mode(s) == "host"
}

problem(s) := sprintf("`network: \"%s\"` joins another container's network namespace; OpenClaw rejects the config unless `dangerouslyAllowContainerNamespaceJoin` is set", [s.network.value]) if {
	s.kind == "docker"
	startswith(mode(s), "container:")
	s.allow_container_join.value != true
}

problem(s) := sprintf("`network: \"%s\"` joins another container's network namespace (`dangerouslyAllowContainerNamespaceJoin: true` is set)", [s.network.value]) if {
	s.kind == "docker"
	startswith(mode(s), "container:")
	s.allow_container_join.value == true
}

deny contains f if {
	input.posture.real
	some s in input.posture.sandboxes
	p := problem(s)
	f := {
		"rule": "OC247",
		"pointer": s.network.pointer,
		"fix": {"set": "none", "applicability": "unsafe", "reason": "takes the sandbox off the network (`network: \"none\"`); use a bridge network if tools need it"},
		"message": sprintf("`%s`: %s", [s.setting, p]),
	}
}
