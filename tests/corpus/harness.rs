//! Corpus harness shared by `examples/scan_tree.rs` and the secret corpus tests
//! (`tests/secrets_corpus_lib.rs`, `tests/secrets_pipeline.rs`; serde_json for the labels): tree
//! walk, parallel scan, labels.jsonl parsing, scoring.
#![allow(dead_code)]

use clawcheck::checks::secrets::{Scanner, SecretMatch};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Every secret family, in rule order: the scanner's registry
/// (`clawcheck::checks::secrets::rules`), so a new family is scored (and must
/// be planted by the corpus generator) as soon as it is registered.
pub static FAMILIES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut v: Vec<&'static str> = Vec::new();
    for r in clawcheck::checks::secrets::rules() {
        if !v.contains(&r.family) {
            v.push(r.family);
        }
    }
    v
});

/// Regular files under `root` (recursive, symlinks skipped, `labels.jsonl` skipped), sorted.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_symlink() {
                continue;
            }
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() && e.file_name() != "labels.jsonl" {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

pub struct Finding {
    pub path: String, // relative, '/' separated
    pub line: usize,  // 1-based line of `start`
    pub m: SecretMatch,
}

pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub bytes: u64,
    pub files: usize,
    pub skipped_binary: usize,
}

/// Scan every file of the tree with `threads` threads.
pub fn scan_tree(scanner: &Scanner, root: &Path, threads: usize) -> ScanResult {
    let files = walk(root);
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    let results: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut buf: Vec<u8> = Vec::new();
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let p = &files[i];
                    buf.clear();
                    let Ok(mut f) = std::fs::File::open(p) else {
                        continue;
                    };
                    if f.read_to_end(&mut buf).is_err() {
                        continue;
                    }
                    if memchr::memchr(0, &buf[..buf.len().min(8192)]).is_some() {
                        skipped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    bytes.fetch_add(buf.len(), Ordering::Relaxed);
                    let ms = scanner.scan_path(&buf, p);
                    if ms.is_empty() {
                        continue;
                    }
                    let rel = p
                        .strip_prefix(root)
                        .unwrap_or(p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    // Sorted by start: count newlines incrementally.
                    let (mut line, mut pos) = (1usize, 0usize);
                    for m in ms {
                        line += memchr::memchr_iter(b'\n', &buf[pos..m.start]).count();
                        pos = m.start;
                        local.push(Finding {
                            path: rel.clone(),
                            line,
                            m,
                        });
                    }
                }
                results.lock().unwrap().append(&mut local);
            });
        }
    });
    let mut findings = results.into_inner().unwrap();
    findings.sort_by(|a, b| (&a.path, a.line, a.m.start).cmp(&(&b.path, b.line, b.m.start)));
    ScanResult {
        findings,
        bytes: bytes.load(Ordering::Relaxed) as u64,
        files: files.len(),
        skipped_binary: skipped.load(Ordering::Relaxed),
    }
}

#[derive(Debug, Clone)]
pub struct Label {
    pub path: String,
    pub line: usize,
    pub end_line: usize,
    pub kind: String,
    pub secret: bool,
    pub value: Option<String>,
    pub tag: String,
}

/// Parses `labels.jsonl`: one JSON object per line.
pub fn parse_labels(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let obj: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("labels.jsonl:{}: {e}", n + 1));
        let text = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let num = |k: &str| obj.get(k).and_then(|v| v.as_u64()).map(|v| v as usize);
        let line_no = num("line").unwrap_or(0);
        out.push(Label {
            path: text("path").unwrap_or_default(),
            line: line_no,
            end_line: num("end_line").unwrap_or(line_no),
            kind: text("kind").unwrap_or_default(),
            secret: text("label").as_deref() == Some("secret"),
            value: text("value"),
            tag: text("tag").unwrap_or_default(),
        });
    }
    out
}

#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub secrets: usize,
    pub found: usize,
    pub findings: usize,
    pub tp_findings: usize,
}

impl Counts {
    pub fn recall(&self) -> f64 {
        if self.secrets == 0 {
            1.0
        } else {
            self.found as f64 / self.secrets as f64
        }
    }
    pub fn precision(&self) -> f64 {
        if self.findings == 0 {
            1.0
        } else {
            self.tp_findings as f64 / self.findings as f64
        }
    }
}

