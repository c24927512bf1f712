# Helpers for the rules that judge real OpenClaw configs (2026.2 and 2026.9);
# docs/openclaw.md maps the settings. Each rule lives in its own file under
# policies/<area>/OCxxx.rego; `clawcheck posture FILE` prints the input.
package clawcheck.lib.openclaw

import rego.v1

timeout_problem(t, limit) := sprintf("`%s` is not set: %s, over the limit of %v s", [t.setting, t.default_text, limit]) if {
	not t.present
	t.default_seconds > limit
}

timeout_problem(t, limit) := sprintf("`%s` is not set: %s (limit %v s)", [t.setting, t.default_text, limit]) if {
	not t.present
	t.default_seconds == 0
}

timeout_problem(t, limit) := sprintf("`%s: 0` means unlimited (limit %v s)", [t.setting, limit]) if {
	t.value == 0
}

timeout_problem(t, limit) := sprintf("`%s: %v` is over the limit of %v s", [t.setting, t.value, limit]) if {
	is_number(t.value)
	t.value > limit
}

# 2026.2 takes only strings for the gateway credentials.
string_only(s) if {
	input.posture.version == "2026.2"
	startswith(s.name, "gateway.auth.")
}

fix(s) := "`${VAR}` (2026.2 accepts only strings here)" if string_only(s)

fix(s) := "a SecretRef (`{source, provider, id}`) or `${VAR}`" if not string_only(s)

declared := concat(", ", input.posture.secret_providers.declared) if count(input.posture.secret_providers.declared) > 0

declared := "none" if count(input.posture.secret_providers.declared) == 0

unresolved_reason(s) := sprintf("uses provider `%s`, which is not declared under `secrets.providers` (declared: %s)", [s.provider, declared]) if {
	not s.provider_declared
}

unresolved_reason(s) := sprintf("has source `%s`, but provider `%s` is declared with source `%s`", [s.source, s.provider, s.provider_source]) if {
	s.provider_declared
	s.provider_source != null
}

unresolved_reason(s) := sprintf("uses provider `%s`, which is declared under `secrets.providers` without a `source`", [s.provider]) if {
	s.provider_declared
	s.provider_source == null
}

rotation_problem(r, limit) := sprintf("is not set (limit %v days)", [limit]) if r.value == null

rotation_problem(r, limit) := sprintf("`%v` is not a recognised period (limit %v days)", [r.value, limit]) if {
	r.value != null
	r.days == null
}

rotation_problem(r, limit) := sprintf("is `%v`: never rotated (limit %v days)", [r.value, limit]) if r.days == "never"

rotation_problem(r, limit) := sprintf("`%v` is not a positive period (limit %v days)", [r.value, limit]) if {
	is_number(r.days)
	r.days <= 0
}

rotation_problem(r, limit) := sprintf("`%v` (%v days) is slower than the limit of %v days", [r.value, r.days, limit]) if {
	is_number(r.days)
	r.days > limit
}

m := input.posture.monitoring

g := input.posture.gateway

cu := g.control_ui

bind_text := sprintf("`gateway.bind: \"%v\"`", [g.bind.value]) if g.bind.present

exposure_text := bind_text if g.exposed

exposure_text := "Tailscale Funnel" if {
	not g.exposed
	g.funnel
}

empty_list(f) if not f.present

empty_list(f) if f.value == null

empty_list(f) if {
	is_array(f.value)
	count(f.value) == 0
}

no_credential(c) if c.kind in {"absent", "empty"}

origin_severity := "error" if {
	g.exposed
} else := "error" if {
	g.funnel
} else := "warning"

origin_context := sprintf(" while exposed (%s)", [exposure_text]) if exposure_text

origin_context := " (loopback only)" if not exposure_text

# OC239: unrestricted exec while the sandbox is off.
asks(s) if s.ask.value in {"on-miss", "always"}

asks(s) if {
	not s.ask.present
	input.posture.version == "2026.2"
}

unrestricted(s) := s.mode if s.mode.value == "full"

unrestricted(s) := s.security if {
	not s.mode.value == "full"
	s.security.value == "full"
	not asks(s)
}

sandbox_off(s) if not s.sandbox.present

sandbox_off(s) if s.sandbox.value == "off"

sandbox_text(s) := sprintf("`sandbox.mode` is `%v`", [s.sandbox.value]) if s.sandbox.present

sandbox_text(s) := "no `sandbox.mode` is set (default `off`)" if not s.sandbox.present

host_text(s) := sprintf(" on host `%v`", [s.host.value]) if s.host.present

host_text(s) := "" if not s.host.present

ask_text(s) := sprintf(" with `ask: \"%v\"`", [s.ask.value]) if s.ask.present

ask_text(s) := "" if not s.ask.present

scope_text(s) := "" if s.agent == null

scope_text(s) := sprintf(" (agent `%s`)", [s.agent]) if s.agent != null

# Report at the scope's own setting: an agent that only turns its sandbox off
# is reported at its `sandbox.mode`, not at the global exec setting.
exec_pointer(s, setting) := setting.pointer if s.agent == null

exec_pointer(s, setting) := setting.pointer if {
	s.agent != null
	startswith(setting.pointer, concat("", [s.agent_pointer, "/"]))
}

exec_pointer(s, setting) := s.sandbox.pointer if {
	s.agent != null
	not startswith(setting.pointer, concat("", [s.agent_pointer, "/"]))
}

last(p) := parts[count(parts) - 1] if parts := split(p, "/")

# OC241: open channels.
open_dm(c) if {
	c.enabled.value != false
	c.dm_policy.value == "open"
}

open_group(c) if {
	c.enabled.value != false
	c.group_policy.value == "open"
}

any_open if {
	some c in input.posture.channels
	open_dm(c)
}

any_open if {
	some c in input.posture.channels
	open_group(c)
}

reach contains "unrestricted exec" if {
	some s in input.posture.exec
	unrestricted(s)
}

reach contains "elevated tools" if {
	some e in input.posture.elevated
	e.enabled.value != false
}

reach_text := sprintf(", and it reaches %s", [concat(" and ", sort([r | some r in reach]))]) if count(reach) > 0

reach_text := "" if count(reach) == 0

# OpenClaw's audit test for "beyond loopback": any `gateway.bind` string other
# than `loopback` (a `custom` bind on 127.0.0.1 included).
beyond_loopback(bind) if {
	is_string(bind)
	bind != "loopback"
}
