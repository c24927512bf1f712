//! A stub OpenAI-compatible chat-completions provider on 127.0.0.1: what
//! `--live --openclaw` points every model provider of the checked config at.
//!
//! It speaks the part of the API OpenClaw's `openai-completions` transport
//! uses: `POST …/chat/completions` with `stream: true` (server-sent events,
//! `data: {chunk}` … `data: [DONE]`) or without (one `chat.completion`
//! object), and `GET …/models`. Every request is recorded (arrival time,
//! path, body up to [`MAX_BODY`]) so probes can look for canaries in what the
//! model was sent, and what it answers is scripted per request
//! ([`Behaviour`]): an answer, a hang (the connection stays open until the
//! client gives up; the moment it does is recorded), a slow stream, or a tool
//! call.
//!
//! Plain std: one accept thread and one thread per connection, at most
//! [`MAX_CONNECTIONS`] at a time; requests beyond [`MAX_RECORDED`] are
//! answered but not recorded (counted in `dropped`).

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Largest request body read (OpenClaw's prompts carry the system prompt and
/// the tool schemas: tens of KiB); a larger one is refused with 413.
pub const MAX_BODY: usize = 4 << 20;
/// Largest request head (request line + headers).
const MAX_HEAD: usize = 64 << 10;
/// Requests kept for the probes.
pub const MAX_RECORDED: usize = 256;
/// Connections served at once; more are closed at once.
pub const MAX_CONNECTIONS: usize = 32;
/// How long a hang lasts at most (the stub never holds a connection forever).
const MAX_HANG: Duration = Duration::from_secs(600);
/// Poll interval of the accept loop and of a hanging connection.
const POLL: Duration = Duration::from_millis(10);

/// What the stub answers one chat-completions request with.
#[derive(Debug, Clone, PartialEq)]
pub enum Behaviour {
    /// A complete assistant message with this text.
    Answer(String),
    /// Headers never come: the connection stays open until the client closes
    /// it (recorded as `closed_after`) or the stub stops.
    Hang,
    /// The text streamed one character per `delay` (non-streaming requests
    /// get the whole answer after `delay` × characters).
    SlowStream { text: String, delay: Duration },
    /// An assistant message that calls one tool.
    ToolCall { name: String, arguments: String },
}

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// The body as text (lossy UTF-8), at most [`MAX_BODY`] bytes.
    pub body: String,
    pub stream: bool,
    /// What the stub did with it (None for requests that were not chat completions).
    pub behaviour: Option<Behaviour>,
    /// For a hang: arrival → the client closed the connection.
    pub closed_after: Option<Duration>,
    /// The tool names the request offered the model (`tools[].function.name`).
    pub tools: Vec<String>,
}

#[derive(Default)]
struct Script {
    queue: VecDeque<Behaviour>,
    default: Option<Behaviour>,
    routes: Vec<Route>,
}

/// Requests whose body contains `needle` (checked before the queue, in the
/// order the routes were added).
struct Route {
    needle: String,
    /// Given once, to the first matching request that offers tools; a
    /// [`Behaviour::ToolCall`] goes to a request that offers that tool, or
    /// OpenClaw's `tool_call` (then it calls the tool through it).
    first: Option<Behaviour>,
    then: Behaviour,
}

struct Shared {
    script: Mutex<Script>,
    recorded: Mutex<Vec<Recorded>>,
    dropped: AtomicUsize,
    open: AtomicUsize,
    /// OTLP/HTTP exports received: metrics, and traces or logs.
    otlp_metrics: AtomicUsize,
    otlp_other: AtomicUsize,
    stop: AtomicBool,
}

