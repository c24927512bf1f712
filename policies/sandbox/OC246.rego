package clawcheck.rules.oc246

import rego.v1

# OC246: a sandbox bind whose source is not an absolute host path (or an empty
# entry). `openclaw config validate` rejects it; `openclaw security audit`:
# sandbox.bind_mount_non_absolute.
problem(b) := "is empty" if b.empty

problem(b) := sprintf("uses the non-absolute source `%s` (a relative path, `~` or a named volume)", [b.source]) if {
	not b.empty
	not b.absolute
}

deny contains f if {
	input.posture.real
	some s in input.posture.sandboxes
	some b in s.binds
	p := problem(b)
	f := {
		"rule": "OC246",
		"pointer": b.pointer,
		"fix": {"manual": true, "applicability": "manual", "reason": "write the bind with an absolute host path"},
		"message": sprintf("sandbox bind `%s` in `%s.binds` %s: OpenClaw rejects the config", [b.value, s.setting, p]),
	}
}
