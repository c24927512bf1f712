package clawcheck.rules.oc248_test

import data.clawcheck.rules.oc248
import rego.v1

real(seccomp, apparmor) := {"posture": {"real": true, "sandboxes": [{
	"setting": "agents.defaults.sandbox.docker",
	"kind": "docker",
	"seccomp_profile": {"present": seccomp != null, "value": seccomp, "pointer": "/agents/defaults/sandbox/docker/seccompProfile"},
	"apparmor_profile": {"present": apparmor != null, "value": apparmor, "pointer": "/agents/defaults/sandbox/docker/apparmorProfile"},
}]}}

test_fires_both if {
	fs := oc248.deny with input as real("unconfined", " Unconfined")
	count(fs) == 2
	some f in fs
	f.pointer == "/agents/defaults/sandbox/docker/seccompProfile"
	f.message == "`agents.defaults.sandbox.docker.seccompProfile: \"unconfined\"` turns off the container's syscall filtering; OpenClaw rejects the config"
}

test_passes if {
	count(oc248.deny) == 0 with input as real("/etc/seccomp.json", null)
}
