//! Prometheus / OpenMetrics endpoint (`prometheus-client`), served by one std
//! thread on 127.0.0.1:<port>/metrics. Content negotiation: a scrape whose
//! `Accept` header mentions `application/openmetrics-text` gets OpenMetrics
//! 1.0 text, anything else gets Prometheus text 0.0.4 (what curl/promtool see).

use prometheus_client::encoding::{prometheus_text, text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

type L = Vec<(String, String)>;
type HFam = Family<L, Histogram, fn() -> Histogram>;

fn secs_hist() -> Histogram {
    // 0.5 ms .. ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

pub fn labels(pairs: &[(&str, &str)]) -> L {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[derive(Clone)]
pub struct Metrics {
    pub registry: Arc<Registry>,
    pub requests: Family<L, Counter>,
    pub errors: Family<L, Counter>,
    pub duration: HFam,
    pub timeouts: Family<L, Counter>,
    pub overshoot: HFam,
    pub teardown: HFam,
    pub survivors: Family<L, Counter>,
    pub leaks: Family<L, Counter>,
    pub layer_active: Family<L, Gauge>,
    pub thread_bound: Family<L, Gauge>,
    pub active: Family<L, Gauge>,
    pub max_concurrency: Family<L, Gauge>,
    pub peak_pids: Family<L, Gauge>,
    pub effective_timeout: Family<L, Gauge<f64, AtomicU64>>,
    pub configured_timeout: Family<L, Gauge<f64, AtomicU64>>,
}

/// Declared monitoring metric (config name) -> exported family (as it
/// appears in `# TYPE` lines of the Prometheus text exposition).
/// `None` = a secret-management metric a live executor cannot produce.
#[allow(clippy::result_unit_err)] // Err(()) = "no mapping"; callers only branch on it
pub fn map_declared(name: &str) -> Result<Option<&'static str>, ()> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Ok(Some(match n.as_str() {
        "executiontime" | "duration" | "latency" | "requestduration" => {
            "clawcheck_live_request_duration_seconds"
        }
        "resourceusage" | "pids" => "clawcheck_live_resource_peak_pids",
        "errorrate" | "errors" | "errorcount" => "clawcheck_live_request_errors_total",
        "timeoutcount" | "timeouts" => "clawcheck_live_timeouts_total",
        "requests" | "requestcount" => "clawcheck_live_requests_total",
        "concurrency" => "clawcheck_live_concurrency_max",
        "survivors" => "clawcheck_live_survivors_total",
        "teardown" | "teardowntime" => "clawcheck_live_teardown_seconds",
        "threadbound" => "clawcheck_live_agent_thread_bound",
        "accesscount" | "rotationstatus" | "exposurerisk" => return Ok(None),
        _ => return Err(()),
    }))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut r = Registry::default();
        let m = Metrics {
            registry: Arc::new(Registry::default()),
            requests: Family::default(),
            errors: Family::default(),
            duration: Family::new_with_constructor(secs_hist as fn() -> Histogram),
            timeouts: Family::default(),
            overshoot: Family::new_with_constructor(secs_hist as fn() -> Histogram),
            teardown: Family::new_with_constructor(secs_hist as fn() -> Histogram),
            survivors: Family::default(),
            leaks: Family::default(),
            layer_active: Family::default(),
            thread_bound: Family::default(),
            active: Family::default(),
            max_concurrency: Family::default(),
            peak_pids: Family::default(),
            effective_timeout: Family::default(),
            configured_timeout: Family::default(),
        };
        r.register(
            "clawcheck_live_requests",
            "Live requests by agent, probe and outcome",
            m.requests.clone(),
        );
        r.register(
            "clawcheck_live_request_errors",
            "Live requests that failed verification or setup",
            m.errors.clone(),
        );
        r.register(
            "clawcheck_live_request_duration_seconds",
            "Wall time per live request (setup+run+teardown)",
            m.duration.clone(),
        );
        r.register(
            "clawcheck_live_timeouts",
            "Requests killed at their effective timeout",
            m.timeouts.clone(),
        );
        r.register(
            "clawcheck_live_timeout_overshoot_seconds",
            "Time from effective timeout to observed death of the request",
            m.overshoot.clone(),
        );
        r.register(
            "clawcheck_live_teardown_seconds",
            "Time spent destroying a request",
            m.teardown.clone(),
        );
        r.register(
            "clawcheck_live_survivors",
            "Processes found alive after teardown",
            m.survivors.clone(),
        );
        r.register(
            "clawcheck_live_leaks",
            "State, scratch or descriptor leaks by kind",
            m.leaks.clone(),
        );
        r.register(
            "clawcheck_live_isolation_layer_active",
            "1 if the isolation layer is active",
            m.layer_active.clone(),
        );
        r.register(
            "clawcheck_live_agent_thread_bound",
            "1 if the agent profile is thread_bound",
            m.thread_bound.clone(),
        );
        r.register(
            "clawcheck_live_active_requests",
            "Requests currently executing",
            m.active.clone(),
        );
        r.register(
            "clawcheck_live_concurrency_max",
            "Highest observed concurrent requests",
            m.max_concurrency.clone(),
        );
        r.register(
            "clawcheck_live_resource_peak_pids",
            "Highest pids count seen in a request cgroup",
            m.peak_pids.clone(),
        );
        r.register(
            "clawcheck_live_effective_timeout_seconds",
            "Timeout the live run enforced",
            m.effective_timeout.clone(),
        );
        r.register(
            "clawcheck_live_configured_timeout_seconds",
            "Timeout declared by the profile (0 = none)",
            m.configured_timeout.clone(),
        );
        Metrics {
            registry: Arc::new(r),
            ..m
        }
    }

    pub fn encode_prometheus(&self) -> String {
        let mut s = String::new();
        let _ = prometheus_text::encode(&mut s, &self.registry);
        s
    }

    pub fn encode_openmetrics(&self) -> String {
        let mut s = String::new();
        let _ = text::encode(&mut s, &self.registry);
        s
    }
}

pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(metrics: Metrics, port: u16) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let st = stop.clone();
        let handle = std::thread::Builder::new()
            .name("clawcheck-live-metrics".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if st.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(c) = conn {
                        let _ = serve(c, &metrics);
                    }
                }
            })?;
        Ok(Server {
            port,
            stop,
            handle: Some(handle),
        })
    }

    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(
            &([127, 0, 0, 1], self.port).into(),
            Duration::from_millis(500),
        );
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut c: TcpStream, m: &Metrics) -> std::io::Result<()> {
    c.set_read_timeout(Some(Duration::from_secs(2)))?;
    c.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16384 {
        let n = c.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut first = head.lines().next().unwrap_or("").split_whitespace();
    let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    let om = head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("accept:") && l.contains("application/openmetrics-text")
    });
    let (status, ctype, body) = if (method == "GET" || method == "HEAD") && path == "/metrics" {
        if om {
            (
                "200 OK",
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                m.encode_openmetrics(),
            )
        } else {
            (
                "200 OK",
                "text/plain; version=0.0.4; charset=utf-8",
                m.encode_prometheus(),
            )
        }
    } else {
        (
            "404 Not Found",
            "text/plain",
            "not found; try /metrics\n".to_string(),
        )
    };
    let hdr = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    c.write_all(hdr.as_bytes())?;
    if method != "HEAD" {
        c.write_all(body.as_bytes())?;
    }
    c.flush()?;
    let _ = c.shutdown(Shutdown::Both);
    Ok(())
}

/// Minimal HTTP GET of http://127.0.0.1:port/metrics; returns the body.
pub fn scrape(port: u16) -> std::io::Result<String> {
    let mut s = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    match out.split_once("\r\n\r\n") {
        Some((h, b)) if h.starts_with("HTTP/1.1 200") => Ok(b.to_string()),
        _ => Err(std::io::Error::other(format!(
            "bad scrape response: {}",
            out.lines().next().unwrap_or("")
        ))),
    }
}

/// Family names declared with `# TYPE` in a Prometheus text exposition.
pub fn families(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|s| s.to_string())
        .collect()
}

/// Counts one finished request in the exported metrics.
pub fn record_request(m: &Metrics, agent: &str, r: &super::exec::ReqResult) {
    let violation = !r.survivors.is_empty()
        || !r.state_seen.is_empty()
        || !r.outside_writes.is_empty()
        || r.scratch_left
        || r.cgroup_left
        || !r.fd_holders.is_empty()
        || r.kill_failed;
    let outcome = if r.setup_error.is_some() {
        "setup_error"
    } else if violation {
        "violation"
    } else if r.timed_out {
        "timeout"
    } else {
        "ok"
    };
    m.requests
        .get_or_create(&labels(&[
            ("agent", agent),
            ("probe", &r.probe),
            ("outcome", outcome),
        ]))
        .inc();
    if outcome == "setup_error" || outcome == "violation" {
        m.errors
            .get_or_create(&labels(&[("agent", agent), ("probe", &r.probe)]))
            .inc();
    }
    let a = labels(&[("agent", agent)]);
    m.duration
        .get_or_create(&a)
        .observe(r.duration.as_secs_f64());
    m.teardown.get_or_create(&a).observe(r.teardown_secs);
    if r.timed_out {
        m.timeouts.get_or_create(&a).inc();
        m.overshoot
            .get_or_create(&a)
            .observe(r.overshoot_ms.unwrap_or(0.0) / 1000.0);
    }
    m.survivors
        .get_or_create(&a)
        .inc_by(r.survivors.len() as u64);
    for (kind, n) in [
        ("state", r.state_seen.len() + r.outside_writes.len()),
        ("scratch", r.scratch_left as usize + r.cgroup_left as usize),
        ("fd", r.fd_holders.len()),
    ] {
        if n > 0 {
            m.leaks
                .get_or_create(&labels(&[("agent", agent), ("kind", kind)]))
                .inc_by(n as u64);
        }
    }
    if let Some(p) = r.peak_pids {
        let g = m.peak_pids.get_or_create(&a);
        if p as i64 > g.get() {
            g.set(p as i64);
        }
    }
}
