//! Signed evidence bundles: a directory with the reports of one run, a
//! manifest of every file's SHA-256 laid out as an in-toto Statement v1
//! (`manifest.intoto.json`), and an Ed25519 signature over the manifest in a
//! DSSE envelope (`manifest.dsse.json`, payload type
//! `application/vnd.in-toto+json`). `verify` recomputes everything offline
//! and names each altered, missing or extra file.
//!
//! Keys are PKCS#8 / SPKI PEM, the form `openssl genpkey -algorithm ed25519`
//! and `openssl pkey -pubout` write, so either tool can make them.

use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{json, Value};
use std::path::Path;

pub const MANIFEST: &str = "manifest.intoto.json";
pub const ENVELOPE: &str = "manifest.dsse.json";
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const PREDICATE_TYPE: &str = "https://github.com/clawcheck/clawcheck/evidence-bundle/v1";
/// Most files a bundle may list, and the largest manifest or envelope read.
const MAX_FILES: usize = 64;
const MAX_MANIFEST_BYTES: u64 = 1 << 20;
/// Largest key file read.
const MAX_KEY_BYTES: u64 = 64 << 10;

/// DSSE's pre-authentication encoding: what the signature covers.
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    v.extend_from_slice(payload);
    v
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{}: not a regular file", path.display()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > max {
        return Err(format!("{}: larger than {max} bytes", path.display()));
    }
    Ok(bytes)
}

/// The key's id: SHA-256 of its raw 32 public bytes, hex.
pub fn key_id(key: &VerifyingKey) -> String {
    crate::evidence::sha256_hex(key.as_bytes())
}

pub fn load_signing_key(path: &Path) -> Result<SigningKey, String> {
    let text = read_bounded(path, MAX_KEY_BYTES)?;
    let text =
        String::from_utf8(text).map_err(|_| format!("{}: not a PEM file", path.display()))?;
    SigningKey::from_pkcs8_pem(&text).map_err(|e| {
        format!(
            "{}: not an Ed25519 private key in PKCS#8 PEM ({e}); make one with `clawcheck keygen` or `openssl genpkey -algorithm ed25519`",
            path.display()
        )
    })
}

pub fn load_verifying_key(path: &Path) -> Result<VerifyingKey, String> {
    let text = read_bounded(path, MAX_KEY_BYTES)?;
    let text =
        String::from_utf8(text).map_err(|_| format!("{}: not a PEM file", path.display()))?;
    VerifyingKey::from_public_key_pem(&text).map_err(|e| {
        format!(
            "{}: not an Ed25519 public key in SPKI PEM ({e}); `openssl pkey -in KEY -pubout` writes one",
            path.display()
        )
    })
}

/// A new key pair as (private PKCS#8 PEM, public SPKI PEM), from the
/// operating system's random source.
pub fn generate() -> Result<(String, String), String> {
    use std::io::Read;
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    let private = key
        .to_pkcs8_pem(Default::default())
        .map_err(|e| e.to_string())?;
    let public = key
        .verifying_key()
        .to_public_key_pem(Default::default())
        .map_err(|e| e.to_string())?;
    Ok((private.to_string(), public))
}

/// The manifest (in-toto statement) and its DSSE envelope for `files`
/// (name, content), signed with `key`. `predicate` describes the run.
pub fn sign(files: &[(String, Vec<u8>)], predicate: Value, key: &SigningKey) -> (Vec<u8>, Vec<u8>) {
    let mut subjects: Vec<Value> = files
        .iter()
        .map(|(name, bytes)| json!({"name": name, "digest": {"sha256": crate::evidence::sha256_hex(bytes)}}))
        .collect();
    subjects.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let statement = json!({
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    });
    let mut manifest = serde_json::to_vec_pretty(&statement).expect("JSON values serialise");
    manifest.push(b'\n');
    let sig = key.sign(&pae(PAYLOAD_TYPE, &manifest));
    let envelope = json!({
        "payloadType": PAYLOAD_TYPE,
        "payload": b64().encode(&manifest),
        "signatures": [{"keyid": key_id(&key.verifying_key()), "sig": b64().encode(sig.to_bytes())}],
    });
    let mut env = serde_json::to_vec_pretty(&envelope).expect("JSON values serialise");
    env.push(b'\n');
    (manifest, env)
}

/// What `verify` found: empty `problems` means the bundle is intact.
#[derive(Debug, Default)]
pub struct Verification {
    pub files: usize,
    pub problems: Vec<String>,
}

