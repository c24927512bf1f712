# Helpers for the deployment rules (policies/deploy/OC5xx.rego). Their input
# is `{deployment: {...}}`, built by src/deploy/ for one deployment file
# (Compose, Kubernetes, systemd, Dockerfile, .env, Prometheus): its workloads,
# each linked to the config it runs, with the effective gateway posture.
package clawcheck.lib.deploy

import rego.v1

d := input.deployment

# Workloads that run OpenClaw (the gateway, a sandbox, the CLI).
openclaw_workloads contains w if {
	some w in d.workloads
	w.role != "other"
}

# The gateway and sandbox containers.
runtime_workloads contains w if {
	some w in d.workloads
	w.role in {"gateway", "sandbox"}
}

label(p) := sprintf("%s:%d:%d", [p.path, p.line, p.column])

related(p, message) := {"path": p.path, "line": p.line, "column": p.column, "message": message}

# Where a workload's config is, as a place (its first line).
config_place(w) := {"path": w.config.path, "line": 1, "column": 1}

config_text(w) := sprintf(" (runs %s, %s)", [w.config.path, w.config.how]) if w.config != null

config_text(w) := "" if w.config == null
