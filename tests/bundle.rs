//! Signed evidence bundles: `keygen`, `check --bundle DIR --sign KEY` and
//! `verify`, which names every altered, missing or extra file and refuses a
//! manifest that is not the signed one.

mod common;
use std::path::Path;
use std::process::Output;

fn clawcheck(args: &[&str], cwd: &Path) -> Output {
    common::clawcheck_env(args, cwd, &[("SOURCE_DATE_EPOCH", "1795867203")])
}

use common::{output as out, root};

#[test]
fn a_tampered_bundle_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("k");
    let o = clawcheck(&["keygen", key.to_str().unwrap()], d);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the private key is owner-only: {mode:o}");
    }
    // keygen never overwrites
    let o = clawcheck(&["keygen", key.to_str().unwrap()], d);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));

    let bundle = d.join("bundle");
    let b = bundle.to_str().unwrap();
    let o = clawcheck(
        &[
            "check",
            "examples/",
            "--bundle",
            b,
            "--sign",
            key.to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "findings still fail the run: {}",
        out(&o)
    );
    let mut names: Vec<String> = std::fs::read_dir(&bundle)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "manifest.dsse.json",
            "manifest.intoto.json",
            "report.html",
            "report.json",
            "report.oscal.json",
            "report.sarif"
        ]
    );
    // The manifest is an in-toto statement naming every report's SHA-256.
    let statement: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("manifest.intoto.json")).unwrap())
            .unwrap();
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    let json = std::fs::read(bundle.join("report.json")).unwrap();
    let subject = statement["subject"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "report.json")
        .unwrap();
    assert_eq!(
        subject["digest"]["sha256"],
        clawcheck::evidence::sha256_hex(&json)
    );

    let public = format!("{}.pub", key.display());
    let verify = || clawcheck(&["verify", b, "--key", &public], d);
    let o = verify();
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("4 files match the manifest"),
        "{}",
        out(&o)
    );

    // One byte changed in one report: verify names that file, and only it.
    let html = bundle.join("report.html");
    let mut bytes = std::fs::read(&html).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&html, &bytes).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("altered: report.html"), "{text}");
    assert!(!text.contains("report.json"), "{text}");
    bytes[i] ^= 1;
    std::fs::write(&html, &bytes).unwrap();
    assert_eq!(verify().status.code(), Some(0));

    // A missing and an extra file are named too.
    std::fs::rename(bundle.join("report.sarif"), d.join("moved.sarif")).unwrap();
    std::fs::write(bundle.join("notes.txt"), "added later").unwrap();
    let text = out(&verify());
    assert!(text.contains("missing: report.sarif"), "{text}");
    assert!(text.contains("extra: notes.txt"), "{text}");
    std::fs::rename(d.join("moved.sarif"), bundle.join("report.sarif")).unwrap();
    std::fs::remove_file(bundle.join("notes.txt")).unwrap();

    // A rewritten manifest (new hash for an edited report) no longer matches
    // the signed payload; another key verifies nothing.
    let m = bundle.join("manifest.intoto.json");
    let original = std::fs::read(&m).unwrap();
    std::fs::write(
        &m,
        String::from_utf8(original.clone())
            .unwrap()
            .replace("report.json", "report.jsom"),
    )
    .unwrap();
    let text = out(&verify());
    assert!(text.contains("altered: manifest.intoto.json"), "{text}");
    std::fs::write(&m, &original).unwrap();
    let other = d.join("other");
    assert_eq!(
        clawcheck(&["keygen", other.to_str().unwrap()], d)
            .status
            .code(),
        Some(0)
    );
    let o = clawcheck(
        &["verify", b, "--key", &format!("{}.pub", other.display())],
        d,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("no signature verifies"), "{}", out(&o));

    // --bundle refuses a directory that already holds files.
    let o = clawcheck(
        &[
            "check",
            "examples/",
            "--bundle",
            b,
            "--sign",
            key.to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("new or empty directory"), "{}", out(&o));
}
