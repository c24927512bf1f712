package clawcheck.rules.oc231_test

import data.clawcheck.rules.oc231
import rego.v1

absent(k) := {"present": false, "value": null, "pointer": sprintf("/gateway/auth/%s", [k]), "kind": "absent", "length": 0, "shown": "", "placeholder": false}

literal(k, length, shown, placeholder) := {"present": true, "value": "[redacted]", "pointer": sprintf("/gateway/auth/%s", [k]), "kind": "literal", "length": length, "shown": shown, "placeholder": placeholder}

gw(token, password) := {"posture": {"dialect": "openclaw-2026.9", "real": true, "gateway": {"auth": {"pointer": "/gateway/auth", "token": token, "password": password}}}}

test_fires_short_literal_token if {
	fs := oc231.deny with input as gw(literal("token", 8, "ab…yz", false), absent("password"))
	count(fs) == 1
	some f in fs
	f.rule == "OC231"
	f.pointer == "/gateway/auth/token"
	not f.severity
	f.message == "`gateway.auth.token` is 8 characters (`ab…yz`), shorter than 24: a weak shared secret"
}

test_fires_short_literal_password if {
	fs := oc231.deny with input as gw(absent("token"), literal("password", 23, "hu…r2", false))
	count(fs) == 1
	some f in fs
	f.pointer == "/gateway/auth/password"
	contains(f.message, "`gateway.auth.password` is 23 characters")
}

test_fires_placeholder_not_as_short if {
	fs := oc231.deny with input as gw(literal("token", 9, "change-me", true), absent("password"))
	count(fs) == 1
	some f in fs
	f.rule == "OC231"
	f.pointer == "/gateway/auth/token"
	f.message == "`gateway.auth.token` is a placeholder (`change-me`), not a secret"
	f.severity == "error"
}

test_passes_long_literal if {
	count(oc231.deny) == 0 with input as gw(literal("token", 24, "ab…yz", false), absent("password"))
}

test_passes_secret_ref if {
	ref := {"present": true, "value": {"source": "env", "provider": "default", "id": "T"}, "pointer": "/gateway/auth/token", "kind": "secret-ref", "length": 0, "shown": "", "placeholder": false}
	count(oc231.deny) == 0 with input as gw(ref, absent("password"))
}
