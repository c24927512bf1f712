//! Scan a directory tree with the secret scanner.
//!
//!   scan_tree DIR                  JSON lines {path,line,family,rule,redacted}
//!   scan_tree DIR --score LABELS   precision / recall overall and per family
//!   scan_tree DIR --bench [N]      MB/s (best of N runs, default 3)
//!   --threads T                    worker threads (default 2)

#[path = "../tests/corpus/harness.rs"]
mod harness;

use clawcheck::checks::secrets::Scanner;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut labels = None;
    let mut bench = None;
    let mut threads = 2usize;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--score" => {
                i += 1;
                labels = Some(PathBuf::from(&args[i]));
            }
            "--bench" => {
                let n = args.get(i + 1).and_then(|s| s.parse().ok());
                if n.is_some() {
                    i += 1;
                }
                bench = Some(n.unwrap_or(3usize));
            }
            "--threads" => {
                i += 1;
                threads = args[i].parse().expect("--threads N");
            }
            a => dir = Some(PathBuf::from(a)),
        }
        i += 1;
    }
    let dir = dir.expect("usage: scan_tree DIR [--score LABELS] [--bench [N]] [--threads T]");
    let t0 = Instant::now();
    let scanner = Scanner::new();
    let build = t0.elapsed();

    if let Some(n) = bench {
        let mut best = f64::MAX;
        let mut last = None;
        for _ in 0..n.max(1) {
            let t = Instant::now();
            let r = harness::scan_tree(&scanner, &dir, threads);
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(r);
        }
        let r = last.unwrap();
        println!(
            "scanned {} files ({} binary skipped), {} bytes, {} findings; scanner build {:.1} ms; best of {}: {:.3} s = {:.0} MB/s ({} threads)",
            r.files, r.skipped_binary, r.bytes, r.findings.len(), build.as_secs_f64() * 1e3, n.max(1), best,
            r.bytes as f64 / best / 1e6, threads
        );
        return;
    }
    let r = harness::scan_tree(&scanner, &dir, threads);
    if let Some(lp) = labels {
        let text = std::fs::read_to_string(&lp).expect("read labels");
        let labels = harness::parse_labels(&text);
        let s = harness::score(&labels, &r.findings);
        print!("{}", harness::format_score(&s));
        return;
    }
    for f in &r.findings {
        println!(
            "{{\"path\":{},\"line\":{},\"family\":{},\"rule\":{},\"redacted\":{}}}",
            harness::json_str(&f.path),
            f.line,
            harness::json_str(f.m.family),
            harness::json_str(f.m.rule),
            harness::json_str(&f.m.redacted)
        );
    }
}
