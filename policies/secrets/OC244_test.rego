package clawcheck.rules.oc244_test

import data.clawcheck.rules.oc244
import rego.v1

real(declared, s) := {"posture": {
	"dialect": "openclaw-2026.9",
	"real": true,
	"secret_providers": {"pointer": "/secrets/providers", "declared": declared},
	"secrets": [s],
}}

ref(provider, source, provider_source, resolved) := {
	"name": "models.providers.openai.apiKey",
	"pointer": "/models/providers/openai/apiKey",
	"kind": "secret-ref",
	"source": source,
	"provider": provider,
	"id": "OPENAI_API_KEY",
	"ref": sprintf("%s:%s:OPENAI_API_KEY", [source, provider]),
	"provider_declared": provider_source != null,
	"provider_source": provider_source,
	"resolved": resolved,
	"rotation": {"declared": false},
}

test_fires_undeclared_provider if {
	fs := oc244.deny with input as real(["default", "vault"], ref("onepass", "exec", null, false))
	count(fs) == 1
	some f in fs
	f.rule == "OC244"
	f.pointer == "/models/providers/openai/apiKey"
	not f.severity
	f.message == "SecretRef in `models.providers.openai.apiKey` (`exec:onepass:OPENAI_API_KEY`) uses provider `onepass`, which is not declared under `secrets.providers` (declared: default, vault)"
}

test_fires_undeclared_provider_none_declared if {
	fs := oc244.deny with input as real([], ref("onepass", "exec", null, false))
	count(fs) == 1
	some f in fs
	endswith(f.message, "which is not declared under `secrets.providers` (declared: none)")
}

test_fires_provider_with_other_source if {
	fs := oc244.deny with input as real(["files"], ref("files", "env", "file", false))
	count(fs) == 1
	some f in fs
	f.rule == "OC244"
	f.pointer == "/models/providers/openai/apiKey"
	endswith(f.message, "(`env:files:OPENAI_API_KEY`) has source `env`, but provider `files` is declared with source `file`")
}

test_passes_resolved_ref if {
	count(oc244.deny) == 0 with input as real(["files"], ref("files", "file", "file", true))
}

test_passes_implicit_env_default if {
	count(oc244.deny) == 0 with input as real([], ref("default", "env", null, true))
}

test_passes_env_template_is_not_a_secret_ref if {
	s := object.union(ref("onepass", "exec", null, false), {"kind": "env-template"})
	count(oc244.deny) == 0 with input as real([], s)
}

test_fires_provider_declared_without_source if {
	r := object.union(ref("vault", "exec", null, false), {"provider_declared": true})
	fs := oc244.deny with input as real(["vault"], r)
	count(fs) == 1
	some f in fs
	f.message == "SecretRef in `models.providers.openai.apiKey` (`exec:vault:OPENAI_API_KEY`) uses provider `vault`, which is declared under `secrets.providers` without a `source`"
}
