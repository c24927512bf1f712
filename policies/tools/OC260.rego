package clawcheck.rules.oc260

import rego.v1

# OC260: MCP Apps UI bridge. `openclaw security audit`: mcp.apps.enabled (warn).
deny contains f if {
	input.posture.real
	apps := input.posture.surface.mcp_apps_enabled
	apps.value == true
	f := {
		"rule": "OC260",
		"pointer": apps.pointer,
		"fix": {"set": false, "applicability": "unsafe", "reason": "turns the MCP Apps UI bridge off: MCP servers can no longer show interactive views"},
		"message": "`mcp.apps.enabled: true` lets every configured MCP server render interactive HTML that calls its app-visible tools while the session runs",
	}
}
