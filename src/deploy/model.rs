//! What a deployment file runs: its workloads (a Compose service, a
//! Kubernetes container, a systemd service, a Dockerfile's image) with the
//! settings the deployment rules judge, each with the JSON Pointer it is
//! written at; and what a Prometheus file scrapes and alerts on.

use super::Format;
use crate::load::escape_pointer_token;
use serde::Serialize;
use serde_json::Value;

/// One word of a workload's command line and where it is written.
#[derive(Debug, Clone, Serialize)]
pub struct Arg {
    pub word: String,
    pub pointer: String,
}

/// An environment variable a workload sets.
#[derive(Debug, Clone, Serialize)]
pub struct EnvVar {
    pub name: String,
    /// The literal value (`None`: taken from a Secret, a file or the shell).
    #[serde(skip)]
    pub value: Option<String>,
    pub pointer: String,
    /// `literal`, `interpolated` (`${VAR}` / `$(VAR)`), `secret` (from a
    /// Secret or ConfigMap), `empty`.
    pub kind: &'static str,
}

/// A published port.
#[derive(Debug, Clone, Serialize)]
pub struct Port {
    pub pointer: String,
    /// Host address it is published on (`None`: every interface).
    pub host_ip: Option<String>,
    pub container_port: Option<u64>,
    /// `ports` (Compose), `hostPort`, `service` (LoadBalancer/NodePort).
    pub via: &'static str,
}

/// A volume mounted into the workload.
#[derive(Debug, Clone, Serialize)]
pub struct Mount {
    pub pointer: String,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    pub name: String,
    pub platform: &'static str,
    pub pointer: String,
    pub image: Option<String>,
    pub args: Vec<Arg>,
    /// Where the command is (or would be) written.
    pub command_pointer: String,
    pub env: Vec<EnvVar>,
    /// `env_file:` / `EnvironmentFile=` entries (path as written, pointer).
    pub env_files: Vec<(String, String)>,
    pub ports: Vec<Port>,
    pub host_network: Option<String>,
    pub host_pid: Option<String>,
    pub privileged: Option<String>,
    pub mounts: Vec<Mount>,
    /// Pointer of the memory/CPU limit, when one is set.
    pub limits: Option<String>,
    /// `HOME` in the workload when nothing sets it (the official image runs as `node`).
    pub default_home: String,
}

