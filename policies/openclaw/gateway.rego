# Real OpenClaw configs: gateway exposure and authentication (OC230–OC238).
package clawcheck.openclaw.gateway

import rego.v1

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

# OC230: exposed without authentication.
deny contains f if {
	input.posture.real
	g.exposed
	g.auth.mode.value == "none"
	f := {
		"rule": "OC230",
		"pointer": g.auth.mode.pointer,
		"message": sprintf("`gateway.auth.mode: \"none\"` while %s: the gateway and its HTTP APIs are reachable from the network without any credential", [bind_text]),
	}
}

deny contains f if {
	input.posture.real
	g.exposed
	not g.auth.mode.present
	no_credential(g.auth.token)
	no_credential(g.auth.password)
	f := {
		"rule": "OC230",
		"pointer": g.auth.pointer,
		"message": sprintf("no `gateway.auth.mode`, token or password in the config while %s: unless OPENCLAW_GATEWAY_TOKEN is set where the gateway runs, it is reachable without a credential", [bind_text]),
	}
}

# OC231: short or placeholder literal credentials.
deny contains f if {
	input.posture.real
	some k in ["token", "password"]
	c := g.auth[k]
	c.kind == "literal"
	c.length < 24
	not c.placeholder
	f := {
		"rule": "OC231",
		"pointer": c.pointer,
		"message": sprintf("`gateway.auth.%s` is %v characters (`%s`), shorter than 24: a weak shared secret", [k, c.length, c.shown]),
	}
}

deny contains f if {
	input.posture.real
	some k in ["token", "password"]
	c := g.auth[k]
	c.placeholder
	f := {
		"rule": "OC231",
		"pointer": c.pointer,
		"message": sprintf("`gateway.auth.%s` is a placeholder (`%s`), not a secret", [k, c.shown]),
	}
}

# OC232: Control UI origins.
deny contains f if {
	input.posture.real
	cu.enabled.value != false
	is_array(cu.allowed_origins.value)
	"*" in cu.allowed_origins.value
	f := {
		"rule": "OC232",
		"severity": origin_severity,
		"pointer": cu.allowed_origins.pointer,
		"message": sprintf("`gateway.controlUi.allowedOrigins` contains `\"*\"`%s: any web origin may drive the Control UI/WebChat", [origin_context]),
	}
}

origin_severity := "error" if {
	g.exposed
} else := "error" if {
	g.funnel
} else := "warning"

origin_context := sprintf(" while exposed (%s)", [exposure_text]) if exposure_text

origin_context := " (loopback only)" if not exposure_text

deny contains f if {
	input.posture.real
	g.exposed
	cu.enabled.value != false
	empty_list(cu.allowed_origins)
	f := {
		"rule": "OC232",
		"pointer": cu.allowed_origins.pointer,
		"message": sprintf("the Control UI is served while %s without `gateway.controlUi.allowedOrigins`: list the origins allowed to use it", [bind_text]),
	}
}

# OC233: no rate limit on an exposed gateway.
deny contains f if {
	input.posture.real
	g.exposed
	not g.auth.rate_limit.present
	f := {
		"rule": "OC233",
		"pointer": g.auth.rate_limit.pointer,
		"message": sprintf("`gateway.auth.rateLimit` is absent while %s: no brute-force throttling", [bind_text]),
	}
}

# OC234: Tailscale Funnel.
deny contains f if {
	input.posture.real
	g.tailscale_mode.value == "funnel"
	f := {
		"rule": "OC234",
		"pointer": g.tailscale_mode.pointer,
		"message": "`gateway.tailscale.mode: \"funnel\"` publishes the gateway to the public internet",
	}
}

# OC235: Host-header origin fallback.
deny contains f if {
	input.posture.real
	cu.host_header_fallback.value == true
	f := {
		"rule": "OC235",
		"pointer": cu.host_header_fallback.pointer,
		"message": "`gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback: true`: the Host header is trusted as the origin (DNS-rebinding protection off)",
	}
}

# OC236: device auth off, insecure auth on.
deny contains f if {
	input.posture.real
	cu.disable_device_auth.value == true
	f := {
		"rule": "OC236",
		"pointer": cu.disable_device_auth.pointer,
		"message": "`gateway.controlUi.dangerouslyDisableDeviceAuth: true`: Control UI device authentication is disabled",
	}
}

deny contains f if {
	input.posture.real
	cu.allow_insecure_auth.value == true
	f := {
		"rule": "OC236",
		"severity": "warning",
		"pointer": cu.allow_insecure_auth.pointer,
		"message": "`gateway.controlUi.allowInsecureAuth: true`: the Control UI accepts authentication over plain HTTP",
	}
}

# OC237: X-Real-IP fallback.
deny contains f if {
	input.posture.real
	g.real_ip_fallback.value == true
	f := {
		"rule": "OC237",
		"pointer": g.real_ip_fallback.pointer,
		"message": "`gateway.allowRealIpFallback: true`: the client address is taken from X-Real-IP, which a client can spoof through a misconfigured proxy",
	}
}

# OC238: loopback Control UI without trusted proxies.
deny contains f if {
	input.posture.real
	g.present
	not g.exposed
	cu.enabled.value != false
	empty_list(g.trusted_proxies)
	f := {
		"rule": "OC238",
		"pointer": g.trusted_proxies.pointer,
		"message": "`gateway.trustedProxies` is absent while the Control UI is served on loopback: behind a local reverse proxy every request looks local",
	}
}
