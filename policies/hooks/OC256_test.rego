package clawcheck.rules.oc256_test

import data.clawcheck.rules.oc256
import rego.v1

real(ids, unrestricted, exposed) := {"posture": {"real": true, "gateway": {"remote_exposure": exposed}, "hooks": {
	"enabled": {"present": true, "value": true, "pointer": "/hooks/enabled"},
	"allowed_agent_ids": {"present": ids != null, "value": ids, "pointer": "/hooks/allowedAgentIds"},
	"agents_unrestricted": unrestricted,
}}}

test_fires_unset_loopback if {
	fs := oc256.deny with input as real(null, true, false)
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.message == "`hooks.allowedAgentIds` is not set: webhook callers may route to any agent"
}

test_fires_wildcard_exposed if {
	some f in oc256.deny with input as real(["*"], true, true)
	f.severity == "error"
	f.message == "`hooks.allowedAgentIds` contains `\"*\"`: webhook callers may route to any agent while the gateway is reachable beyond loopback"
}

test_passes if {
	count(oc256.deny) == 0 with input as real(["hooks"], false, true)
}
