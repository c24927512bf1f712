package clawcheck.rules.oc261_test

import data.clawcheck.rules.oc261
import rego.v1

cfg(allow, bind, funnel) := cfg_in("openclaw-2026.9", allow, bind, funnel)

cfg_in(dialect, allow, bind, funnel) := {"posture": {
	"dialect": dialect, "real": true,
	"gateway": {"bind": {"present": bind != null, "value": bind, "pointer": "/gateway/bind"}, "funnel": funnel},
	"surface": {"http_tools_allow": {"present": allow != null, "value": allow, "pointer": "/gateway/tools/allow"}},
}}

test_exec_on_loopback_is_a_warning if {
	fs := oc261.deny with input as cfg(["web_search", "exec"], "loopback", false)
	count(fs) == 1
	some f in fs
	f.rule == "OC261"
	f.severity == "warning"
	f.pointer == "/gateway/tools/allow/1"
	f.fix.applicability == "manual"
	contains(f.message, "`exec`")
}

test_beyond_loopback_is_an_error if {
	some f in oc261.deny with input as cfg(["Sessions_Spawn"], "tailnet", false)
	f.severity == "error"
}

test_funnel_is_an_error if {
	some f in oc261.deny with input as cfg(["gateway"], null, true)
	f.severity == "error"
}

test_one_finding_per_tool if {
	count(oc261.deny) == 2 with input as cfg(["exec", "shell", "read"], "loopback", false)
}

test_passes_safe_tools if {
	count(oc261.deny) == 0 with input as cfg(["web_search", "read"], "lan", false)
}

test_passes_absent if {
	count(oc261.deny) == 0 with input as cfg(null, "lan", false)
}

# 2026.2.26's HTTP deny list is sessions_spawn, sessions_send, cron, gateway,
# whatsapp_login: exec is invokable over HTTP by default, allowing it changes nothing.
test_2026_2_judges_its_own_deny_list if {
	count(oc261.deny) == 0 with input as cfg_in("openclaw-2026.2", ["exec", "shell"], "loopback", false)
	fs := oc261.deny with input as cfg_in("openclaw-2026.2", ["exec", "cron"], "loopback", false)
	count(fs) == 1
	some f in fs
	f.pointer == "/gateway/tools/allow/1"
	contains(f.message, "`cron`")
}

test_cron_is_not_on_the_2026_9_list if {
	count(oc261.deny) == 0 with input as cfg(["cron"], "lan", false)
}