/// A running stub provider; stopped (threads joined, connections closed)
/// when dropped.
pub struct Stub {
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Stub {
    /// A stub on an ephemeral port of 127.0.0.1 (of the calling thread's
    /// network namespace).
    pub fn bind() -> io::Result<Stub> {
        Stub::serve(TcpListener::bind(("127.0.0.1", 0))?)
    }

    /// Serves on `listener` (bound by the caller, e.g. inside a namespace).
    pub fn serve(listener: TcpListener) -> io::Result<Stub> {
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            script: Mutex::new(Script {
                queue: VecDeque::new(),
                default: Some(Behaviour::Answer("pong".into())),
                routes: Vec::new(),
            }),
            recorded: Mutex::new(Vec::new()),
            dropped: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            otlp_metrics: AtomicUsize::new(0),
            otlp_other: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        let accept = std::thread::Builder::new()
            .name("clawcheck-stub".into())
            .spawn(move || accept_loop(listener, s))?;
        Ok(Stub {
            port,
            shared,
            accept: Some(accept),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `baseUrl` a provider needs to reach the stub.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The next chat-completions requests get `queue` in order, then
    /// `default` (every one after).
    pub fn script(&self, queue: Vec<Behaviour>, default: Behaviour) {
        let mut s = lock(&self.shared.script);
        s.queue = queue.into();
        s.default = Some(default);
        s.routes.clear();
    }

    /// Requests whose body contains `needle` get `first` once (see
    /// [`Route`]), then `then`; checked in the order added, before the
    /// queue. [`Stub::script`] removes every route.
    pub fn route(&self, needle: &str, first: Option<Behaviour>, then: Behaviour) {
        lock(&self.shared.script).routes.push(Route {
            needle: needle.to_string(),
            first,
            then,
        });
    }

    /// Everything recorded so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.recorded).clone()
    }

    /// Forgets the recorded requests (between probes).
    pub fn clear(&self) {
        lock(&self.shared.recorded).clear();
        self.shared.dropped.store(0, Ordering::SeqCst);
    }

    /// OTLP/HTTP exports received so far: (`/v1/metrics`, traces and logs).
    pub fn otlp_exports(&self) -> (usize, usize) {
        (
            self.shared.otlp_metrics.load(Ordering::SeqCst),
            self.shared.otlp_other.load(Ordering::SeqCst),
        )
    }

    /// Requests answered but not recorded ([`MAX_RECORDED`]).
    pub fn dropped(&self) -> usize {
        self.shared.dropped.load(Ordering::SeqCst)
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        workers.retain(|w| !w.is_finished());
        match listener.accept() {
            Ok((conn, _)) => {
                if workers.len() >= MAX_CONNECTIONS {
                    let _ = conn.shutdown(Shutdown::Both);
                    continue;
                }
                let s = shared.clone();
                if let Ok(h) = std::thread::Builder::new()
                    .name("clawcheck-stub-conn".into())
                    .spawn(move || {
                        s.open.fetch_add(1, Ordering::SeqCst);
                        let _ = serve_connection(conn, &s);
                        s.open.fetch_sub(1, Ordering::SeqCst);
                    })
                {
                    workers.push(h);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
    // Every worker watches `stop` (reads time out after POLL-ish intervals).
    for w in workers {
        let _ = w.join();
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
    keep_alive: bool,
}

/// Reads one request; Ok(None) on a clean close or on stop.
fn read_request(r: &mut BufReader<TcpStream>, shared: &Shared) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    // Request line and headers, line by line, bounded.
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        loop {
            if shared.stop.load(Ordering::SeqCst) {
                return Ok(None);
            }
            match r.read_until(b'\n', &mut line) {
                Ok(0) if line.is_empty() && lines.is_empty() => return Ok(None),
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "eof")),
                Ok(_) if line.ends_with(b"\n") => break,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e),
            }
            if line.len() > MAX_HEAD {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "head too long"));
            }
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "head too long"));
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if text.is_empty() {
            if lines.is_empty() {
                continue; // stray CRLF between requests
            }
            break;
        }
        lines.push(text);
    }
    let mut first = lines[0].split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let mut len: Option<usize> = None;
    let mut chunked = false;
    let mut keep_alive = true;
    for h in &lines[1..] {
        let Some((k, v)) = h.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-length" => {
                len = Some(v.parse().map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidData, "bad content-length")
                })?)
            }
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "connection" => keep_alive = !v.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(r, shared)?
    } else {
        let n = len.unwrap_or(0);
        if n > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
        }
        let mut b = vec![0; n];
        read_exact_polling(r, &mut b, shared)?;
        b
    };
    Ok(Some(Request {
        method,
        path,
        body,
        keep_alive,
    }))
}

