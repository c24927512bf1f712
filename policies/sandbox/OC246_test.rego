package clawcheck.rules.oc246_test

import data.clawcheck.rules.oc246
import rego.v1

real(b) := {"posture": {"real": true, "sandboxes": [{"setting": "agents.entries.ops.sandbox.docker", "kind": "docker", "agent": "ops", "binds": [object.union({"value": "x", "pointer": "/agents/entries/ops/sandbox/docker/binds/1", "source": "x", "empty": false, "absolute": false, "normalized": "x"}, b)]}]}}

test_fires_tilde if {
	fs := oc246.deny with input as real({"value": "~/.ssh:/k", "source": "~/.ssh"})
	count(fs) == 1
	some f in fs
	f.pointer == "/agents/entries/ops/sandbox/docker/binds/1"
	f.message == "sandbox bind `~/.ssh:/k` in `agents.entries.ops.sandbox.docker.binds` uses the non-absolute source `~/.ssh` (a relative path, `~` or a named volume): OpenClaw rejects the config"
}

test_fires_empty if {
	fs := oc246.deny with input as real({"value": " ", "source": " ", "empty": true})
	some f in fs
	contains(f.message, "is empty")
}

test_passes_absolute if {
	count(oc246.deny) == 0 with input as real({"value": "/srv:/srv", "source": "/srv", "absolute": true})
}