fn s(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn tok(t: &str) -> String {
    escape_pointer_token(t).into_owned()
}

/// Command words: a list (each with its pointer) or a string (split like a shell).
fn words_at(v: &Value, pointer: &str) -> Vec<Arg> {
    match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                s(w).map(|word| Arg {
                    word,
                    pointer: format!("{pointer}/{i}"),
                })
            })
            .collect(),
        Value::String(t) => super::text::words(t)
            .into_iter()
            .map(|word| Arg {
                word,
                pointer: pointer.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Kind of an environment value written in a manifest. A substitution with
/// a literal default of 8 characters or more (`${TOKEN:-<literal>}`, which
/// is the value wherever the variable is unset) is a literal: it is
/// committed with the file.
pub fn env_kind(value: &str) -> &'static str {
    if value.trim().is_empty() {
        "empty"
    } else if value.contains("${") || value.contains("$(") || value.trim_start().starts_with('$') {
        if crate::redact::literal_remainder(value, true) >= 8 && has_default(value) {
            "literal"
        } else {
            "interpolated"
        }
    } else {
        "literal"
    }
}

/// Whether `value` holds a `${NAME:-default}` or `${NAME-default}`.
fn has_default(value: &str) -> bool {
    value.match_indices("${").any(|(i, _)| {
        let rest = &value[i + 2..];
        let name = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        name > 0 && (rest[name..].starts_with(":-") || rest[name..].starts_with('-'))
    })
}

/// Every workload of a parsed deployment file.
pub fn workloads(format: Format, doc: &Value, display: &str) -> Vec<Workload> {
    match format {
        Format::Compose => compose(doc),
        Format::Kubernetes => kubernetes(doc),
        Format::Systemd => systemd(doc, display),
        Format::Dockerfile => dockerfile(doc, display),
        _ => Vec::new(),
    }
}

fn compose(doc: &Value) -> Vec<Workload> {
    let mut out = Vec::new();
    for (d, docv) in doc.as_array().into_iter().flatten().enumerate() {
        let Some(services) = docv.get("services").and_then(Value::as_object) else {
            continue;
        };
        for (name, svc) in services {
            let p = format!("/{d}/services/{}", tok(name));
            let mut args = words_at(&svc["entrypoint"], &format!("{p}/entrypoint"));
            args.extend(words_at(&svc["command"], &format!("{p}/command")));
            let mut env = Vec::new();
            match &svc["environment"] {
                Value::Object(m) => {
                    for (k, v) in m {
                        let value = s(v);
                        env.push(EnvVar {
                            name: k.clone(),
                            kind: value.as_deref().map_or("interpolated", env_kind),
                            value,
                            pointer: format!("{p}/environment/{}", tok(k)),
                        });
                    }
                }
                Value::Array(a) => {
                    for (i, e) in a.iter().enumerate() {
                        let Some(e) = s(e) else { continue };
                        // `KEY` alone passes the variable through from the shell.
                        let (k, value) = match e.split_once('=') {
                            Some((k, v)) => (k.to_string(), Some(v.to_string())),
                            None => (e.clone(), None),
                        };
                        env.push(EnvVar {
                            name: k,
                            kind: value.as_deref().map_or("interpolated", env_kind),
                            value,
                            pointer: format!("{p}/environment/{i}"),
                        });
                    }
                }
                _ => {}
            }
            let mut env_files = Vec::new();
            match &svc["env_file"] {
                Value::String(f) => env_files.push((f.clone(), format!("{p}/env_file"))),
                Value::Array(a) => {
                    for (i, f) in a.iter().enumerate() {
                        let path = f
                            .as_str()
                            .map(str::to_string)
                            .or_else(|| f.get("path").and_then(Value::as_str).map(str::to_string));
                        if let Some(path) = path {
                            env_files.push((path, format!("{p}/env_file/{i}")));
                        }
                    }
                }
                _ => {}
            }
            let mut ports = Vec::new();
            for (i, port) in svc["ports"].as_array().into_iter().flatten().enumerate() {
                let pointer = format!("{p}/ports/{i}");
                let (host_ip, container) = match port {
                    Value::Object(o) => (o.get("host_ip").and_then(s), o.get("target").and_then(s)),
                    v => match s(v) {
                        Some(spec) => compose_port(&spec),
                        None => continue,
                    },
                };
                let container_port = container
                    .map(|c| super::interpolate_default(&c))
                    .and_then(|c| c.split(['/', '-']).next().and_then(|n| n.parse().ok()));
                ports.push(Port {
                    pointer,
                    host_ip: host_ip.filter(|h| !h.is_empty()),
                    container_port,
                    via: "ports",
                });
            }
            let flag = |key: &str, want: &dyn Fn(&Value) -> bool| {
                want(&svc[key]).then(|| format!("{p}/{}", tok(key)))
            };
            let mut mounts = Vec::new();
            for (i, v) in svc["volumes"].as_array().into_iter().flatten().enumerate() {
                let pointer = format!("{p}/volumes/{i}");
                match v {
                    Value::String(spec) => {
                        let parts = split_volume(spec);
                        let (source, target, mode) = match parts.as_slice() {
                            [t] => (None, t.clone(), String::new()),
                            [s, t] => (Some(s.clone()), t.clone(), String::new()),
                            [s, t, m, ..] => (Some(s.clone()), t.clone(), m.clone()),
                            [] => continue,
                        };
                        mounts.push(Mount {
                            pointer,
                            source,
                            target,
                            read_only: mode.split(',').any(|m| m == "ro"),
                        });
                    }
                    Value::Object(o) => mounts.push(Mount {
                        pointer,
                        source: o.get("source").and_then(s),
                        target: o.get("target").and_then(s).unwrap_or_default(),
                        read_only: o.get("read_only") == Some(&Value::Bool(true)),
                    }),
                    _ => {}
                }
            }
            let limits = ["mem_limit", "cpus", "memswap_limit"]
                .iter()
                .find(|k| !svc[**k].is_null())
                .map(|k| format!("{p}/{k}"))
                .or_else(|| {
                    let l = &svc["deploy"]["resources"]["limits"];
                    (l.get("memory").is_some() || l.get("cpus").is_some())
                        .then(|| format!("{p}/deploy/resources/limits"))
                });
            out.push(Workload {
                name: name.clone(),
                platform: "compose",
                pointer: p.clone(),
                image: svc["image"].as_str().map(str::to_string),
                command_pointer: if svc.get("command").is_some() {
                    format!("{p}/command")
                } else {
                    p.clone()
                },
                args,
                env,
                env_files,
                ports,
                host_network: flag("network_mode", &|v| v.as_str() == Some("host")),
                host_pid: flag("pid", &|v| v.as_str() == Some("host")),
                privileged: flag("privileged", &|v| v == &Value::Bool(true)),
                mounts,
                limits,
                default_home: "/home/node".into(),
            });
        }
    }
    out
}

/// `[ip:][host:]container[/proto]`, IPv6 hosts in brackets.
fn compose_port(spec: &str) -> (Option<String>, Option<String>) {
    let spec = spec.trim();
    if let Some(rest) = spec.strip_prefix('[') {
        if let Some((ip, rest)) = rest.split_once(']') {
            let rest = rest.trim_start_matches(':');
            let container = rest.rsplit(':').next().map(str::to_string);
            return (Some(ip.to_string()), container);
        }
    }
    // Split on `:` outside `${...}` interpolations.
    let mut parts = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for c in spec.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ':' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    match parts.len() {
        1 => (None, parts.pop()),
        2 => (None, parts.pop()),
        _ => {
            let c = parts.pop();
            (Some(parts[0].clone()), c)
        }
    }
}

/// `source:target[:mode]` with `${...}` kept whole.
fn split_volume(spec: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for c in spec.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            // a Windows drive letter (`C:\`) is not a separator
            ':' if depth == 0 && !(cur.len() == 1 && parts.is_empty()) => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

/// The pod spec of a Kubernetes object and its pointer.
fn pod_spec<'a>(obj: &'a Value, base: &str) -> Option<(&'a Value, String)> {
    match obj["kind"].as_str()? {
        "Pod" => Some((&obj["spec"], format!("{base}/spec"))),
        "CronJob" => Some((
            &obj["spec"]["jobTemplate"]["spec"]["template"]["spec"],
            format!("{base}/spec/jobTemplate/spec/template/spec"),
        )),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some((
            &obj["spec"]["template"]["spec"],
            format!("{base}/spec/template/spec"),
        )),
        _ => None,
    }
}

fn kubernetes(doc: &Value) -> Vec<Workload> {
    let mut out = Vec::new();
    // `kind: List` (kubectl output) holds its objects in `items`.
    let mut objects: Vec<(&Value, String)> = Vec::new();
    for (d, o) in doc.as_array().into_iter().flatten().enumerate() {
        if o["kind"] == "List" {
            for (i, item) in o["items"].as_array().into_iter().flatten().enumerate() {
                objects.push((item, format!("/{d}/items/{i}")));
            }
        } else {
            objects.push((o, format!("/{d}")));
        }
    }
    // Services that publish a port outside the cluster.
    let mut external: Vec<(u64, String)> = Vec::new();
    for (o, base) in &objects {
        if o["kind"] == "Service"
            && matches!(
                o["spec"]["type"].as_str(),
                Some("LoadBalancer" | "NodePort")
            )
        {
            for (i, p) in o["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let target = p["targetPort"].as_u64().or_else(|| p["port"].as_u64());
                if let Some(t) = target {
                    external.push((t, format!("{base}/spec/ports/{i}")));
                }
            }
        }
    }
    for (o, base) in &objects {
        let Some((spec, sp)) = pod_spec(o, base) else {
            continue;
        };
        let volumes: Vec<&Value> = spec["volumes"].as_array().into_iter().flatten().collect();
        for key in ["initContainers", "containers"] {
            for (ci, c) in spec[key].as_array().into_iter().flatten().enumerate() {
                let p = format!("{sp}/{key}/{ci}");
                let mut args = words_at(&c["command"], &format!("{p}/command"));
                args.extend(words_at(&c["args"], &format!("{p}/args")));
                let env = c["env"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(i, e)| {
                        let name = e["name"].as_str()?.to_string();
                        let pointer = format!("{p}/env/{i}");
                        Some(if e.get("valueFrom").is_some() {
                            EnvVar {
                                name,
                                value: None,
                                pointer,
                                kind: "secret",
                            }
                        } else {
                            let value = s(&e["value"]).unwrap_or_default();
                            EnvVar {
                                name,
                                kind: env_kind(&value),
                                value: Some(value),
                                pointer: format!("{pointer}/value"),
                            }
                        })
                    })
                    .collect();
                let mut ports = Vec::new();
                for (i, port) in c["ports"].as_array().into_iter().flatten().enumerate() {
                    if port.get("hostPort").is_some() {
                        ports.push(Port {
                            pointer: format!("{p}/ports/{i}/hostPort"),
                            host_ip: port["hostIP"].as_str().map(str::to_string),
                            container_port: port["containerPort"].as_u64(),
                            via: "hostPort",
                        });
                    }
                    if let Some(cp) = port["containerPort"].as_u64() {
                        for (t, ptr) in &external {
                            if *t == cp {
                                ports.push(Port {
                                    pointer: ptr.clone(),
                                    host_ip: None,
                                    container_port: Some(cp),
                                    via: "service",
                                });
                            }
                        }
                    }
                }
                let mounts = c["volumeMounts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, m)| {
                        let name = m["name"].as_str().unwrap_or("");
                        let vol = volumes.iter().find(|v| v["name"] == name);
                        let source = vol.and_then(|v| {
                            v["hostPath"]["path"]
                                .as_str()
                                .map(str::to_string)
                                .or_else(|| {
                                    v["configMap"]["name"]
                                        .as_str()
                                        .map(|n| format!("configmap:{n}"))
                                })
                        });
                        Mount {
                            pointer: format!("{p}/volumeMounts/{i}"),
                            source,
                            target: m["mountPath"].as_str().unwrap_or("").to_string(),
                            // a ConfigMap or Secret volume is read-only whatever the mount says
                            read_only: m["readOnly"] == true
                                || vol.is_some_and(|v| {
                                    v.get("configMap").is_some() || v.get("secret").is_some()
                                }),
                        }
                    })
                    .collect();
                let limits = c["resources"]["limits"]
                    .as_object()
                    .filter(|l| l.contains_key("memory") || l.contains_key("cpu"))
                    .map(|_| format!("{p}/resources/limits"));
                let sec = &c["securityContext"];
                out.push(Workload {
                    name: c["name"].as_str().unwrap_or("").to_string(),
                    platform: "kubernetes",
                    pointer: p.clone(),
                    image: c["image"].as_str().map(str::to_string),
                    command_pointer: if c.get("args").is_some() {
                        format!("{p}/args")
                    } else if c.get("command").is_some() {
                        format!("{p}/command")
                    } else {
                        p.clone()
                    },
                    args,
                    env,
                    env_files: Vec::new(),
                    ports,
                    host_network: (spec["hostNetwork"] == true)
                        .then(|| format!("{sp}/hostNetwork")),
                    host_pid: (spec["hostPID"] == true).then(|| format!("{sp}/hostPID")),
                    privileged: (sec["privileged"] == true)
                        .then(|| format!("{p}/securityContext/privileged")),
                    mounts,
                    limits,
                    default_home: "/home/node".into(),
                });
            }
        }
    }
    out
}