fn read_exact_polling(r: &mut impl Read, mut buf: &mut [u8], shared: &Shared) -> io::Result<()> {
    while !buf.is_empty() {
        if shared.stop.load(Ordering::SeqCst) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "stopped"));
        }
        match r.read(buf) {
            Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "eof")),
            Ok(n) => buf = &mut buf[n..],
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn read_chunked(r: &mut BufReader<TcpStream>, shared: &Shared) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        while !line.ends_with('\n') {
            if shared.stop.load(Ordering::SeqCst) || line.len() > 1024 {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "bad chunk"));
            }
            match r.read_line(&mut line) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "eof")),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e),
            }
        }
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if body.len() + size > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
        }
        let mut chunk = vec![0; size + 2]; // data + CRLF
        read_exact_polling(r, &mut chunk, shared)?;
        if size == 0 {
            return Ok(body); // (trailers are not used by fetch)
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

fn serve_connection(conn: TcpStream, shared: &Shared) -> io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_millis(50)))?;
    let mut w = conn.try_clone()?;
    let mut r = BufReader::new(conn);
    loop {
        let req = match read_request(&mut r, shared) {
            Ok(Some(req)) => req,
            Ok(None) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let _ = respond(
                    &mut w,
                    "413 Payload Too Large",
                    "text/plain",
                    b"bad request",
                );
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let at = Instant::now();
        let route = req.path.split('?').next().unwrap_or("");
        if req.method == "POST" && route.ends_with("/chat/completions") {
            let parsed: Option<serde_json::Value> = serde_json::from_slice(&req.body).ok();
            let stream = parsed
                .as_ref()
                .and_then(|v| v.get("stream"))
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            let model = parsed
                .as_ref()
                .and_then(|v| v.get("model"))
                .and_then(|v| v.as_str())
                .unwrap_or("stub")
                .to_string();
            let tools = offered_tools(parsed.as_ref());
            let body = String::from_utf8_lossy(&req.body).into_owned();
            let behaviour = next_behaviour(shared, &body, &tools);
            let idx = record(
                shared,
                Recorded {
                    at,
                    method: req.method.clone(),
                    path: req.path.clone(),
                    body,
                    stream,
                    behaviour: Some(behaviour.clone()),
                    closed_after: None,
                    tools,
                },
            );
            if behaviour == Behaviour::Hang {
                let closed = hang(&mut r, shared);
                if let (Some(i), Some(after)) = (idx, closed) {
                    if let Some(rec) = lock(&shared.recorded).get_mut(i) {
                        rec.closed_after = Some(after.duration_since(at));
                    }
                }
                return Ok(());
            }
            if stream {
                stream_answer(&mut w, &model, &behaviour, shared)?;
                // The stream ends with the connection.
                let _ = w.shutdown(Shutdown::Both);
                return Ok(());
            }
            if let Behaviour::SlowStream { text, delay } = &behaviour {
                sleep_unless_stopped(
                    delay.saturating_mul(text.chars().count().min(10_000) as u32),
                    shared,
                );
            }
            let body = completion(&model, &behaviour);
            respond(&mut w, "200 OK", "application/json", body.as_bytes())?;
        } else if req.method == "GET" && route.ends_with("/models") {
            record(
                shared,
                Recorded {
                    at,
                    method: req.method.clone(),
                    path: req.path.clone(),
                    body: String::new(),
                    stream: false,
                    behaviour: None,
                    closed_after: None,
                    tools: Vec::new(),
                },
            );
            let body = serde_json::json!({"object": "list", "data": [
                {"id": "stub", "object": "model", "created": 0, "owned_by": "clawcheck"}
            ]})
            .to_string();
            respond(&mut w, "200 OK", "application/json", body.as_bytes())?;
        } else if req.method == "POST" && is_otlp(route) {
            // An OTLP/HTTP export (the copy's `diagnostics.otel` endpoints
            // point here): counted, acknowledged with an empty
            // Export*ServiceResponse.
            if route.ends_with("/v1/metrics") {
                shared.otlp_metrics.fetch_add(1, Ordering::SeqCst);
            } else {
                shared.otlp_other.fetch_add(1, Ordering::SeqCst);
            }
            respond(&mut w, "200 OK", "application/x-protobuf", b"")?;
        } else {
            respond(&mut w, "404 Not Found", "text/plain", b"not found")?;
        }
        if !req.keep_alive {
            return Ok(());
        }
    }
}

