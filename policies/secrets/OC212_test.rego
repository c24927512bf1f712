package clawcheck.rules.oc212_test

import data.clawcheck.rules.oc212
import rego.v1

limits := {"sensitive_timeout_seconds": 120, "routine_timeout_seconds": 300, "rotation_max_days": 7}

profile(value, days) := {"limits": limits, "posture": {"dialect": "policy-profile", "secrets": [{
	"name": "db",
	"pointer": "/secrets/db",
	"rotation": {"present": value != null, "value": value, "pointer": {true: "/secrets/db/rotation", false: "/secrets/db"}[value != null], "days": days},
}]}}

test_fires_without_rotation if {
	fs := oc212.deny with input as profile(null, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC212"
	f.pointer == "/secrets/db"
	not f.severity
	f.message == "secret `db` has no `rotation`: rotate every 7 days or faster (e.g. `\"weekly\"`)"
}

test_fires_unrecognised_rotation if {
	fs := oc212.deny with input as profile("sometimes", null)
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/rotation"
	contains(f.message, "has `rotation: sometimes`, which is not a recognised period")
	contains(f.message, "(limit 7 days)")
}

test_fires_never_rotated if {
	fs := oc212.deny with input as profile("never", "never")
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/rotation"
	f.message == "secret `db` has `rotation: never`: the secret is never rotated (limit 7 days)"
}

test_fires_slower_than_limit if {
	fs := oc212.deny with input as profile("monthly", 30)
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/rotation"
	f.message == "secret `db` has `rotation: monthly` (30 days), slower than the limit of 7 days"
}

test_fires_non_positive_period if {
	fs := oc212.deny with input as profile("0d", 0)
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/rotation"
	contains(f.message, "has `rotation: 0d`, which is not a positive period (limit 7 days)")
}

test_passes_weekly if {
	count(oc212.deny) == 0 with input as profile("weekly", 7)
}

test_passes_hourly if {
	count(oc212.deny) == 0 with input as profile("hourly", 0.041666666666666664)
}

# Real configs: rotation from clawcheck.toml's [[secrets.inventory]].
real(inventory, s) := {"limits": limits, "posture": {"dialect": "openclaw-2026.9", "real": true, "inventory": {"present": inventory}, "secrets": [s]}}

ref(kind, rotation) := {
	"name": "models.providers.anthropic.apiKey",
	"pointer": "/models/providers/anthropic/apiKey",
	"kind": kind,
	"ref": "env:default:ANTHROPIC_API_KEY",
	"id": "ANTHROPIC_API_KEY",
	"rotation": rotation,
}

declared(value, days) := {"declared": true, "value": value, "days": days}

test_fires_real_ref_missing_from_inventory if {
	fs := oc212.deny with input as real(true, ref("secret-ref", {"declared": false}))
	count(fs) == 1
	some f in fs
	f.rule == "OC212"
	f.severity == "warning"
	f.pointer == "/models/providers/anthropic/apiKey"
	f.message == "`models.providers.anthropic.apiKey` references `env:default:ANTHROPIC_API_KEY`, which has no rotation in clawcheck.toml's [[secrets.inventory]] (limit 7 days)"
}

test_fires_real_env_template_missing_from_inventory if {
	fs := oc212.deny with input as real(true, ref("env-template", {"declared": false}))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
}

test_passes_real_without_inventory if {
	count(oc212.deny) == 0 with input as real(false, ref("secret-ref", {"declared": false}))
}

test_passes_real_literal_not_judged if {
	s := {"name": "gateway.auth.token", "pointer": "/gateway/auth/token", "kind": "literal", "shown": "ab…yz", "length": 30}
	count(oc212.deny) == 0 with input as real(true, s)
}

test_fires_real_inventory_rotation_not_set if {
	fs := oc212.deny with input as real(true, ref("secret-ref", declared(null, null)))
	count(fs) == 1
	some f in fs
	f.rule == "OC212"
	not f.severity
	f.pointer == "/models/providers/anthropic/apiKey"
	f.message == "`models.providers.anthropic.apiKey` references `env:default:ANTHROPIC_API_KEY`, whose inventory rotation is not set (limit 7 days)"
}

test_fires_real_inventory_rotation_unrecognised if {
	fs := oc212.deny with input as real(true, ref("secret-ref", declared("fortnightly-ish", null)))
	count(fs) == 1
	some f in fs
	endswith(f.message, "whose inventory rotation `fortnightly-ish` is not a recognised period (limit 7 days)")
}

test_fires_real_inventory_rotation_never if {
	fs := oc212.deny with input as real(true, ref("env-template", declared("never", "never")))
	count(fs) == 1
	some f in fs
	endswith(f.message, "whose inventory rotation is `never`: never rotated (limit 7 days)")
}

test_fires_real_inventory_rotation_too_slow if {
	fs := oc212.deny with input as real(true, ref("secret-ref", declared("90d", 90)))
	count(fs) == 1
	some f in fs
	endswith(f.message, "whose inventory rotation `90d` (90 days) is slower than the limit of 7 days")
}

test_passes_real_inventory_rotation_within_limit if {
	count(oc212.deny) == 0 with input as real(true, ref("secret-ref", declared("weekly", 7)))
}

test_fires_real_inventory_rotation_not_positive if {
	fs := oc212.deny with input as real(true, ref("secret-ref", declared("0d", 0)))
	count(fs) == 1
	some f in fs
	endswith(f.message, "whose inventory rotation `0d` is not a positive period (limit 7 days)")
}
