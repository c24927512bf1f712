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

# Every reason a normalised absolute source is dangerous, most specific
# first: the first is reported. (Lists, not an `else` chain: regorus's VM
# ends such a chain when a body's `some ... in` finds nothing.)
reasons(n) := [
	[sprintf("mounts the container runtime socket `%s`: the sandbox can start a privileged container, which is root on the host", [n]) | last(n) in socket_names],
	["mounts the host's root filesystem `/`" | n == "/"],
	[sprintf("mounts the credential directory `%s`", [n]) |
		some d in home_credential_dirs
		regex.match(sprintf("%s/%s(/|$)", [home_re, replace(d, ".", `\.`)]), n)
	],
	[sprintf("mounts the home directory `%s` (with its `.ssh`, `.aws`, `.config` and other credential directories)", [n]) | regex.match(sprintf("%s$", [home_re]), n)],
	[sprintf("mounts `%s`, which holds every user's home directory and its credentials", [n]) | n in {"/home", "/Users", "/var/home"}],
	[sprintf("targets the blocked host path `%s` (runtime sockets live under `/run` and `/var/run`)", [b]) |
		some b in system_paths
		inside(b, n)
		b in {"/run", "/var/run", "/private/var/run"}
	],
	[sprintf("targets the blocked host path `%s`", [b]) |
		some b in system_paths
		inside(b, n)
	],
	[sprintf("covers the blocked host path `%s`", [b]) |
		some b in system_paths
		inside(n, b)
	],
]

reason(n) := found[0] if {
	found := [r | some rs in reasons(n); some r in rs]
	count(found) > 0
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