/// The OTLP/HTTP export paths (`/v1/metrics`, `/v1/traces`, `/v1/logs`).
pub fn is_otlp(route: &str) -> bool {
    ["/v1/metrics", "/v1/traces", "/v1/logs"]
        .iter()
        .any(|p| route.ends_with(p))
}

/// `tools[].function.name` of a chat-completions request (at most 512).
fn offered_tools(body: Option<&serde_json::Value>) -> Vec<String> {
    body.and_then(|b| b.get("tools"))
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .take(512)
                .filter_map(|t| t.pointer("/function/name").and_then(|n| n.as_str()))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn next_behaviour(shared: &Shared, body: &str, tools: &[String]) -> Behaviour {
    let mut s = lock(&shared.script);
    for r in s.routes.iter_mut() {
        if !body.contains(&r.needle) {
            continue;
        }
        if !tools.is_empty() {
            if let Some(first) = r.first.take() {
                match offer(first, tools) {
                    Ok(b) => return b,
                    // The tool is not offered: the route stays armed for a
                    // later request that offers it.
                    Err(first) => r.first = Some(first),
                }
            }
        }
        return r.then.clone();
    }
    s.queue
        .pop_front()
        .or_else(|| s.default.clone())
        .unwrap_or(Behaviour::Answer("pong".into()))
}

/// A tool call the request can take: the tool itself when offered, else
/// through OpenClaw's `tool_call` (its deferred tools: `{id, args}`); Err
/// when neither is offered.
fn offer(b: Behaviour, tools: &[String]) -> Result<Behaviour, Behaviour> {
    let Behaviour::ToolCall { name, arguments } = &b else {
        return Ok(b);
    };
    if tools.iter().any(|t| t == name) {
        return Ok(b);
    }
    if tools.iter().any(|t| t == "tool_call") {
        let args: serde_json::Value =
            serde_json::from_str(arguments).unwrap_or_else(|_| serde_json::json!({}));
        return Ok(Behaviour::ToolCall {
            name: "tool_call".into(),
            arguments: serde_json::json!({"id": name, "args": args}).to_string(),
        });
    }
    Err(b)
}

/// Records `rec`; its index, or None when the record is full.
fn record(shared: &Shared, rec: Recorded) -> Option<usize> {
    let mut r = lock(&shared.recorded);
    if r.len() >= MAX_RECORDED {
        shared.dropped.fetch_add(1, Ordering::SeqCst);
        return None;
    }
    r.push(rec);
    Some(r.len() - 1)
}

/// Holds the connection without answering; returns when the client closed
/// it (Some(instant)) or on stop / after [`MAX_HANG`] (None).
fn hang(r: &mut BufReader<TcpStream>, shared: &Shared) -> Option<Instant> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    while !shared.stop.load(Ordering::SeqCst) && start.elapsed() < MAX_HANG {
        match r.read(&mut buf) {
            Ok(0) => return Some(Instant::now()),
            Ok(_) => {} // a pipelined request is not answered either
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(Instant::now()), // reset by the peer
        }
    }
    None
}

fn sleep_unless_stopped(d: Duration, shared: &Shared) {
    let end = Instant::now() + d.min(MAX_HANG);
    while Instant::now() < end && !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL.min(end.saturating_duration_since(Instant::now())));
    }
}

fn respond(w: &mut TcpStream, status: &str, ctype: &str, body: &[u8]) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    w.write_all(head.as_bytes())?;
    w.write_all(body)?;
    w.flush()
}

const ID: &str = "chatcmpl-clawcheck-stub";

