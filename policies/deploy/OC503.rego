package clawcheck.rules.oc503

import rego.v1

literal(e) if {
	e.credential
	e.kind == "literal"
	not e.placeholder
}

deny contains f if {
	some w in data.clawcheck.lib.deploy.d.workloads
	some e in w.env
	literal(e)
	f := {
		"rule": "OC503",
		"pointer": e.pointer,
		"message": sprintf("`%s` of `%s` is a literal credential in %s: it is committed with the repository and readable by anyone with the manifest; take it from a Secret, an untracked env file or the shell (`${%s}`)", [e.name, w.name, data.clawcheck.lib.deploy.d.path, e.name]),
	}
}

deny contains f if {
	some w in data.clawcheck.lib.deploy.d.workloads
	some c in w.credential_flags
	f := {
		"rule": "OC503",
		"pointer": c.pointer,
		"message": sprintf("`%s` passes a literal gateway credential on its command line in %s: it is committed with the repository and visible in the process list; use `OPENCLAW_GATEWAY_TOKEN` from a secret", [w.name, data.clawcheck.lib.deploy.d.path]),
	}
}

deny contains f if {
	some e in data.clawcheck.lib.deploy.d.dotenv
	literal(e)
	f := {
		"rule": "OC503",
		"pointer": e.pointer,
		"message": sprintf("`%s` is a literal credential in %s, which .gitignore does not exclude: the file is committed with the repository (an `.env` listed in .gitignore is not flagged)", [e.name, data.clawcheck.lib.deploy.d.path]),
	}
}
