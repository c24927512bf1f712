package clawcheck.rules.oc211_test

import data.clawcheck.rules.oc211
import rego.v1

field(v, pointer) := {"present": v != null, "value": v, "pointer": pointer}

secret(provider, external, literal) := {
	"name": "db",
	"pointer": "/secrets/db",
	"provider": field(provider, sprintf("/secrets/db%s", [{true: "/provider", false: ""}[provider != null]])),
	"external": external,
	"literal": field(literal, sprintf("/secrets/db%s", [{true: "/value", false: ""}[literal != null]])),
}

profile(s) := {"posture": {"dialect": "policy-profile", "secrets": [s]}}

test_fires_not_external_without_provider if {
	fs := oc211.deny with input as profile(secret(null, false, null))
	count(fs) == 1
	some f in fs
	f.rule == "OC211"
	f.pointer == "/secrets/db"
	not f.severity
	f.message == "secret `db` is not external (no `provider`): every secret must come from an external secret store"
}

test_fires_not_external_with_inline_provider if {
	fs := oc211.deny with input as profile(secret("inline", false, null))
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/provider"
	contains(f.message, "secret `db` is not external (`provider: inline`)")
}

test_fires_literal_value if {
	fs := oc211.deny with input as profile(secret("external", true, "[redacted]"))
	count(fs) == 1
	some f in fs
	f.rule == "OC211"
	f.pointer == "/secrets/db/value"
	contains(f.message, "secret `db` carries a literal `value` in the config")
}

test_fires_both_for_inline_literal if {
	count(oc211.deny) == 2 with input as profile(secret("inline", false, "[redacted]"))
}

test_passes_external_without_value if {
	count(oc211.deny) == 0 with input as profile(secret("external", true, null))
}

# Real configs: literal credentials.
real(version, s) := {"posture": {"dialect": sprintf("openclaw-%s", [version]), "real": true, "version": version, "secrets": [s]}}

literal(name) := {"name": name, "pointer": concat("/", ["", replace(name, ".", "/")]), "kind": "literal", "credential_field": true, "shown": "sk…89", "length": 40}

test_fires_real_literal_with_secret_ref_fix if {
	fs := oc211.deny with input as real("2026.9", literal("models.providers.anthropic.apiKey"))
	count(fs) == 1
	some f in fs
	f.rule == "OC211"
	f.pointer == "/models/providers/anthropic/apiKey"
	not f.severity
	f.message == "literal credential in `models.providers.anthropic.apiKey` (`sk…89`): keep it outside the file and reference it with a SecretRef (`{source, provider, id}`) or `${VAR}`"
}

test_fires_real_literal_gateway_credential_on_2026_9_with_secret_ref_fix if {
	fs := oc211.deny with input as real("2026.9", literal("gateway.auth.token"))
	some f in fs
	f.pointer == "/gateway/auth/token"
	contains(f.message, "a SecretRef (`{source, provider, id}`)")
}

test_fires_real_literal_gateway_credential_on_2026_2_with_env_fix if {
	fs := oc211.deny with input as real("2026.2", literal("gateway.auth.token"))
	count(fs) == 1
	some f in fs
	f.pointer == "/gateway/auth/token"
	endswith(f.message, "reference it with `${VAR}` (2026.2 accepts only strings here)")
}

test_fires_real_literal_other_credential_on_2026_2_with_secret_ref_fix if {
	fs := oc211.deny with input as real("2026.2", literal("models.providers.openai.apiKey"))
	some f in fs
	contains(f.message, "a SecretRef (`{source, provider, id}`)")
}

test_passes_real_env_template if {
	s := {"name": "gateway.auth.token", "pointer": "/gateway/auth/token", "kind": "env-template", "credential_field": true, "ref": "env:default:T", "id": "T", "rotation": {"declared": false}}
	count(oc211.deny) == 0 with input as real("2026.9", s)
}
