//! Throughput on adversarial single-line inputs (linearity check).
//!   pathological [MB]   (default 64)
use clawcheck::checks::secrets::Scanner;
use std::time::Instant;

fn fill(unit: &str, n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n + unit.len());
    while v.len() < n {
        v.extend_from_slice(unit.as_bytes());
    }
    v.truncate(n);
    v
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let n = mb << 20;
    let sc = Scanner::new();
    let mut rnd = Vec::with_capacity(n);
    let mut x: u64 = 0x9e3779b97f4a7c15;
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while rnd.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rnd.push(B64[(x % 64) as usize]);
    }
    let pem_unit = format!(
        "{}{}",
        "-----BEGIN RSA PRIVATE KEY-----\\n",
        String::from_utf8_lossy(&rnd[..70])
    );
    let aws_unit = format!(
        "{}{} {} ",
        "AKIA",
        "Q2RSTUVWXYZ23456",
        String::from_utf8_lossy(&rnd[100..140])
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "plain text",
            fill("the quick brown fox jumps over the lazy dog; ", n),
        ),
        ("random base64, one line", rnd.clone()),
        ("'token' x N", fill("token", n)),
        ("'password=' x N", fill("password=", n)),
        ("'api_key=\"' x N (unterminated)", fill("api_key=\"", n)),
        ("'sk-' x N", fill("sk-", n)),
        (
            "' sk-' + 30 chars x N",
            fill(" sk-abcdefghijABCDEFGHIJ0123456789", n),
        ),
        ("'AKIA' x N", fill("AKIA", n)),
        ("valid AKIA id + 40 b64 x N", fill(&aws_unit, n)),
        ("'-----BEGIN ' x N", fill("-----BEGIN ", n)),
        ("PEM header + body x N (no END)", fill(&pem_unit, n)),
        (
            "'Bearer ' + token x N",
            fill("Bearer abcdefghij0123456789ABCDEFGH ", n),
        ),
        (
            "'secret: ' + value x N",
            fill(
                &format!("{}{}: {} ", "sec", "ret", "Abc123xyz789QWE456rty"),
                n,
            ),
        ),
        (
            "NUL / 0xFF bytes",
            fill("\u{0}\u{ff}token\u{0}sk-\u{fe}", n),
        ),
    ];
    for (name, buf) in &cases {
        let t = Instant::now();
        let m = sc.scan(buf);
        let dt = t.elapsed().as_secs_f64();
        println!(
            "{:<36} {:>6} MB {:>8.3} s {:>8.0} MB/s  {:>9} findings",
            name,
            mb,
            dt,
            buf.len() as f64 / dt / 1e6,
            m.len()
        );
    }
}