/// The non-streaming answer: one `chat.completion` object.
fn completion(model: &str, b: &Behaviour) -> String {
    let (message, finish) = match b {
        Behaviour::ToolCall { name, arguments } => (
            serde_json::json!({"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_clawcheck_1", "type": "function",
                 "function": {"name": name, "arguments": arguments}}
            ]}),
            "tool_calls",
        ),
        Behaviour::Answer(t) | Behaviour::SlowStream { text: t, .. } => (
            serde_json::json!({"role": "assistant", "content": t}),
            "stop",
        ),
        Behaviour::Hang => (
            serde_json::json!({"role": "assistant", "content": ""}),
            "stop",
        ),
    };
    serde_json::json!({
        "id": ID, "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    })
    .to_string()
}

fn chunk(model: &str, delta: serde_json::Value, finish: Option<&str>) -> String {
    let mut c = serde_json::json!({
        "id": ID, "object": "chat.completion.chunk", "created": 0, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    });
    if finish.is_some() {
        c["usage"] =
            serde_json::json!({"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2});
    }
    format!("data: {c}\n\n")
}

/// The streaming answer: SSE chunks, then `data: [DONE]`; the connection
/// closes after it (no chunked framing needed).
fn stream_answer(w: &mut TcpStream, model: &str, b: &Behaviour, shared: &Shared) -> io::Result<()> {
    w.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n",
    )?;
    w.write_all(
        chunk(
            model,
            serde_json::json!({"role": "assistant", "content": ""}),
            None,
        )
        .as_bytes(),
    )?;
    let finish = match b {
        Behaviour::Answer(t) => {
            w.write_all(chunk(model, serde_json::json!({"content": t}), None).as_bytes())?;
            "stop"
        }
        Behaviour::SlowStream { text, delay } => {
            for c in text.chars().take(10_000) {
                w.write_all(
                    chunk(model, serde_json::json!({"content": c.to_string()}), None).as_bytes(),
                )?;
                w.flush()?;
                sleep_unless_stopped(*delay, shared);
                if shared.stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
            }
            "stop"
        }
        Behaviour::ToolCall { name, arguments } => {
            let d = serde_json::json!({"tool_calls": [{"index": 0, "id": "call_clawcheck_1",
                "type": "function", "function": {"name": name, "arguments": arguments}}]});
            w.write_all(chunk(model, d, None).as_bytes())?;
            "tool_calls"
        }
        Behaviour::Hang => "stop",
    };
    w.write_all(chunk(model, serde_json::json!({}), Some(finish)).as_bytes())?;
    w.write_all(b"data: [DONE]\n\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(port: u16, body: &str) -> (String, Duration) {
        let t = Instant::now();
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            c,
            "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        (out, t.elapsed())
    }

    fn sse_text(resp: &str) -> (String, Vec<serde_json::Value>) {
        let mut text = String::new();
        let mut chunks = Vec::new();
        assert!(resp.contains("data: [DONE]"), "{resp}");
        for line in resp.lines() {
            if let Some(d) = line.strip_prefix("data: ") {
                if d == "[DONE]" {
                    continue;
                }
                let v: serde_json::Value = serde_json::from_str(d).unwrap();
                if let Some(c) = v["choices"][0]["delta"]["content"].as_str() {
                    text.push_str(c);
                }
                chunks.push(v);
            }
        }
        (text, chunks)
    }

    #[test]
    fn answers_streaming_and_not_and_records_bodies() {
        let stub = Stub::bind().unwrap();
        stub.script(
            vec![Behaviour::Answer("first".into())],
            Behaviour::Answer("later".into()),
        );
        let (resp, _) = post(
            stub.port(),
            r#"{"model":"m","stream":true,"messages":[{"role":"user","content":"CANARY-1"}]}"#,
        );
        assert!(resp.starts_with("HTTP/1.1 200"));
        assert!(resp.contains("text/event-stream"));
        let (text, chunks) = sse_text(&resp);
        assert_eq!(text, "first");
        assert_eq!(
            chunks.last().unwrap()["choices"][0]["finish_reason"],
            "stop"
        );
        let (resp, _) = post(
            stub.port(),
            r#"{"model":"m","messages":[{"role":"user","content":"CANARY-2"}]}"#,
        );
        let body: serde_json::Value =
            serde_json::from_str(resp.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["choices"][0]["message"]["content"], "later");
        assert_eq!(body["object"], "chat.completion");
        let rec = stub.requests();
        assert_eq!(rec.len(), 2);
        assert!(rec[0].stream && rec[0].body.contains("CANARY-1"));
        assert!(!rec[1].stream && rec[1].body.contains("CANARY-2"));
        assert!(!rec[0].body.contains("CANARY-2"));
    }

    #[test]
    fn tool_call_streaming_and_not() {
        let stub = Stub::bind().unwrap();
        let call = Behaviour::ToolCall {
            name: "exec".into(),
            arguments: r#"{"command":"true"}"#.into(),
        };
        stub.script(vec![call.clone()], call);
        let (resp, _) = post(stub.port(), r#"{"model":"m","stream":true,"messages":[]}"#);
        let (_, chunks) = sse_text(&resp);
        let tc = chunks
            .iter()
            .find(|c| c["choices"][0]["delta"]["tool_calls"].is_array())
            .expect("a tool-call delta");
        assert_eq!(
            tc["choices"][0]["delta"]["tool_calls"][0]["function"]["name"],
            "exec"
        );
        assert_eq!(
            chunks.last().unwrap()["choices"][0]["finish_reason"],
            "tool_calls"
        );
        let (resp, _) = post(stub.port(), r#"{"model":"m","messages":[]}"#);
        let body: serde_json::Value =
            serde_json::from_str(resp.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(
            body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
            r#"{"command":"true"}"#
        );
    }

    fn req(tools: &[&str], text: &str) -> String {
        let tools: Vec<serde_json::Value> = tools
            .iter()
            .map(|t| serde_json::json!({"type": "function", "function": {"name": t}}))
            .collect();
        serde_json::json!({"model": "m", "tools": tools, "messages": [{"role": "user", "content": text}]})
            .to_string()
    }

    fn tool_call_of(resp: &str) -> Option<(String, String)> {
        let body: serde_json::Value = serde_json::from_str(resp.split("\r\n\r\n").nth(1)?).ok()?;
        let f = &body["choices"][0]["message"]["tool_calls"][0]["function"];
        Some((
            f["name"].as_str()?.to_string(),
            f["arguments"].as_str()?.to_string(),
        ))
    }

    #[test]
    fn routes_answer_by_content_and_adapt_tool_calls() {
        let stub = Stub::bind().unwrap();
        let call = Behaviour::ToolCall {
            name: "sessions_spawn".into(),
            arguments: r#"{"task":"t"}"#.into(),
        };
        stub.script(vec![], Behaviour::Answer("default".into()));
        stub.route(
            "PARENT",
            Some(call.clone()),
            Behaviour::Answer("then".into()),
        );
        stub.route("CHILD", None, Behaviour::Answer("child".into()));
        // A request without tools (a title or recap) does not take the call.
        let (r, _) = post(stub.port(), &req(&[], "PARENT recap"));
        assert!(r.contains("\"then\""), "{r}");
        // Deferred: called through `tool_call` {id, args}.
        let (r, _) = post(stub.port(), &req(&["exec", "tool_call"], "PARENT"));
        let (name, args) = tool_call_of(&r).expect("a tool call");
        assert_eq!(name, "tool_call");
        let args: serde_json::Value = serde_json::from_str(&args).unwrap();
        assert_eq!(args["id"], "sessions_spawn");
        assert_eq!(args["args"]["task"], "t");
        // Once only.
        let (r, _) = post(stub.port(), &req(&["tool_call"], "PARENT CHILD"));
        assert!(r.contains("\"then\""), "{r}");
        let (r, _) = post(stub.port(), &req(&[], "CHILD"));
        assert!(r.contains("\"child\""), "{r}");
        let (r, _) = post(stub.port(), &req(&[], "other"));
        assert!(r.contains("\"default\""), "{r}");
        let rec = stub.requests();
        assert_eq!(
            rec[1].tools,
            vec!["exec".to_string(), "tool_call".to_string()]
        );
        // Offered directly; not offered at all: the route stays armed.
        stub.script(vec![], Behaviour::Answer("default".into()));
        let exec = Behaviour::ToolCall {
            name: "exec".into(),
            arguments: "{}".into(),
        };
        stub.route("X", Some(exec), Behaviour::Answer("then".into()));
        let (r, _) = post(stub.port(), &req(&["read"], "X"));
        assert!(r.contains("\"then\""), "{r}");
        let (r, _) = post(stub.port(), &req(&["read", "exec"], "X"));
        assert_eq!(tool_call_of(&r).unwrap().0, "exec");
        // `script` drops the routes.
        stub.script(vec![], Behaviour::Answer("default".into()));
        let (r, _) = post(stub.port(), &req(&["exec"], "X"));
        assert!(r.contains("\"default\""), "{r}");
    }

    #[test]
    fn otlp_exports_are_counted() {
        let stub = Stub::bind().unwrap();
        for path in ["/v1/metrics", "/v1/traces", "/v1/metrics"] {
            let mut c = TcpStream::connect(("127.0.0.1", stub.port())).unwrap();
            write!(
                c,
                "POST {path} HTTP/1.1\r\ncontent-type: application/x-protobuf\r\nconnection: close\r\ncontent-length: 3\r\n\r\nabc"
            )
            .unwrap();
            let mut out = String::new();
            c.read_to_string(&mut out).unwrap();
            assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        }
        assert_eq!(stub.otlp_exports(), (2, 1));
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn hang_records_when_the_client_gives_up() {
        let stub = Stub::bind().unwrap();
        stub.script(vec![], Behaviour::Hang);
        let mut c = TcpStream::connect(("127.0.0.1", stub.port())).unwrap();
        let body = r#"{"model":"m","stream":true}"#;
        write!(
            c,
            "POST /v1/chat/completions HTTP/1.1\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        c.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 16];
        // Nothing comes back while the stub hangs.
        let waited = Instant::now();
        assert!(c.read(&mut buf).is_err());
        // The stub's clock starts when it has read the request, a little
        // after the write: the close is recorded at least the read timeout
        // minus that (measured on a loaded machine: 292 ms for 300 ms).
        let floor = waited.elapsed().saturating_sub(Duration::from_millis(100));
        drop(c);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = stub.requests();
            if let Some(after) = r[0].closed_after {
                assert!(after >= floor, "{after:?} < {floor:?}");
                break;
            }
            assert!(Instant::now() < deadline, "close not recorded");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn slow_stream_is_slow_and_complete() {
        let stub = Stub::bind().unwrap();
        stub.script(
            vec![],
            Behaviour::SlowStream {
                text: "abcd".into(),
                delay: Duration::from_millis(100),
            },
        );
        let (resp, took) = post(stub.port(), r#"{"model":"m","stream":true}"#);
        assert_eq!(sse_text(&resp).0, "abcd");
        assert!(took >= Duration::from_millis(400), "{took:?}");
    }

    #[test]
    fn bounded_bodies_and_unknown_routes() {
        let stub = Stub::bind().unwrap();
        let mut c = TcpStream::connect(("127.0.0.1", stub.port())).unwrap();
        write!(
            c,
            "POST /v1/chat/completions HTTP/1.1\r\ncontent-length: {}\r\n\r\n",
            MAX_BODY + 1
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 413"), "{out}");
        let mut c = TcpStream::connect(("127.0.0.1", stub.port())).unwrap();
        write!(c, "GET /nope HTTP/1.1\r\nconnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 404"), "{out}");
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn chunked_request_bodies_are_read() {
        let stub = Stub::bind().unwrap();
        let mut c = TcpStream::connect(("127.0.0.1", stub.port())).unwrap();
        let body = r#"{"model":"m","messages":[{"content":"CHUNKED-CANARY"}]}"#;
        let (a, b) = body.split_at(10);
        write!(
            c,
            "POST /v1/chat/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
            a.len(),
            b.len()
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert_eq!(stub.requests()[0].body, body);
    }
}