fn systemd(doc: &Value, display: &str) -> Vec<Workload> {
    let svc = &doc["Service"];
    if !svc.is_object() {
        return Vec::new();
    }
    let last = |k: &str| -> Option<(String, String)> {
        let a = svc[k].as_array()?;
        let i = a.len().checked_sub(1)?;
        Some((a[i].as_str()?.to_string(), format!("/Service/{k}/{i}")))
    };
    let args = match last("ExecStart") {
        Some((line, pointer)) => {
            super::text::words(line.trim_start_matches(['-', '@', '+', '!', ':']))
                .into_iter()
                .map(|word| Arg {
                    word,
                    pointer: pointer.clone(),
                })
                .collect()
        }
        None => Vec::new(),
    };
    let mut env = Vec::new();
    for (i, line) in svc["Environment"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for w in super::text::words(line.as_str().unwrap_or("")) {
            if let Some((k, v)) = w.split_once('=') {
                env.push(EnvVar {
                    name: k.to_string(),
                    kind: env_kind(v),
                    value: Some(v.to_string()),
                    pointer: format!("/Service/Environment/{i}"),
                });
            }
        }
    }
    let env_files = svc["EnvironmentFile"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, f)| {
            Some((
                f.as_str()?.trim_start_matches('-').to_string(),
                format!("/Service/EnvironmentFile/{i}"),
            ))
        })
        .collect();
    let limits = ["MemoryMax", "MemoryHigh", "MemoryLimit", "CPUQuota"]
        .iter()
        .find(|k| svc.get(**k).is_some())
        .map(|k| format!("/Service/{k}/0"));
    let user = last("User").map(|(u, _)| u);
    let name = display.rsplit('/').next().unwrap_or(display).to_string();
    vec![Workload {
        name,
        platform: "systemd",
        pointer: "/Service".into(),
        image: None,
        command_pointer: last("ExecStart").map_or("/Service".into(), |(_, p)| p),
        args,
        env,
        env_files,
        ports: Vec::new(),
        host_network: None,
        host_pid: None,
        privileged: None,
        mounts: Vec::new(),
        limits,
        default_home: match user.as_deref() {
            None | Some("root") => "/root".into(),
            Some(u) => format!("/home/{u}"),
        },
    }]
}

