package clawcheck.rules.oc234_test

import data.clawcheck.rules.oc234
import rego.v1

test_fires_funnel if {
	fs := oc234.deny with input as {"posture": {"real": true, "gateway": {"tailscale_mode": {"present": true, "value": "funnel", "pointer": "/gateway/tailscale/mode"}}}}
	some f in fs
	f.rule == "OC234"
	f.pointer == "/gateway/tailscale/mode"
	contains(f.message, "public internet")
}

test_passes_serve if {
	count(oc234.deny) == 0 with input as {"posture": {"real": true, "gateway": {"tailscale_mode": {"present": true, "value": "serve", "pointer": "/gateway/tailscale/mode"}}}}
}

test_passes_tailscale_absent if {
	count(oc234.deny) == 0 with input as {"posture": {"real": true, "gateway": {"tailscale_mode": {"present": false, "value": null, "pointer": "/gateway/tailscale/mode"}}}}
}

test_passes_profile_dialect if {
	count(oc234.deny) == 0 with input as {"posture": {"dialect": "policy-profile", "gateway": {"tailscale_mode": {"present": true, "value": "funnel", "pointer": "/gateway/tailscale/mode"}}}}
}
