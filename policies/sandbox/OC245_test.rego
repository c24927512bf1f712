package clawcheck.rules.oc245_test

import data.clawcheck.rules.oc245
import rego.v1

bind(value, source, normalized) := {"value": value, "pointer": "/agents/defaults/sandbox/docker/binds/0", "source": source, "empty": false, "absolute": startswith(source, "/"), "normalized": normalized}

real(b) := {"posture": {"real": true, "sandboxes": [{"setting": "agents.defaults.sandbox.docker", "kind": "docker", "agent": null, "binds": [b]}]}}

msg(value, normalized) := f.message if {
	fs := oc245.deny with input as real(bind(value, normalized, normalized))
	count(fs) == 1
	some f in fs
	f.rule == "OC245"
	f.pointer == "/agents/defaults/sandbox/docker/binds/0"
}

test_docker_socket if {
	msg("/var/run/docker.sock:/var/run/docker.sock", "/var/run/docker.sock") == "sandbox bind `/var/run/docker.sock:/var/run/docker.sock` in `agents.defaults.sandbox.docker.binds` mounts the container runtime socket `/var/run/docker.sock`: the sandbox can start a privileged container, which is root on the host"
}

test_podman_socket_anywhere if {
	contains(msg("/home/u/.local/share/containers/podman.sock:/s", "/home/u/.local/share/containers/podman.sock"), "runtime socket")
}

test_root_fs if {
	contains(msg("/:/host", "/"), "root filesystem")
}

test_credential_dirs if {
	contains(msg("/home/alice/.ssh:/k:ro", "/home/alice/.ssh"), "credential directory `/home/alice/.ssh`")
	contains(msg("/Users/bob/.config/gcloud:/g", "/Users/bob/.config/gcloud"), "credential directory")
	contains(msg("/home/alice/.kube:/k", "/home/alice/.kube"), "credential directory")
}

test_home_dir if {
	contains(msg("/home/alice:/h", "/home/alice"), "home directory `/home/alice`")
	contains(msg("/home:/h", "/home"), "every user's home")
}

test_run_dirs if {
	contains(msg("/run/containerd/x:/x", "/run/containerd/x"), "runtime sockets live under")
}

test_system_targets_and_covers if {
	msg("/etc/ssl:/ssl", "/etc/ssl") == "sandbox bind `/etc/ssl:/ssl` in `agents.defaults.sandbox.docker.binds` targets the blocked host path `/etc`"
	contains(msg("/var:/v", "/var"), "covers the blocked host path `/var/run`")
}

test_passes_project_dirs if {
	count(oc245.deny) == 0 with input as real(bind("/srv/data:/data:ro", "/srv/data", "/srv/data"))
	count(oc245.deny) == 0 with input as real(bind("/home/alice/projects/x:/w", "/home/alice/projects/x", "/home/alice/projects/x"))
	count(oc245.deny) == 0 with input as real(bind("/etcetera:/w", "/etcetera", "/etcetera"))
}

test_passes_non_absolute if {
	count(oc245.deny) == 0 with input as real(bind("~/.ssh:/k", "~/.ssh", "~/.ssh"))
}
