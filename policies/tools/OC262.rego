package clawcheck.rules.oc262

import rego.v1

# OC262: insecure or dangerous flags that no dedicated rule judges (the
# host-header fallback is OC235, `allowRequestSessionKey` OC254, the Docker
# sandbox's network-namespace flag OC247 with the network it allows; its two
# bind flags turn checks off that OC245 does not make, and are judged here).
# `openclaw security audit`: config.insecure_or_dangerous_flags (warn), one
# finding per flag, from collectCoreInsecureOrDangerousFlags and
# collectEnabledInsecureOrDangerousFlagsFromContracts of 2026.9.6.
flags := input.posture.surface.flags

flagged contains [flags.apply_patch_workspace_only, "tools.exec.applyPatch.workspaceOnly", false, "`apply_patch` may write outside the agent workspace"] if {
	flags.apply_patch_workspace_only.value == false
}

flagged contains [flags.fs_workspace_only, "tools.fs.workspaceOnly", false, "file tools may read and write outside the agent workspace"] if {
	flags.fs_workspace_only.value == false
}

flagged contains [flags.browser_private_network, "browser.ssrfPolicy.dangerouslyAllowPrivateNetwork", true, "the browser may fetch private-network addresses (SSRF into the LAN and cloud metadata)"] if {
	flags.browser_private_network.value == true
}

flagged contains [flags.gmail_unsafe_external_content, "hooks.gmail.allowUnsafeExternalContent", true, "Gmail hook content reaches the agent without the external-content guard"] if {
	flags.gmail_unsafe_external_content.value == true
}

flagged contains [m, sprintf("hooks.mappings[%d].allowUnsafeExternalContent", [i]), true, "this hook mapping's content reaches the agent without the external-content guard"] if {
	some i, m in flags.mapping_unsafe_external_content
	m.value == true
}

# The Docker sandbox's bind checks (OpenClaw's validateBindMounts), turned off.
docker_flags := [
	["allow_external_binds", "dangerouslyAllowExternalBindSources", "bind sources outside the allowed roots (the agent workspaces) are accepted: any host directory may be mounted"],
	["allow_reserved_targets", "dangerouslyAllowReservedContainerTargets", "binds may mount over the container paths OpenClaw mounts itself (the workspace and its own directories)"],
]

flagged contains [s[field], sprintf("%s.%s", [s.setting, key]), true, why] if {
	some s in input.posture.sandboxes
	s.kind == "docker"
	some [field, key, why] in docker_flags
	s[field].value == true
}

deny contains f if {
	input.posture.real
	some [setting, name, value, why] in flagged
	f := {
		"rule": "OC262",
		"pointer": setting.pointer,
		"fix": {"set": value == false, "applicability": "unsafe", "reason": "turns the guard back on"},
		"message": sprintf("`%s: %v`: %s", [name, value, why]),
	}
}
