//! Links each deployment to the config it runs and builds the input the
//! deployment policies judge (`input.deployment`), one per deployment file.

use super::model::{self, Workload};
use super::{credential_name, ConfigFacts, DeployFile, Format, Place};
use crate::source::LineIndex;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Where `pointer` is in a deployment file.
fn place_in(f: &DeployFile, lines: &LineIndex, pointer: &str) -> Place {
    let r = f.doc.locate(pointer);
    let p = lines.position(&f.bytes, r.start);
    Place {
        path: f.display.clone(),
        pointer: pointer.to_string(),
        line: p.line,
        column: p.column,
    }
}

fn dir_of(display: &str) -> &str {
    display.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `base` joined with `rel`, `.` and `..` resolved lexically, `/`-separated.
fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        vec![""]
    } else {
        base.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect()
    };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != ".." && !l.is_empty()) {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Whether the workload runs OpenClaw, and as what.
fn role(w: &Workload, file_has_openclaw: bool) -> &'static str {
    let image = w.image.as_deref().unwrap_or("").to_ascii_lowercase();
    let words: Vec<&str> = w.args.iter().map(|a| a.word.as_str()).collect();
    let runs_openclaw = image.contains("openclaw")
        || words.iter().any(|a| {
            let base = a.rsplit('/').next().unwrap_or(a);
            base == "openclaw" || base == "openclaw.mjs"
        })
        || (words.contains(&"gateway") && words.iter().any(|a| a.ends_with("dist/index.js")));
    let sandbox = (image.contains("sandbox") || w.name.to_ascii_lowercase().contains("sandbox"))
        && (runs_openclaw || file_has_openclaw);
    if sandbox {
        return "sandbox";
    }
    if !runs_openclaw {
        return "other";
    }
    // The gateway: `gateway` on its command line, or the image's own command.
    if words.contains(&"gateway") || (words.is_empty() && w.platform != "dockerfile") {
        "gateway"
    } else {
        "cli"
    }
}

/// A flag's value on the command line (`--bind lan` or `--bind=lan`) and its pointer.
fn flag(w: &Workload, name: &str) -> Option<(String, String)> {
    let mut found = None;
    for (i, a) in w.args.iter().enumerate() {
        if a.word == name {
            if let Some(v) = w.args.get(i + 1) {
                found = Some((v.word.clone(), v.pointer.clone()));
            }
        } else if let Some(v) = a.word.strip_prefix(&format!("{name}=")) {
            found = Some((v.to_string(), a.pointer.clone()));
        }
    }
    found
}

/// Per-run context: every config, and every `.env` file by directory.
struct Run<'a> {
    files: &'a [DeployFile],
    lines: Vec<LineIndex>,
    configs: &'a [ConfigFacts],
}

