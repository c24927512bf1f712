package clawcheck.rules.oc213_test

import data.clawcheck.rules.oc213
import rego.v1

known := {"known_sources": ["vault", "aws-kms", "1password"]}

profile(external, source) := {"secrets": known, "posture": {"dialect": "policy-profile", "secrets": [{
	"name": "db",
	"pointer": "/secrets/db",
	"external": external,
	"source": {"present": source != null, "value": source, "pointer": {true: "/secrets/db/source", false: "/secrets/db"}[source != null]},
}]}}

test_fires_external_without_source if {
	fs := oc213.deny with input as profile(true, null)
	count(fs) == 1
	some f in fs
	f.rule == "OC213"
	f.pointer == "/secrets/db"
	not f.severity
	f.message == "external secret `db` has no `source`: name the secret store it comes from"
}

test_fires_unknown_source if {
	fs := oc213.deny with input as profile(true, "keepass")
	count(fs) == 1
	some f in fs
	f.rule == "OC213"
	f.pointer == "/secrets/db/source"
	f.message == "secret `db` has unknown source `keepass` (known: vault, aws-kms, 1password)"
}

test_fires_unknown_source_on_inline_secret if {
	fs := oc213.deny with input as profile(false, "notes")
	some f in fs
	f.pointer == "/secrets/db/source"
	contains(f.message, "unknown source `notes`")
}

test_passes_known_source if {
	count(oc213.deny) == 0 with input as profile(true, "vault")
}

test_passes_known_source_case_insensitive if {
	count(oc213.deny) == 0 with input as profile(true, "AWS-KMS")
}

test_passes_inline_secret_without_source if {
	# Not external: OC211's finding, nothing for OC213.
	count(oc213.deny) == 0 with input as profile(false, null)
}

# A source that is not a string is an unknown source, not an evaluation error.
test_fires_source_not_a_string if {
	fs := oc213.deny with input as profile(true, 5)
	count(fs) == 1
	some f in fs
	f.pointer == "/secrets/db/source"
	f.message == "secret `db` has unknown source `5` (known: vault, aws-kms, 1password)"
}
