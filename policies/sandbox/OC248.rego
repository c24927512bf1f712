package clawcheck.rules.oc248

import rego.v1

# OC248: seccomp or AppArmor switched off for the sandbox container.
# `openclaw config validate` rejects both; `openclaw security audit`:
# sandbox.dangerous_seccomp_profile, sandbox.dangerous_apparmor_profile.
unconfined(f) if {
	is_string(f.value)
	lower(trim_space(f.value)) == "unconfined"
}

deny contains f if {
	input.posture.real
	some s in input.posture.sandboxes
	some p in [["seccompProfile", s.seccomp_profile, "syscall filtering"], ["apparmorProfile", s.apparmor_profile, "mandatory access control"]]
	unconfined(p[1])
	f := {
		"rule": "OC248",
		"pointer": p[1].pointer,
		"fix": {"remove": true, "applicability": "unsafe", "reason": "removes the setting: Docker's default profile applies"},
		"message": sprintf("`%s.%s: \"%s\"` turns off the container's %s; OpenClaw rejects the config", [s.setting, p[0], p[1].value, p[2]]),
	}
}
