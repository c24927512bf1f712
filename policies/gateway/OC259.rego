package clawcheck.rules.oc259

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC259: mDNS discovery in full mode. `openclaw security audit`:
# discovery.mdns_full_mode (critical beyond loopback, warn otherwise).
deny contains f if {
	input.posture.real
	mode := input.posture.surface.mdns_mode
	mode.value == "full"
	f := {
		"rule": "OC259",
		"severity": severity(data.clawcheck.lib.openclaw.g.bind.value),
		"pointer": mode.pointer,
		"fix": {"set": "minimal", "applicability": "safe", "reason": "publishes only the minimal TXT records (OpenClaw's default)"},
		"message": sprintf("`discovery.mdns.mode: \"full\"` publishes the CLI path and SSH port in local-network TXT records%s", [context(data.clawcheck.lib.openclaw.g.bind.value)]),
	}
}

# Functions of the bind, not rules: evaluated afresh for each input.
severity(bind) := "error" if oc.beyond_loopback(bind)

severity(bind) := "warning" if not oc.beyond_loopback(bind)

context(bind) := sprintf(", and the gateway binds beyond loopback (`gateway.bind: \"%v\"`)", [bind]) if oc.beyond_loopback(bind)

context(bind) := "" if not oc.beyond_loopback(bind)