impl Run<'_> {
    fn place(&self, file: usize, pointer: &str) -> Place {
        place_in(&self.files[file], &self.lines[file], pointer)
    }

    /// The `.env` file at `path` (display form), if checked in this run.
    fn dotenv(&self, path: &str) -> Option<usize> {
        self.files
            .iter()
            .position(|f| f.format == Format::Dotenv && f.display == path)
    }

    /// Compose's interpolation source for a file: the `.env` beside it.
    fn project_env(&self, file: usize) -> BTreeMap<String, String> {
        let dir = dir_of(&self.files[file].display);
        let path = join(dir, ".env");
        self.dotenv(&path)
            .and_then(|i| self.files[i].doc.value.as_object())
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The config a workload runs: by a mount of its config path, else the only
/// real config of the run. Returns the config and how it was linked.
fn link<'a>(
    run: &'a Run<'_>,
    file: usize,
    w: &Workload,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<(&'a ConfigFacts, String, String)> {
    let home = env("HOME").unwrap_or_else(|| w.default_home.clone());
    let expand = |p: String| match p.strip_prefix('~') {
        Some(rest) => format!("{home}{rest}"),
        None => p,
    };
    let container_path = env("OPENCLAW_CONFIG_PATH")
        .map(expand)
        .or_else(|| env("OPENCLAW_STATE_DIR").map(|d| format!("{}/openclaw.json", expand(d))))
        .unwrap_or_else(|| format!("{home}/.openclaw/openclaw.json"));
    let dir = dir_of(&run.files[file].display).to_string();
    let project = run.project_env(file);
    for m in &w.mounts {
        let target = m.target.trim_end_matches('/');
        let rest = if container_path == target {
            ""
        } else if let Some(r) = container_path.strip_prefix(&format!("{target}/")) {
            r
        } else {
            continue;
        };
        let Some(src) = &m.source else { continue };
        let src = super::interpolate(src, &|k| project.get(k).cloned());
        if src.is_empty() || !(src.starts_with('.') || src.starts_with('/') || src.contains('/')) {
            // a named volume: its content is not in the repository
            continue;
        }
        let host = if rest.is_empty() {
            join(&dir, &src)
        } else {
            join(&join(&dir, &src), rest)
        };
        if let Some(c) = run.configs.iter().find(|c| c.path == host) {
            return Some((
                c,
                format!("mounted at `{}`", m.target),
                container_path.clone(),
            ));
        }
    }
    let real: Vec<&ConfigFacts> = run.configs.iter().filter(|c| c.real).collect();
    match real.as_slice() {
        [only] => Some((
            only,
            "the only OpenClaw config checked in this run".into(),
            container_path,
        )),
        _ => None,
    }
}

/// A variable a workload sets: its value (resolved), where it is written in
/// the deployment file, and its kind (`literal`, `interpolated`, `secret`).
struct EnvValue {
    value: String,
    pointer: String,
    kind: &'static str,
}

/// The effective gateway posture of a workload and where each part comes from.
fn effective(
    run: &Run<'_>,
    file: usize,
    w: &Workload,
    cfg: Option<&ConfigFacts>,
    env: &dyn Fn(&str) -> Option<EnvValue>,
    env_file_unseen: bool,
    resolve: &dyn Fn(&str) -> String,
) -> Value {
    let here = |p: &str| run.place(file, p);
    let setting = |c: Option<&super::ConfigSetting>| {
        c.map(|c| json!({"present": c.present, "value": c.value, "place": c.place}))
    };
    // bind
    let (bind, bind_src, bind_at) = match flag(w, "--bind") {
        Some((v, p)) => (resolve(&v), "flag", Some(here(&p))),
        None => match cfg.filter(|c| c.bind.present) {
            Some(c) => (
                c.bind.value.as_str().unwrap_or("").to_string(),
                "config",
                Some(c.bind.place.clone()),
            ),
            None => ("loopback".to_string(), "default", None),
        },
    };
    // port
    let (port, port_src, port_at) = match flag(w, "--port") {
        Some((v, p)) => (resolve(&v).parse::<u64>().ok(), "flag", Some(here(&p))),
        None => match env("OPENCLAW_GATEWAY_PORT") {
            Some(e) => (
                resolve(&e.value).parse().ok(),
                "env",
                Some(here(&e.pointer)),
            ),
            None => match cfg.filter(|c| c.port.present) {
                Some(c) => (c.port.value.as_u64(), "config", Some(c.port.place.clone())),
                None => (Some(18789), "default", None),
            },
        },
    };
    // auth mode
    let (mode, mode_src, mode_at) = match flag(w, "--auth") {
        Some((v, p)) => (Some(resolve(&v)), "flag", Some(here(&p))),
        None => match cfg.filter(|c| c.auth_mode.present) {
            Some(c) => (
                c.auth_mode.value.as_str().map(str::to_string),
                "config",
                Some(c.auth_mode.place.clone()),
            ),
            None => (None, "default", None),
        },
    };
    // the shared credential, in OpenClaw's order
    let cred_flag = flag(w, "--token").or_else(|| flag(w, "--password"));
    let cfg_cred = cfg.filter(|c| !matches!(c.token_kind.as_str(), "absent" | "empty"));
    let env_cred = env("OPENCLAW_GATEWAY_TOKEN").or_else(|| env("OPENCLAW_GATEWAY_PASSWORD"));
    let weak_literal =
        |v: &str| crate::openclaw::is_placeholder(v) || v.trim().chars().count() < 24;
    let (cred_src, cred_kind, cred_weak, cred_at) = if let Some((v, p)) = &cred_flag {
        let kind = model::env_kind(v);
        (
            "flag",
            kind,
            kind == "literal" && weak_literal(v),
            Some(here(p)),
        )
    } else if let Some(c) = cfg_cred {
        (
            "config",
            match c.token_kind.as_str() {
                "literal" => "literal",
                "secret-ref" => "secret-ref",
                _ => "env-template",
            },
            c.token_weak,
            Some(c.token.place.clone()),
        )
    } else if let Some(e) = &env_cred {
        (
            "env",
            e.kind,
            e.kind == "literal" && weak_literal(&e.value),
            Some(here(&e.pointer)),
        )
    } else if cfg.is_some_and(|c| !matches!(c.password_kind.as_str(), "absent" | "empty")) {
        ("config", "password", false, None)
    } else if env_file_unseen {
        ("env_file", "unknown", false, None)
    } else {
        ("none", "none", false, None)
    };
    let (weak, why) = match mode.as_deref() {
        Some("none") => (true, "`auth mode: none`: no credential at all".to_string()),
        Some("trusted-proxy") => (false, String::new()),
        _ if cred_weak => (
            true,
            "the shared gateway credential is a placeholder or shorter than 24 characters".into(),
        ),
        _ => (false, String::new()),
    };
    let weak_at = match mode.as_deref() {
        Some("none") => mode_at.clone(),
        _ => cred_at.clone(),
    };
    json!({
        "bind": {"value": bind, "source": bind_src, "place": bind_at,
                 "config": setting(cfg.map(|c| &c.bind)),
                 "exposed": bind != "loopback"},
        "port": {"value": port, "source": port_src, "place": port_at,
                 "config": setting(cfg.map(|c| &c.port))},
        "auth_mode": {"value": mode, "source": mode_src, "place": mode_at,
                      "config": setting(cfg.map(|c| &c.auth_mode))},
        "credential": {"source": cred_src, "kind": cred_kind, "place": cred_at},
        "auth": {"weak": weak, "why": why, "place": weak_at},
    })
}

/// The policy input of every deployment file (by index into `files`).
pub fn inputs(files: &[DeployFile], configs: &[ConfigFacts]) -> Vec<(usize, Value)> {
    let run = Run {
        files,
        lines: files.iter().map(|f| LineIndex::new(&f.bytes)).collect(),
        configs,
    };
    let mut out = Vec::new();
    // Gateways seen (for the Prometheus cross-check): name, port, place.
    let mut gateways: Vec<Value> = Vec::new();
    let mut linked_configs: Vec<String> = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let ws = model::workloads(f.format, &f.doc.value, &f.display);
        let has_openclaw = ws.iter().any(|w| role(w, false) != "other");
        let project = run.project_env(fi);
        let resolve = |s: &str| super::interpolate(s, &|k| project.get(k).cloned());
        let production = production(&f.display);
        let mut workloads = Vec::new();
        for w in &ws {
            let role = role(w, has_openclaw);
            // Environment: the manifest's own, then env files it reads.
            let mut env_files_unseen = false;
            let mut env_places: Vec<(String, String, &'static str, Option<usize>)> = w
                .env
                .iter()
                .map(|e| {
                    (
                        e.name.clone(),
                        e.value.clone().map(|v| resolve(&v)).unwrap_or_default(),
                        e.kind,
                        None,
                    )
                })
                .collect();
            for (path, _) in &w.env_files {
                match run.dotenv(&join(dir_of(&f.display), path)) {
                    Some(di) => {
                        for (k, v) in files[di].doc.value.as_object().into_iter().flatten() {
                            let v = v.as_str().unwrap_or("").to_string();
                            env_places.push((k.clone(), v.clone(), model::env_kind(&v), Some(di)));
                        }
                    }
                    None => env_files_unseen = true,
                }
            }
            let env_value = |name: &str| -> Option<String> {
                env_places
                    .iter()
                    .find(|(k, v, kind, _)| k == name && *kind != "secret" && !v.is_empty())
                    .map(|(_, v, _, _)| v.clone())
            };
            let env_at = |name: &str| -> Option<EnvValue> {
                let (i, (_, v, kind, _)) = env_places
                    .iter()
                    .enumerate()
                    .find(|(_, (k, _, _, _))| k == name)?;
                // only the manifest's own variables have a pointer in this file
                let pointer = w
                    .env
                    .get(i)
                    .map_or(w.pointer.clone(), |e| e.pointer.clone());
                Some(EnvValue {
                    value: v.clone(),
                    pointer,
                    kind,
                })
            };
            let linked = if matches!(role, "gateway" | "sandbox" | "cli") {
                link(&run, fi, w, &env_value)
            } else {
                None
            };
            let cfg = linked.as_ref().map(|(c, _, _)| *c);
            if let Some(c) = cfg {
                linked_configs.push(c.path.clone());
            }
            let effective = (role == "gateway")
                .then(|| effective(&run, fi, w, cfg, &env_at, env_files_unseen, &resolve));
            let gw_port = effective
                .as_ref()
                .and_then(|e| e["port"]["value"].as_u64())
                .unwrap_or(18789);
            if role == "gateway" {
                gateways.push(
                    json!({"name": w.name, "port": gw_port, "place": run.place(fi, &w.pointer)}),
                );
            }
            let container_config = linked
                .as_ref()
                .map(|(_, _, p)| p.clone())
                .unwrap_or_else(|| format!("{}/.openclaw/openclaw.json", w.default_home));
            let published: Vec<Value> =
                w.ports
                    .iter()
                    .filter(|p| p.container_port.is_none_or(|c| c == gw_port))
                    .map(|p| {
                        let loopback = p.host_ip.as_deref().is_some_and(|h| {
                            h.starts_with("127.") || h == "::1" || h == "localhost"
                        });
                        json!({"pointer": p.pointer, "via": p.via, "host_ip": p.host_ip,
                           "container_port": p.container_port, "loopback": loopback})
                    })
                    .collect();
            let mounts: Vec<Value> = w
                .mounts
                .iter()
                .map(|m| {
                    let t = m.target.trim_end_matches('/');
                    let sock = |s: &str| s.ends_with("docker.sock");
                    json!({
                        "pointer": m.pointer,
                        "source": m.source,
                        "target": m.target,
                        "read_only": m.read_only,
                        "docker_socket": sock(&m.target) || m.source.as_deref().is_some_and(sock),
                        "holds_config": !t.is_empty() && (container_config == t || container_config.starts_with(&format!("{t}/"))),
                    })
                })
                .collect();
            let env: Vec<Value> = w
                .env
                .iter()
                .map(|e| {
                    json!({"name": e.name, "pointer": e.pointer, "kind": e.kind,
                           "credential": credential_name(&e.name),
                           "placeholder": e.value.as_deref().is_some_and(crate::openclaw::is_placeholder)})
                })
                .collect();
            let allow = w
                .args
                .iter()
                .find(|a| a.word == "--allow-unconfigured")
                .map(|a| a.pointer.clone());
            let cred_flags: Vec<Value> = ["--token", "--password"]
                .iter()
                .filter_map(|n| flag(w, n))
                .filter(|(v, _)| model::env_kind(v) == "literal")
                .map(|(_, p)| json!({"pointer": p}))
                .collect();
            workloads.push(json!({
                "name": w.name,
                "platform": w.platform,
                "pointer": w.pointer,
                "role": role,
                "image": w.image,
                "command_pointer": w.command_pointer,
                "allow_unconfigured": allow,
                "env": env,
                "credential_flags": cred_flags,
                "published": published,
                "host_network": w.host_network,
                "host_pid": w.host_pid,
                "privileged": w.privileged,
                "mounts": mounts,
                "limits": w.limits,
                "config": linked.as_ref().map(|(c, how, _)| json!({"path": c.path, "how": how})),
                "effective": effective,
            }));
        }
        let dotenv: Vec<Value> = if f.format == Format::Dotenv {
            f.doc
                .value
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    let v = v.as_str().unwrap_or("");
                    json!({"name": k, "pointer": format!("/{}", crate::load::escape_pointer_token(k)),
                           "kind": model::env_kind(v), "credential": credential_name(k),
                           "placeholder": crate::openclaw::is_placeholder(v)})
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push((
            fi,
            json!({
                "path": f.display,
                "format": f.format.as_str(),
                "production": production,
                "workloads": workloads,
                "dotenv": dotenv,
            }),
        ));
    }
    // Configs no workload runs: their gateway still serves its port.
    for c in configs
        .iter()
        .filter(|c| c.real && !linked_configs.contains(&c.path))
    {
        gateways.push(json!({
            "name": c.path,
            "port": c.port.value.as_u64().unwrap_or(18789),
            "place": c.port.place,
        }));
    }
    let alerts: Vec<String> = files
        .iter()
        .filter(|f| matches!(f.format, Format::Prometheus | Format::PrometheusRules))
        .flat_map(|f| model::alert_exprs(&f.doc.value))
        .collect();
    let metrics: Vec<Value> = configs
        .iter()
        .flat_map(|c| c.metrics.iter())
        .map(|(m, p)| json!({"name": m, "place": p}))
        .collect();
    for (fi, input) in &mut out {
        let f = &files[*fi];
        if f.format != Format::Prometheus {
            continue;
        }
        let jobs: Vec<Value> = model::scrape_jobs(&f.doc.value)
            .into_iter()
            .map(|j| serde_json::to_value(j).unwrap_or(Value::Null))
            .collect();
        let first = f.doc.value[0].as_object();
        let at = |k: &str| {
            first
                .filter(|o| o.contains_key(k))
                .map_or_else(|| "/0".to_string(), |_| format!("/0/{k}"))
        };
        input["prometheus"] = json!({
            "jobs": jobs,
            "scrape_pointer": at("scrape_configs"),
            "rules_pointer": at("rule_files"),
            "gateways": gateways,
            "alert_exprs": alerts,
            "declared_metrics": metrics,
        });
    }
    out.into_iter()
        .map(|(fi, d)| (fi, json!({"deployment": d})))
        .collect()
}

/// A manifest for production: its file name has no dev, test, example,
/// local or override marker (`docker-compose.dev.yml`), and no directory on
/// its path is named for one (`examples/`, `dev/`, `local/`).
fn production(display: &str) -> bool {
    const FILE: &[&str] = &[
        "dev",
        "development",
        "test",
        "testing",
        "example",
        "sample",
        "local",
        "demo",
        "override",
    ];
    const DIR: &[&str] = &[
        "dev",
        "development",
        "example",
        "examples",
        "samples",
        "local",
        "demo",
    ];
    let lower = display.to_ascii_lowercase();
    let (dirs, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    !name.split(['.', '-', '_']).any(|w| FILE.contains(&w))
        && !dirs.split('/').any(|d| DIR.contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_lexically() {
        assert_eq!(join("deploy", "./config"), "deploy/config");
        assert_eq!(
            join("deploy/compose", "../openclaw.json"),
            "deploy/openclaw.json"
        );
        assert_eq!(join("", "./openclaw.json"), "openclaw.json");
        assert_eq!(join("a", "/etc/x"), "/etc/x");
    }

    #[test]
    fn production_paths() {
        assert!(production("deploy/docker-compose.yml"));
        assert!(!production("docker-compose.dev.yml"));
        assert!(!production("examples/k8s/gateway.yaml"));
    }
}