/// Checks the envelope's signature with `key`, that the manifest file is the
/// signed payload, and every file against the manifest. A broken envelope
/// or a bad signature is an `Err` (nothing in the bundle can be trusted);
/// altered, missing and extra files are listed in `problems`.
pub fn verify(dir: &Path, key: &VerifyingKey) -> Result<Verification, String> {
    let env_path = dir.join(ENVELOPE);
    let env_bytes = read_bounded(&env_path, MAX_MANIFEST_BYTES)?;
    let envelope: Value = serde_json::from_slice(&env_bytes)
        .map_err(|e| format!("{}:{}:{}: {e}", env_path.display(), e.line(), e.column()))?;
    if envelope["payloadType"] != PAYLOAD_TYPE {
        return Err(format!(
            "{}: payloadType is not {PAYLOAD_TYPE}",
            env_path.display()
        ));
    }
    let payload = envelope["payload"]
        .as_str()
        .and_then(|p| b64().decode(p).ok())
        .ok_or_else(|| format!("{}: payload is not base64", env_path.display()))?;
    let want_id = key_id(key);
    let signatures = envelope["signatures"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let signed = signatures.iter().take(MAX_FILES).any(|s| {
        let sig = s["sig"]
            .as_str()
            .and_then(|x| b64().decode(x).ok())
            .and_then(|b| Signature::from_slice(&b).ok());
        let id_ok = s["keyid"]
            .as_str()
            .is_none_or(|id| id.is_empty() || id == want_id);
        id_ok && sig.is_some_and(|sig| key.verify(&pae(PAYLOAD_TYPE, &payload), &sig).is_ok())
    });
    if !signed {
        return Err(format!(
            "{}: no signature verifies with the key {want_id}: the manifest was altered or signed with another key",
            env_path.display()
        ));
    }
    let statement: Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("{}: signed payload is not JSON: {e}", env_path.display()))?;
    if statement["_type"] != STATEMENT_TYPE {
        return Err(format!(
            "{}: the payload is not an in-toto statement",
            env_path.display()
        ));
    }
    let mut out = Verification::default();
    match read_bounded(&dir.join(MANIFEST), MAX_MANIFEST_BYTES) {
        Ok(m) if m == payload => {}
        Ok(_) => out.problems.push(format!(
            "altered: {MANIFEST} (differs from the signed payload)"
        )),
        Err(_) => out.problems.push(format!("missing: {MANIFEST}")),
    }
    let subjects = statement["subject"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    if subjects.len() > MAX_FILES {
        return Err(format!(
            "{}: more than {MAX_FILES} subjects",
            env_path.display()
        ));
    }
    let mut listed = std::collections::BTreeSet::new();
    for s in subjects {
        let name = s["name"].as_str().unwrap_or("");
        let digest = s["digest"]["sha256"].as_str().unwrap_or("");
        // Names are plain file names in the bundle: never a path out of it.
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(format!(
                "{}: subject name `{name}` is not a file name",
                env_path.display()
            ));
        }
        listed.insert(name.to_string());
        out.files += 1;
        match hash_file(&dir.join(name)) {
            Ok(h) if h == digest => {}
            Ok(_) => out.problems.push(format!("altered: {name}")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.problems.push(format!("missing: {name}"))
            }
            Err(e) => out.problems.push(format!("altered: {name} ({e})")),
        }
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut extra = Vec::new();
    for e in entries.take(10_000) {
        let name = e
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .file_name();
        let name = name.to_string_lossy().into_owned();
        if name != MANIFEST && name != ENVELOPE && !listed.contains(&name) {
            extra.push(name);
        }
    }
    extra.sort();
    out.problems.extend(
        extra
            .into_iter()
            .map(|n| format!("extra: {n} (not in the manifest)")),
    );
    // The names of files no one signed (and of those the manifest names)
    // pass the redaction gate: a file may be named after a secret.
    let scanner = crate::checks::secrets::Scanner::new();
    let secrets: Vec<String> = out
        .problems
        .iter()
        .flat_map(|p| scanner.secrets_in(p))
        .collect();
    if !secrets.is_empty() {
        let gate = crate::redact::Redactor::new(secrets);
        for p in &mut out.problems {
            *p = gate.text(p);
        }
    }
    Ok(out)
}

/// SHA-256 of a regular file, streamed (a symlink counts as altered).
fn hash_file(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    use std::io::Read;
    let mut h = sha2::Sha256::new();
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 << 10];
    loop {
        match f.read(&mut buf)? {
            0 => break,
            n => h.update(&buf[..n]),
        }
    }
    Ok(crate::evidence::hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_is_the_dsse_encoding() {
        // The DSSE specification's example.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let (private, public) = generate().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("k"), &private).unwrap();
        std::fs::write(dir.path().join("k.pub"), &public).unwrap();
        let sk = load_signing_key(&dir.path().join("k")).unwrap();
        let vk = load_verifying_key(&dir.path().join("k.pub")).unwrap();
        assert_eq!(sk.verifying_key(), vk);
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        let e = load_verifying_key(&dir.path().join("k")).unwrap_err();
        assert!(e.contains("not an Ed25519 public key"), "{e}");
    }
}
