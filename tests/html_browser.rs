//! The HTML report rendered by a real browser (headless Chromium, Debian
//! package `chromium`): it loads with its strict Content-Security-Policy, a
//! screenshot is taken, and the counts Chromium renders (`--dump-dom`) are the
//! JSON report's.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn clawcheck(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_clawcheck"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1795867203")
        .output()
        .expect("run clawcheck");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Runs Chromium headless with a fresh profile and no network features.
fn chromium(extra: &[&str], page: &Path) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (Debian package chromium)");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn number(dom: &str, id: &str) -> u64 {
    let re = regex::Regex::new(&format!(r#"id="{id}"[^>]*>(\d+)<"#)).unwrap();
    re.captures(dom)
        .unwrap_or_else(|| panic!("#{id} not in the rendered DOM"))[1]
        .parse()
        .unwrap()
}

fn check_rendering(target: &str, shots: &Path, name: &str) {
    let json: Value = serde_json::from_slice(&clawcheck(&["check", target, "--format", "json"]))
        .expect("JSON report");
    let html = clawcheck(&["check", target, "--format", "html"]);
    let page: PathBuf = shots.join(format!("{name}.html"));
    std::fs::write(&page, &html).unwrap();

    let dom = String::from_utf8(chromium(&["--dump-dom"], &page).stdout).unwrap();
    let summary = &json["summary"];
    for (id, key) in [
        ("count-errors", "errors"),
        ("count-warnings", "warnings"),
        ("count-notes", "notes"),
        ("count-suppressed", "suppressed"),
        ("count-files", "files_scanned"),
    ] {
        assert_eq!(
            number(&dom, id),
            summary[key].as_u64().unwrap(),
            "{name}: #{id} differs from summary.{key}"
        );
    }
    let files = json["inputs"]["files"].as_array().unwrap();
    let findings = json["findings"].as_array().unwrap();
    let with_findings: std::collections::BTreeSet<&str> = findings
        .iter()
        .chain(json["suppressed"].as_array().unwrap())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let clean = files
        .iter()
        .filter(|f| !with_findings.contains(f["path"].as_str().unwrap()))
        .count();
    assert_eq!(number(&dom, "count-clean-files"), clean as u64, "{name}");
    // Every checked file's hash is in the page.
    for f in files {
        assert!(dom.contains(f["sha256"].as_str().unwrap()), "{name}: {f}");
    }
    // The per-file chart: one bar per file with findings, the JSON's count.
    let bar =
        regex::Regex::new(r#"<g class="bar" data-label="([^"]*)" data-total="(\d+)""#).unwrap();
    let chart = dom
        .split(r#"id="chart-files""#)
        .nth(1)
        .map(|s| s.split("</svg>").next().unwrap())
        .unwrap_or("");
    let bars: Vec<(String, u64)> = bar
        .captures_iter(chart)
        .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
        .collect();
    let mut per_file: std::collections::BTreeMap<&str, u64> = Default::default();
    for f in findings {
        *per_file.entry(f["path"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(bars.len(), per_file.len().min(25), "{name}: {bars:?}");
    for (label, total) in &bars {
        assert_eq!(per_file.get(label.as_str()), Some(total), "{name}: {label}");
    }
    // Nothing that would run or fetch: no script, the strict policy intact.
    assert!(!dom.to_lowercase().contains("<script"), "{name}");
    assert!(dom.contains("default-src 'none'"), "{name}");
    // The visible text never shows a raw Markdown backtick (they are <code>).
    let text = regex::Regex::new(r"<[^>]*>").unwrap().replace_all(&dom, "");
    assert!(!text.contains('`'), "{name}: a raw backtick in the text");

    let png = shots.join(format!("{name}.png"));
    chromium(&[&format!("--screenshot={}", png.display())], &page);
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}: not a PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, 1280, "{name}: screenshot width");
    assert!(
        bytes.len() > 20_000,
        "{name}: a blank page? {} bytes",
        bytes.len()
    );
}

#[test]
#[ignore = "needs chromium (Debian package `chromium`); .ci/run installs it and runs the ignored tests"]
fn html_report_renders_in_chromium_with_the_json_counts() {
    // Screenshots are kept for a person to look at when CLAWCHECK_SHOTS is set.
    let keep = std::env::var_os("CLAWCHECK_SHOTS").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let shots = keep.as_deref().unwrap_or(tmp.path());
    std::fs::create_dir_all(shots).unwrap();
    check_rendering("examples/", shots, "examples");
    check_rendering("tests/fixtures/openclaw", shots, "openclaw-fixtures");
}
