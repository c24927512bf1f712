package clawcheck.rules.oc245

import rego.v1

# OC245: a Docker sandbox bind mount exposes the host (OpenClaw's blocked
# host paths, the container runtime sockets, the operator's home and its
# credential directories). `openclaw security audit`: sandbox.dangerous_bind_mount.

# OpenClaw's blocked host paths (src/agents/sandbox/validate-sandbox-security).
system_paths := ["/etc", "/private/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/run", "/var/run", "/private/var/run"]

# Credential directories under a home directory: OpenClaw's list, plus
# `.azure` and `.kube` (clawcheck: cloud and cluster credentials).
home_credential_dirs := [".aws", ".azure", ".cargo", ".config", ".docker", ".gnupg", ".kube", ".netrc", ".npm", ".ssh"]

socket_names := {"docker.sock", "podman.sock", "containerd.sock", "crio.sock", "dockershim.sock"}

inside(root, p) if p == root

inside(root, p) if startswith(p, concat("", [root, "/"]))

last(p) := parts[count(parts) - 1] if parts := split(p, "/")

home_re := `^/(home|Users|var/home)/[^/]+`

# The reason a normalised absolute source is dangerous, most specific first.
reason(n) := sprintf("mounts the container runtime socket `%s`: the sandbox can start a privileged container, which is root on the host", [n]) if {
	last(n) in socket_names
} else := "mounts the host's root filesystem `/`" if {
	n == "/"
} else := sprintf("mounts the credential directory `%s`", [n]) if {
	some d in home_credential_dirs
	regex.match(sprintf("%s/%s(/|$)", [home_re, replace(d, ".", `\.`)]), n)
} else := sprintf("mounts the home directory `%s` (with its `.ssh`, `.aws`, `.config` and other credential directories)", [n]) if {
	regex.match(sprintf("%s$", [home_re]), n)
} else := sprintf("mounts `%s`, which holds every user's home directory and its credentials", [n]) if {
	n in {"/home", "/Users", "/var/home"}
} else := sprintf("targets the blocked host path `%s` (runtime sockets live under `/run` and `/var/run`)", [b]) if {
	some b in system_paths
	inside(b, n)
	b in {"/run", "/var/run", "/private/var/run"}
} else := sprintf("targets the blocked host path `%s`", [b]) if {
	some b in system_paths
	inside(b, n)
} else := sprintf("covers the blocked host path `%s`", [b]) if {
	some b in system_paths
	inside(n, b)
}

deny contains f if {
	input.posture.real
	some s in input.posture.sandboxes
	some b in s.binds
	b.absolute
	r := reason(b.normalized)
	f := {
		"rule": "OC245",
		"pointer": b.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "remove the bind or mount a project-specific directory instead"},
		"message": sprintf("sandbox bind `%s` in `%s.binds` %s", [b.value, s.setting, r]),
	}
}
