package clawcheck.rules.oc503_test

import data.clawcheck.rules.oc503
import rego.v1

env(kind, placeholder) := {"name": "OPENCLAW_GATEWAY_TOKEN", "pointer": "/0/services/gw/environment/OPENCLAW_GATEWAY_TOKEN", "kind": kind, "credential": true, "placeholder": placeholder}

dep(envs, flags, dotenv) := {"deployment": {"path": "docker-compose.yml", "workloads": [{"name": "gw", "env": envs, "credential_flags": flags}], "dotenv": dotenv}}

test_fires_on_a_literal_in_environment if {
	fs := oc503.deny with input as dep([env("literal", false)], [], [])
	count(fs) == 1
	some f in fs
	f.pointer == "/0/services/gw/environment/OPENCLAW_GATEWAY_TOKEN"
	contains(f.message, "literal credential in docker-compose.yml")
}

test_fires_on_a_token_flag_and_a_tracked_dotenv if {
	fs := oc503.deny with input as dep([], [{"pointer": "/0/services/gw/command/5"}], [env("literal", false)])
	count(fs) == 2
	some f in fs
	contains(f.message, ".gitignore does not exclude")
}

test_passes_on_references_placeholders_and_other_names if {
	count(oc503.deny) == 0 with input as dep(
		[env("interpolated", false), env("secret", false), env("literal", true), {"name": "HOME", "pointer": "/h", "kind": "literal", "credential": false, "placeholder": false}],
		[],
		[env("interpolated", false)],
	)
}
