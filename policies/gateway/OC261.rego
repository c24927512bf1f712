package clawcheck.rules.oc261

import data.clawcheck.lib.openclaw as oc
import rego.v1

# OC261: `gateway.tools.allow` re-enables tools that OpenClaw denies over
# HTTP `/tools/invoke` by default. `openclaw security audit`:
# gateway.tools_invoke_http.dangerous_allow (critical beyond loopback or with
# Funnel, warn otherwise).

# OpenClaw's DEFAULT_GATEWAY_HTTP_TOOL_DENY, per release: 2026.9.6's
# (dist/dangerous-tools-*.mjs) and 2026.2.26's, which is much shorter (exec,
# shell, fs_write, ... are invokable over HTTP by default there, so allowing
# them re-enables nothing). A function of the dialect, evaluated per input.
http_deny(dialect) := {"sessions_spawn", "sessions_send", "cron", "gateway", "whatsapp_login"} if dialect == "openclaw-2026.2"

http_deny(dialect) := {
	"exec", "spawn", "shell", "fs_write", "fs_delete", "fs_move", "apply_patch", "terminal", "portal",
	"sessions_spawn", "sessions_send", "conversations_list", "conversations_send", "conversations_turn",
	"automations", "gateway", "plugins", "nodes", "computer", "mobile_ui", "openclaw",
} if dialect != "openclaw-2026.2"

deny contains f if {
	input.posture.real
	allow := input.posture.surface.http_tools_allow
	is_array(allow.value)
	some i, t in allow.value
	is_string(t)
	lower(trim_space(t)) in http_deny(input.posture.dialect)
	f := {
		"rule": "OC261",
		"severity": severity(data.clawcheck.lib.openclaw.g),
		"pointer": sprintf("%s/%d", [allow.pointer, i]),
		"fix": {"manual": true, "applicability": "manual", "reason": sprintf("remove `%s` from `gateway.tools.allow` (HTTP clients can then no longer invoke it)", [t])},
		"message": sprintf("`gateway.tools.allow` re-enables `%s` over HTTP `/tools/invoke`, which OpenClaw denies by default%s", [t, context(data.clawcheck.lib.openclaw.g)]),
	}
}

# Functions of the gateway, not rules: evaluated afresh for each input.
risky(g) if oc.beyond_loopback(g.bind.value)

risky(g) if g.funnel == true

severity(g) := "error" if risky(g)

severity(g) := "warning" if not risky(g)

context(g) := ": anyone holding the gateway credential from the network runs it" if risky(g)

context(g) := "" if not risky(g)