fn dockerfile(doc: &Value, display: &str) -> Vec<Workload> {
    let mut args = words_at(&doc["ENTRYPOINT"], "/ENTRYPOINT");
    args.extend(words_at(&doc["CMD"], "/CMD"));
    let env = doc["ENV"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let value = s(v).unwrap_or_default();
            EnvVar {
                name: k.clone(),
                kind: env_kind(&value),
                value: Some(value),
                pointer: format!("/ENV/{}", tok(k)),
            }
        })
        .collect();
    vec![Workload {
        name: display.rsplit('/').next().unwrap_or(display).to_string(),
        platform: "dockerfile",
        pointer: String::new(),
        image: doc["FROM"].as_str().map(str::to_string),
        command_pointer: if doc.get("CMD").is_some() {
            "/CMD".into()
        } else {
            String::new()
        },
        args,
        env,
        env_files: Vec::new(),
        ports: Vec::new(),
        host_network: None,
        host_pid: None,
        privileged: None,
        mounts: Vec::new(),
        limits: None,
        default_home: "/root".into(),
    }]
}

/// One scrape job of a Prometheus configuration.
#[derive(Debug, Clone, Serialize)]
pub struct ScrapeJob {
    pub name: String,
    pub pointer: String,
    pub metrics_path: String,
    /// `host:port` targets of its static configs.
    pub targets: Vec<String>,
}