pub struct Score {
    pub per_family: BTreeMap<String, Counts>,
    pub overall: Counts,
    pub missed: Vec<Label>,
    pub false_pos: Vec<(String, usize, &'static str, String, String)>, // path, line, family, redacted, label tag
    pub family_mismatch: usize,
}

/// A secret is found if any finding is at its path on a line in [line, end_line].
/// Recall is per label kind; precision per finding family (a finding is a true
/// positive if it lands on a secret's lines).
pub fn score(labels: &[Label], findings: &[Finding]) -> Score {
    let mut per: BTreeMap<String, Counts> = FAMILIES
        .iter()
        .map(|f| (f.to_string(), Counts::default()))
        .collect();
    let mut by_path: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in findings {
        by_path.entry(f.path.as_str()).or_default().push(f);
    }
    let mut secrets_by_path: HashMap<&str, Vec<&Label>> = HashMap::new();
    let mut decoys_by_path: HashMap<&str, Vec<&Label>> = HashMap::new();
    for l in labels {
        if l.secret {
            secrets_by_path.entry(l.path.as_str()).or_default().push(l);
        } else {
            decoys_by_path.entry(l.path.as_str()).or_default().push(l);
        }
    }
    let mut missed = Vec::new();
    let mut family_mismatch = 0;
    for l in labels.iter().filter(|l| l.secret) {
        let c = per.entry(l.kind.clone()).or_default();
        c.secrets += 1;
        let hits: Vec<&&Finding> = by_path
            .get(l.path.as_str())
            .map(|v| {
                v.iter()
                    .filter(|f| f.line >= l.line && f.line <= l.end_line)
                    .collect()
            })
            .unwrap_or_default();
        if hits.is_empty() {
            missed.push(l.clone());
        } else {
            c.found += 1;
            if !hits.iter().any(|f| f.m.family == l.kind) {
                family_mismatch += 1;
            }
        }
    }
    let mut false_pos = Vec::new();
    for f in findings {
        let c = per.entry(f.m.family.to_string()).or_default();
        c.findings += 1;
        let on_secret = secrets_by_path
            .get(f.path.as_str())
            .is_some_and(|v| v.iter().any(|l| f.line >= l.line && f.line <= l.end_line));
        if on_secret {
            c.tp_findings += 1;
        } else {
            let tag = decoys_by_path
                .get(f.path.as_str())
                .and_then(|v| v.iter().find(|l| f.line >= l.line && f.line <= l.end_line))
                .map(|l| format!("decoy:{}:{}", l.kind, l.tag))
                .unwrap_or_else(|| "unlabelled".to_string());
            false_pos.push((
                f.path.clone(),
                f.line,
                f.m.family,
                f.m.redacted.clone(),
                tag,
            ));
        }
    }
    let mut overall = Counts::default();
    for c in per.values() {
        overall.secrets += c.secrets;
        overall.found += c.found;
        overall.findings += c.findings;
        overall.tp_findings += c.tp_findings;
    }
    Score {
        per_family: per,
        overall,
        missed,
        false_pos,
        family_mismatch,
    }
}

pub fn format_score(s: &Score) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<24}{:>8}{:>7}{:>10}{:>8}{:>11}{:>9}\n",
        "family", "secrets", "found", "findings", "fp", "precision", "recall"
    ));
    for (fam, c) in &s.per_family {
        if c.secrets == 0 && c.findings == 0 {
            continue;
        }
        out.push_str(&format!(
            "{:<24}{:>8}{:>7}{:>10}{:>8}{:>11.4}{:>9.4}\n",
            fam,
            c.secrets,
            c.found,
            c.findings,
            c.findings - c.tp_findings,
            c.precision(),
            c.recall()
        ));
    }
    let c = s.overall;
    out.push_str(&format!(
        "{:<24}{:>8}{:>7}{:>10}{:>8}{:>11.4}{:>9.4}\n",
        "OVERALL",
        c.secrets,
        c.found,
        c.findings,
        c.findings - c.tp_findings,
        c.precision(),
        c.recall()
    ));
    out.push_str(&format!(
        "found with a different family than labelled: {}\n",
        s.family_mismatch
    ));
    for l in &s.missed {
        out.push_str(&format!(
            "MISSED {}:{} {} tag={}\n",
            l.path, l.line, l.kind, l.tag
        ));
    }
    for (p, line, fam, red, tag) in &s.false_pos {
        out.push_str(&format!(
            "FALSE+ {}:{} {} {} ({})\n",
            p, line, fam, red, tag
        ));
    }
    out
}

/// Minimal JSON string escaping for output.
pub fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}
