package clawcheck.rules.oc262_test

import data.clawcheck.rules.oc262
import rego.v1

field(v, p) := {"present": v != null, "value": v, "pointer": p}

cfg(ap, fs, br, gm, maps) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "surface": {"flags": {
	"apply_patch_workspace_only": field(ap, "/tools/exec/applyPatch/workspaceOnly"),
	"fs_workspace_only": field(fs, "/tools/fs/workspaceOnly"),
	"browser_private_network": field(br, "/browser/ssrfPolicy/dangerouslyAllowPrivateNetwork"),
	"gmail_unsafe_external_content": field(gm, "/hooks/gmail/allowUnsafeExternalContent"),
	"mapping_unsafe_external_content": [field(v, sprintf("/hooks/mappings/%d/allowUnsafeExternalContent", [i])) | some i, v in maps],
}}}}

test_each_flag_is_one_finding if {
	fs := oc262.deny with input as cfg(false, false, true, true, [false, true])
	count(fs) == 5
	pointers := {f.pointer | some f in fs}
	pointers == {
		"/tools/exec/applyPatch/workspaceOnly", "/tools/fs/workspaceOnly",
		"/browser/ssrfPolicy/dangerouslyAllowPrivateNetwork", "/hooks/gmail/allowUnsafeExternalContent",
		"/hooks/mappings/1/allowUnsafeExternalContent",
	}
	some f in fs
	f.pointer == "/hooks/mappings/1/allowUnsafeExternalContent"
	contains(f.message, "`hooks.mappings[1].allowUnsafeExternalContent: true`")
	f.rule == "OC262"
	not f.severity
}

test_fs_outside_workspace if {
	some f in oc262.deny with input as cfg(null, false, null, null, [])
	f.message == "`tools.fs.workspaceOnly: false`: file tools may read and write outside the agent workspace"
	f.fix.set == true
}

test_passes_safe_values if {
	count(oc262.deny) == 0 with input as cfg(true, true, false, false, [false])
}

test_passes_absent if {
	count(oc262.deny) == 0 with input as cfg(null, null, null, null, [])
}

sandbox(setting, kind, ext, reserved) := {
	"setting": setting,
	"kind": kind,
	"allow_external_binds": field(ext, sprintf("/%s/dangerouslyAllowExternalBindSources", [replace(setting, ".", "/")])),
	"allow_reserved_targets": field(reserved, sprintf("/%s/dangerouslyAllowReservedContainerTargets", [replace(setting, ".", "/")])),
}

test_docker_bind_flags if {
	inp := {"posture": {"dialect": "openclaw-2026.9", "real": true, "sandboxes": [
		sandbox("agents.defaults.sandbox.docker", "docker", true, false),
		sandbox("agents.entries.research.sandbox.docker", "docker", null, true),
		sandbox("agents.entries.x.sandbox.browser", "browser", true, true),
	]}}
	fs := oc262.deny with input as inp
	{f.pointer | some f in fs} == {
		"/agents/defaults/sandbox/docker/dangerouslyAllowExternalBindSources",
		"/agents/entries/research/sandbox/docker/dangerouslyAllowReservedContainerTargets",
	}
	some f in fs
	f.pointer == "/agents/defaults/sandbox/docker/dangerouslyAllowExternalBindSources"
	startswith(f.message, "`agents.defaults.sandbox.docker.dangerouslyAllowExternalBindSources: true`: bind sources outside the allowed roots")
	f.fix.set == false
}
