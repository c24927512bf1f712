package clawcheck.rules.oc259_test

import data.clawcheck.rules.oc259
import rego.v1

cfg(mode, bind) := {"posture": {
	"dialect": "openclaw-2026.9", "real": true,
	"gateway": {"bind": {"present": bind != null, "value": bind, "pointer": "/gateway/bind"}},
	"surface": {"mdns_mode": {"present": mode != null, "value": mode, "pointer": "/discovery/mdns/mode"}},
}}

test_full_on_loopback_is_a_warning if {
	fs := oc259.deny with input as cfg("full", "loopback")
	count(fs) == 1
	some f in fs
	f.rule == "OC259"
	f.severity == "warning"
	f.pointer == "/discovery/mdns/mode"
	f.fix.set == "minimal"
	not contains(f.message, "beyond loopback")
}

test_full_on_lan_is_an_error if {
	some f in oc259.deny with input as cfg("full", "lan")
	f.severity == "error"
	contains(f.message, "`gateway.bind: \"lan\"`")
}

test_full_with_default_bind_is_a_warning if {
	some f in oc259.deny with input as cfg("full", null)
	f.severity == "warning"
}

test_passes_minimal if {
	count(oc259.deny) == 0 with input as cfg("minimal", "lan")
}

test_passes_off if {
	count(oc259.deny) == 0 with input as cfg("off", "lan")
}

test_passes_absent if {
	count(oc259.deny) == 0 with input as cfg(null, "lan")
}