pub fn scrape_jobs(doc: &Value) -> Vec<ScrapeJob> {
    let mut out = Vec::new();
    for (d, docv) in doc.as_array().into_iter().flatten().enumerate() {
        for (i, j) in docv["scrape_configs"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let targets = j["static_configs"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|sc| sc["targets"].as_array().into_iter().flatten())
                .filter_map(s)
                .collect();
            out.push(ScrapeJob {
                name: j["job_name"].as_str().unwrap_or("").to_string(),
                pointer: format!("/{d}/scrape_configs/{i}"),
                metrics_path: j["metrics_path"].as_str().unwrap_or("/metrics").to_string(),
                targets,
            });
        }
    }
    out
}

/// The `expr` of every alerting rule: Prometheus rule files (`groups:`)
/// and `PrometheusRule` objects (`spec.groups`).
pub fn alert_exprs(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for docv in doc.as_array().into_iter().flatten() {
        let groups = if docv["kind"] == "PrometheusRule" {
            &docv["spec"]["groups"]
        } else {
            &docv["groups"]
        };
        for g in groups.as_array().into_iter().flatten() {
            for r in g["rules"].as_array().into_iter().flatten() {
                if r.get("alert").is_some() {
                    if let Some(e) = s(&r["expr"]) {
                        out.push(e);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_ports_and_volumes() {
        assert_eq!(
            compose_port("127.0.0.1:18789:18789"),
            (Some("127.0.0.1".into()), Some("18789".into()))
        );
        assert_eq!(compose_port("18789:18789"), (None, Some("18789".into())));
        assert_eq!(
            compose_port("${OPENCLAW_GATEWAY_PORT:-18789}:18789"),
            (None, Some("18789".into()))
        );
        assert_eq!(
            compose_port("[::1]:18789:18789"),
            (Some("::1".into()), Some("18789".into()))
        );
        assert_eq!(
            split_volume("${OPENCLAW_CONFIG_DIR}:/home/node/.openclaw:ro"),
            ["${OPENCLAW_CONFIG_DIR}", "/home/node/.openclaw", "ro"]
        );
    }
}
