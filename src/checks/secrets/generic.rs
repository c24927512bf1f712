//! Keyword-anchored detection: generic `password` / `secret` / `token` /
//! `api_key` assignments with a high-entropy literal, AWS secret access keys
//! next to an AWS context word, `Bearer <token>` headers, and SQL
//! `INSERT … (…, api_token) VALUES (…, '…')` rows.

use super::util::*;
use super::{Cand, Family};

const IDENT_CAP: usize = 64;
const VALUE_MAX: usize = 512;
const VALUE_MIN: usize = 10;

/// What kind of file is scanned, as far as the generic rule cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Program source: a value is a quoted string literal, never an
    /// identifier, a number, a type or a call.
    Code,
    /// `.env`, YAML, INI, properties, shell, Dockerfile…: unquoted values too.
    Config,
    /// Unknown: as `Config`.
    Unknown,
}

impl Syntax {
    /// From the file name (extension, or a few well-known names).
    pub fn of_path(p: &std::path::Path) -> Syntax {
        let Some(ext) = p.extension().and_then(|e| e.to_str()) else {
            return Syntax::Unknown;
        };
        const CODE: &[&str] = &[
            "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "go", "java", "kt", "kts",
            "scala", "swift", "cs", "fs", "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts",
            "py", "pyi", "pyx", "rb", "php", "pl", "pm", "lua", "dart", "m", "mm", "jl", "ex",
            "exs", "erl", "hs", "ml", "clj", "groovy", "gradle", "vue", "svelte", "zig", "nim",
            "d", "v", "vb", "sol",
        ];
        if CODE.iter().any(|c| ext.eq_ignore_ascii_case(c)) {
            Syntax::Code
        } else {
            Syntax::Config
        }
    }
}

/// Per-scan state: the end of the last identifier handled, so that
/// `SECRET_TOKEN` (two keywords) is processed once; and the file's syntax.
pub(crate) struct State {
    ident_end: usize,
    pub(crate) syntax: Syntax,
    /// Positions of keys that name a credential: their lines are searched
    /// for the context words of the context families.
    pub(crate) ctx_hits: Vec<usize>,
}

impl State {
    pub(crate) fn new(syntax: Syntax) -> State {
        State {
            ident_end: 0,
            syntax,
            ctx_hits: Vec::new(),
        }
    }
}

#[inline]
fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
}

/// Length of a quote (`"`, `'`, `` ` ``, or a backslash-escaped one) at `p`.
fn quote_at(b: &[u8], p: usize) -> Option<(u8, usize)> {
    match byte_at(b, p) {
        q @ (b'"' | b'\'' | b'`') => Some((q, 1)),
        b'\\' => match byte_at(b, p + 1) {
            q @ (b'"' | b'\'') => Some((q, 2)),
            _ => None,
        },
        _ => None,
    }
}

/// Last key segments that name a credential on their own.
const CRED_WORDS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"pwd",
    b"pass",
    b"passphrase",
    b"secret",
    b"token",
    b"apikey",
    b"credential",
    b"credentials",
    b"auth",
];

/// Words that, before a last segment `key`, make it a credential
/// (`api_key`, `secret_key`, `accessKey`, `PRIVATE_KEY`).
const KEY_QUALIFIERS: &[&[u8]] = &[
    b"api",
    b"access",
    b"secret",
    b"private",
    b"auth",
    b"client",
    b"encryption",
    b"signing",
    b"master",
    b"app",
    b"service",
    b"account",
    b"consumer",
    b"session",
    b"webhook",
    b"shared",
    b"admin",
    b"license",
    b"subscription",
    b"storage",
    // a provider's name before `key` (`OPENAI_KEY`, `XAI_KEY`, `openaiKey`):
    // the key of that service, whose own format may not be distinctive enough
    // for a family. Only keys an anchor leads to are read (`AI_KEY`, `aiKey`,
    // `ecret`, `oken`, … in `ANCHORS`), so `stripeKey` alone is not.
    b"openai",
    b"anthropic",
    b"claude",
    b"gemini",
    b"google",
    b"groq",
    b"mistral",
    b"cohere",
    b"deepseek",
    b"together",
    b"fireworks",
    b"perplexity",
    b"replicate",
    b"openrouter",
    b"huggingface",
    b"xai",
    b"grok",
    b"stripe",
    b"twilio",
    b"sendgrid",
    b"mailgun",
    b"github",
    b"gitlab",
    b"slack",
    b"discord",
    b"telegram",
];

/// Words before the last segment that make it no credential.
const NOT_SECRET_QUALIFIERS: &[&[u8]] = &[b"public", b"publishable", b"csrf", b"xsrf"];

/// Words before `token` that make it a pagination cursor, a change or
/// idempotency marker or a verification nonce (AWS, Google and Azure APIs).
const CURSOR_QUALIFIERS: &[&[u8]] = &[
    b"next",
    b"page",
    b"pagination",
    b"start",
    b"starting",
    b"continuation",
    b"cursor",
    b"forward",
    b"backward",
    b"previous",
    b"prev",
    b"resume",
    b"marker",
    b"sync",
    b"change",
    b"update",
    b"client",
    b"idempotency",
    b"output",
    b"input",
    b"verification",
];

/// Compact spellings that end a single lower/upper-case segment
/// (`dbpassword`, `AUTHTOKEN`, `mytoken`), not `tokenizer` or `secretary`.
const CRED_SUFFIXES: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"secret",
    b"token",
    b"apikey",
    b"passphrase",
    b"accesskey",
    b"secretkey",
    b"privatekey",
];

/// Splits an identifier into its last two segments (snake, kebab, dotted
/// and camelCase), trailing digits dropped: `DB_PASSWORD` → (`db`,
/// `password`), `apiKey2` → (`api`, `key`), `x.auth.token` → (`auth`, `token`).
fn last_segments(ident: &[u8]) -> (&[u8], &[u8]) {
    let mut z = ident.len();
    while z > 0 && ident[z - 1].is_ascii_digit() {
        z -= 1;
    }
    let seg_start = |end: usize| -> usize {
        let mut i = end;
        while i > 0 {
            let c = ident[i - 1];
            if matches!(c, b'_' | b'-' | b'.' | b'$' | b'[' | b']' | b'"' | b'\'') {
                break;
            }
            // camelCase: `apiKey` splits before `K`; `APIKey` before `Key`
            if i < end && ident[i].is_ascii_uppercase() {
                if c.is_ascii_lowercase() || c.is_ascii_digit() {
                    break;
                }
                if c.is_ascii_uppercase() && i + 1 < end && ident[i + 1].is_ascii_lowercase() {
                    break;
                }
            }
            i -= 1;
        }
        i
    };
    let ls = seg_start(z);
    let last = &ident[ls..z];
    let mut pe = ls;
    while pe > 0 && matches!(ident[pe - 1], b'_' | b'-' | b'.') {
        pe -= 1;
    }
    let prev = if pe == 0 {
        &ident[..0]
    } else {
        &ident[seg_start(pe)..pe]
    };
    (prev, last)
}

/// Last segments that tell one copy of a credential from another
/// (`DB_PASSWORD_2`, `API_KEY_OLD`, `MISTRAL_API_KEY_BACKUP`).
const VERSION_SUFFIXES: &[&[u8]] = &[
    b"old",
    b"new",
    b"backup",
    b"bak",
    b"prev",
    b"previous",
    b"current",
    b"orig",
    b"primary",
    b"secondary",
    b"alt",
];

/// `ident` without a last `_`/`-`/`.` segment that only numbers or ages a
/// copy of the credential (digits, `v2`, [`VERSION_SUFFIXES`]).
fn without_version_suffix(ident: &[u8]) -> &[u8] {
    let Some(sep) = ident.iter().rposition(|&c| matches!(c, b'_' | b'-' | b'.')) else {
        return ident;
    };
    let tail = &ident[sep + 1..];
    let digits = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
    let noise = digits(tail)
        || (tail.len() >= 2 && tail[0].eq_ignore_ascii_case(&b'v') && digits(&tail[1..]))
        || VERSION_SUFFIXES
            .iter()
            .any(|w| tail.eq_ignore_ascii_case(w));
    if noise && sep > 0 {
        &ident[..sep]
    } else {
        ident
    }
}

/// Does the key name a credential as a whole segment (`DB_PASSWORD`,
/// `apiKey`, `client-secret`, `dbpassword`), rather than contain a keyword
/// inside another word (`tokenizer`, `token_start`, `password_hash`)?
pub(crate) fn key_names_credential(ident: &[u8]) -> bool {
    let (prev, last) = last_segments(without_version_suffix(ident));
    if last.is_empty() || last.len() > 32 {
        return false;
    }
    let mut lc = [0u8; 32];
    for (d, s) in lc.iter_mut().zip(last) {
        *d = s.to_ascii_lowercase();
    }
    let last = &lc[..last.len()];
    // `publicToken`, `publishable_key`, `csrf-token`: meant to be public, or
    // an anti-forgery value of one session, not a credential
    if NOT_SECRET_QUALIFIERS
        .iter()
        .any(|q| prev.eq_ignore_ascii_case(q))
    {
        return false;
    }
    // `NextToken`, `nextPageToken`, `starting-token`, `ChangeToken`: a cursor,
    // page marker or idempotency key that an API hands out, not a credential
    if last == b"token"
        && CURSOR_QUALIFIERS
            .iter()
            .any(|q| prev.eq_ignore_ascii_case(q))
    {
        return false;
    }
    if CRED_WORDS.contains(&last) {
        return true;
    }
    if last == b"key" {
        return KEY_QUALIFIERS.iter().any(|q| prev.eq_ignore_ascii_case(q));
    }
    CRED_SUFFIXES.iter().any(|w| last.ends_with(w))
}

/// Values that a family-specific verifier owns: if it rejected them, so do we.
/// Not `sk-` (the prefix of every OpenAI-compatible provider's keys:
/// DeepSeek, Moonshot, LiteLLM's virtual keys) nor `EAA` (Square's access
/// tokens as well as Meta's): under a credential's name, a random value
/// with one of them is a key even when no family owns its shape.
const FAMILY_PREFIXES: &[&[u8]] = &[
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"AIza",
    b"xox",
    b"xapp-",
    b"sk_live_",
    b"rk_live_",
    b"pk_live_",
    b"pk_test_",
    b"sk_test_",
    b"hvs.",
    b"hvb.",
    b"hvr.",
    b"AKIA",
    b"ASIA",
    b"ABIA",
    b"ACCA",
    b"-----",
    b"sha1-",
    b"sha256",
    b"sha384",
    b"sha512",
    b"md5",
    b"vault:",
    b"arn:",
    b"secret/",
    b"projects/",
    b"xai-",
    b"gsk_",
    b"hf_",
    b"api_org_",
    b"pplx-",
    b"r8_",
    b"fw_",
    b"npm_",
    b"pypi-",
    b"SG.",
    b"syt_",
    b"eyJ",
];

/// Is `v` a plausible hard-coded secret literal (not a reference, placeholder,
/// mask, identifier, hash prefix, UUID or low-entropy string)?
pub(crate) fn generic_value_ok(v: &[u8]) -> bool {
    generic_value_ok_min(v, VALUE_MIN)
}

fn generic_value_ok_min(v: &[u8], min: usize) -> bool {
    if v.len() < min || v.len() > VALUE_MAX {
        return false;
    }
    if !v.iter().all(|&c| (0x21..0x7f).contains(&c)) {
        return false; // whitespace, control or non-ASCII bytes
    }
    if matches!(v[0], b'$' | b'%' | b'{' | b'<' | b'[' | b'(' | b'@' | b'#') {
        return false; // ${VAR}, %(name)s, {{ tmpl }}, <your-key>, [REDACTED], #{ref}
    }
    let c = classes(v);
    if c.digit == 0 || c.upper + c.lower == 0 {
        return false;
    }
    // the name of another credential (`DB_PASSWORD_2`, `API_KEY_V2`): a
    // name in a list or a reference, not its value
    if c.lower == 0 && v.contains(&b'_') && key_names_credential(v) {
        return false;
    }
    if v.len() < 16 && (c.upper == 0 || c.lower == 0) && c.other == 0 {
        return false;
    }
    // Dotted identifiers / module paths (`config.auth.v2`) are not secrets.
    if c.other > 0
        && v.iter().filter(|&&x| x == b'.').count() >= 2
        && c.digit * 4 < v.len()
        && c.upper == 0
    {
        return false;
    }
    let stars = v.iter().filter(|&&c| c == b'*').count();
    if stars * 4 > v.len() || memchr::memmem::find(v, b"**").is_some() {
        return false;
    }
    if is_uuid(v) || is_sequential(v) {
        return false;
    }
    let min_h = if v.len() < 16 { 2.8 } else { 3.0 };
    if shannon(v) < min_h {
        return false;
    }
    if FAMILY_PREFIXES
        .iter()
        .any(|p| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p))
    {
        return false;
    }
    // `sk-` and `EAA` (no family owns every key with them): a token's body
    // after the prefix, or nothing (`sk-@@placeholder@@`, `sk-your key`)
    if (v.starts_with(b"sk-") || v.starts_with(b"EAA"))
        && !(v.len() >= 23 && v[3..].iter().all(|&c| is_urlsafe(c)))
    {
        return false;
    }
    if memchr::memmem::find(v, b"://").is_some()
        || is_path_like(v)
        || is_slug(v)
        || looks_like_regex(v)
        || is_encrypted_or_hashed(v)
        || has_version(v)
        || is_dictionary_phrase(v)
        || is_encoded_prose(v)
    {
        return false;
    }
    !has_placeholder(v) && !is_known_public(v)
}

/// Values published on purpose that look like keys, by SHA-256 (so that
/// the values themselves are not in this source): Yarn Berry's Algolia
/// search-only key, bundled in every committed `.yarn/releases/yarn-*.cjs`.
fn is_known_public(v: &[u8]) -> bool {
    const KNOWN: &[(usize, &str)] = &[(
        32,
        "2f21fd9c81678e396751af8b2472e2bd209ff5ce38da144052fb6c024485982f",
    )];
    KNOWN.iter().any(|&(len, hash)| {
        v.len() == len && {
            use sha2::Digest;
            let d = sha2::Sha256::digest(v);
            d.iter().map(|b| format!("{b:02x}")).collect::<String>() == hash
        }
    })
}

/// Made of demo words once leetspeak is undone (`s3cr3t-t0ken`,
/// `MyP@ssw0rd123`, `supersecret_key_2`): a sample, not a generated secret.
pub(crate) fn is_dictionary_phrase(v: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"secret",
        b"token",
        b"password",
        b"passwd",
        b"pass",
        b"word",
        b"my",
        b"your",
        b"super",
        b"test",
        b"testing",
        b"key",
        b"api",
        b"admin",
        b"demo",
        b"dummy",
        b"sample",
        b"foo",
        b"bar",
        b"baz",
        b"qwerty",
        b"letmein",
        b"hunter",
        b"hello",
        b"world",
        b"changeme",
        b"default",
        b"user",
        b"root",
        b"access",
        b"auth",
        b"local",
        b"dev",
        b"very",
        b"top",
        b"not",
        b"real",
        b"fake",
        b"mock",
        b"example",
        b"the",
        b"a",
        b"s",
        b"value",
    ];
    let mut lc = [0u8; 64];
    let mut n = 0;
    let filler = |c: &u8| c.is_ascii_digit() || b"-_.!#*".contains(c);
    let lead = v.iter().take_while(|c| filler(c)).count();
    let trail = v[lead..].iter().rev().take_while(|c| filler(c)).count();
    for &c in &v[lead..v.len() - trail] {
        let d = match c.to_ascii_lowercase() {
            b'3' => b'e',
            b'0' => b'o',
            b'1' | b'!' => b'i',
            b'4' | b'@' => b'a',
            b'5' | b'$' => b's',
            b'7' => b't',
            c if c.is_ascii_lowercase() => c,
            c if c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.' | b'#' | b'*') => continue,
            _ => return false,
        };
        if n == lc.len() {
            return false;
        }
        lc[n] = d;
        n += 1;
    }
    if n < 4 {
        return false;
    }
    // can lc[..n] be split into WORDS (also `1` read as `l`)?
    let w = &lc[..n];
    let mut ok = [false; 65];
    ok[0] = true;
    for i in 0..n {
        if !ok[i] {
            continue;
        }
        for word in WORDS {
            let k = word.len();
            if i + k <= n
                && w[i..i + k]
                    .iter()
                    .zip(word.iter())
                    .all(|(a, b)| a == b || (*a == b'i' && *b == b'l'))
            {
                ok[i + k] = true;
            }
        }
    }
    ok[n]
}

/// Base64 of plain text (`bm90IG15IHJlYWwgcGFzc3dvcmQ=` is "not my real
/// password"): prose in disguise, not key material.
fn is_encoded_prose(v: &[u8]) -> bool {
    if v.len() < 16 || !v.iter().all(|&c| is_b64(c) || c == b'=') {
        return false;
    }
    let mut dec = Vec::with_capacity(v.len());
    if !super::families::b64_decode(v, &mut dec) || dec.len() < 8 {
        return false;
    }
    let spaces = dec.iter().filter(|&&c| c == b' ').count();
    spaces >= 2
        && dec.iter().all(|&c| {
            (0x20..0x7f).contains(&c) && (c.is_ascii_alphanumeric() || b" .,'!?-".contains(&c))
        })
}

/// Values that are protected or one-way already: SOPS/Jasypt/Ansible/KMS
/// ciphertexts, Fernet tokens, sealed secrets, password hashes.
fn is_encrypted_or_hashed(v: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[
        b"enc[",
        b"enc(",
        b"enc:",
        b"encrypted:",
        b"cipher:",
        b"kms:",
        b"aqicah",
        b"gaaaaa",
        b"{ssha}",
        b"{sha}",
        b"{bcrypt}",
        b"{noop}",
        b"pbkdf2",
        b"scrypt:",
        b"argon2",
        b"!vault",
    ];
    PREFIXES
        .iter()
        .any(|p| v.len() > p.len() && v[..p.len()].eq_ignore_ascii_case(p))
        || (v.len() > 200
            && (v.starts_with(b"AgA") || v.starts_with(b"AgB") || v.starts_with(b"AgC")))
}

/// `8.15.13`, `v1.2.3`: a version or a dependency coordinate.
fn has_version(v: &[u8]) -> bool {
    v.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1] == b'.'
            && w[2].is_ascii_digit()
            && (w[3] == b'.' || (w[3].is_ascii_digit() && w[4] == b'.'))
    })
}

/// An unquoted value in a config file: not a number (`0x1f`, `-2147`), a
/// code path (`super::x`, `crate::T`), a private identifier (`_bindgen_ty_7`)
/// or an arrow/reference.
fn unquoted_value_ok(v: &[u8]) -> bool {
    if v.is_empty() {
        return false;
    }
    let num = |x: &[u8]| {
        let x = x.strip_prefix(b"-").unwrap_or(x);
        x.iter().all(u8::is_ascii_digit)
            || ((x.starts_with(b"0x") || x.starts_with(b"0X"))
                && x[2..].iter().all(|c| c.is_ascii_hexdigit() || *c == b'_'))
    };
    !(num(v)
        || v[0] == b'_'
        || v[0] == b'&'
        || v[0] == b'*'
        || memchr::memmem::find(v, b"::").is_some()
        || memchr::memmem::find(v, b"->").is_some())
}

/// `/etc/app/secret.txt`, `./certs/key2.pem`, `~/.ssh/id_rsa`: file paths,
/// told from base64 (which may also start with `/`) by mostly-lowercase letters.
fn is_path_like(v: &[u8]) -> bool {
    if !(v[0] == b'/' || v.starts_with(b"./") || v.starts_with(b"~/") || v.starts_with(b"../")) {
        return false;
    }
    let slashes = v.iter().filter(|&&c| c == b'/').count();
    let c = classes(v);
    slashes >= 2
        && c.lower >= 4 * c.upper.max(1)
        && v.iter().all(|&c| is_urlsafe(c) || c == b'/' || c == b'.')
}

/// Lower-case words joined by separators (`bert-base-uncased-v2`,
/// `my_service_token_2024`): names, not secrets.
fn is_slug(v: &[u8]) -> bool {
    if v.iter().any(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let sep = |c: u8| matches!(c, b'-' | b'_' | b'.' | b'/' | b'|' | b':' | b',');
    let seps = v.iter().filter(|&&c| sep(c)).count();
    if seps < 2 {
        return false;
    }
    let (mut words, mut segs) = (0, 0);
    for seg in v.split(|&c| sep(c)) {
        if seg.is_empty() {
            continue;
        }
        segs += 1;
        if seg.len() >= 3 && seg.iter().all(u8::is_ascii_lowercase) {
            words += 1;
        }
    }
    words * 2 >= segs
}

fn looks_like_regex(v: &[u8]) -> bool {
    [
        &b"(?"[..],
        b".*",
        b"\\d",
        b"\\w",
        b"[A-Z",
        b"[a-z",
        b"[0-9",
        b"{8,",
        b"{12,",
    ]
    .iter()
    .any(|p| memchr::memmem::find(v, p).is_some())
}

/// A keyword (`secret`, `password`, `token`, `api_key`, …) at `ks..ke`.
pub(crate) fn keyword(b: &[u8], ks: usize, ke: usize, st: &mut State, out: &mut Vec<Cand>) {
    if ks < st.ident_end {
        return;
    }
    let len = b.len();
    let lim_a = ks.saturating_sub(IDENT_CAP);
    let mut a = ks;
    while a > lim_a && is_ident(b[a - 1]) {
        a -= 1;
    }
    let lim_z = (ke + IDENT_CAP).min(len);
    let mut z = ke;
    while z < lim_z && is_ident(b[z]) {
        z += 1;
    }
    st.ident_end = z;
    if (z == lim_z && z < len) || (a == lim_a && a > 0 && is_ident(b[a - 1])) {
        return; // part of a long run (base64 blob, minified code): not a name
    }
    while z > ke && matches!(b[z - 1], b'.' | b'-') {
        z -= 1;
    }
    let ident = &b[a..z];
    // `new NetworkCredential("user", "…")`, `BasicAWSCredentials("…", "…")`
    if byte_at(b, z) == b'(' && (ident.ends_with(b"Credential") || ident.ends_with(b"Credentials"))
    {
        credential_ctor(b, z + 1, out);
        return;
    }
    // The key's last segment must name a credential: `DB_PASSWORD`, not
    // `DB_PASSWORD_FILE`, `tokenUrl`, `token_start`, `tokenizer`.
    if !key_names_credential(ident) {
        return;
    }
    st.ctx_hits.push(a);
    // Part of a URL, path or e-mail (`jdbc:postgresql://token.payment.org`),
    // or of an interpolation (`${DB_PASSWORD}`, `$(TOKEN)`).
    let pb = prev_byte(b, a);
    if matches!(pb, b'/' | b'@') {
        return;
    }
    // A qualified type or path (`AWS::IAM::AccessKey`, `Self::TOKEN`), not a variable
    if pb == b':' && a >= 2 && b[a - 2] == b':' {
        return;
    }
    let key_in_string = matches!(pb, b'"' | b'\'' | b'`');
    let aws_ctx = is_aws_secret_name(ident);
    // the name of a `name`/`value` pair (a Kubernetes `env` entry, an ECS or
    // CloudFormation `{"name": "DB_PASSWORD", "value": "…"}`): the value
    // is the pair's `value`
    if name_key_before(b, a) {
        let after = if key_in_string && byte_at(b, z) == pb {
            z + 1
        } else {
            z
        };
        if let Some((vs, ve)) = pair_value(b, after) {
            if generic_value_ok(&b[vs..ve]) {
                out.push(Family::Generic.cand(vs, ve));
            }
        }
        return;
    }

    // --- separator -----------------------------------------------------
    let mut p = z;
    let key_quoted = match quote_at(b, p) {
        Some((_, l)) => {
            p += l;
            true
        }
        None => false,
    };
    if byte_at(b, p) == b']' {
        p += 1; // x["password"] = …
    }
    let before_ws = p;
    p = skip_ws(b, p, 16);
    #[derive(PartialEq)]
    enum Sep {
        Assign,
        Comma,
        Space,
    }
    if key_quoted
        && p > before_ws
        && b.len() - p >= 6
        && b[p..p + 6].eq_ignore_ascii_case(b"value=")
    {
        p += 5; // <add key="ApiKey" value="…" />
    }
    let flag = a + 1 < z
        && b[a] == b'-'
        && (b[a + 1] == b'-' || a == 0 || matches!(b[a - 1], b' ' | b'\t'));
    // `<apiToken>value</apiToken>`, also with the value on its own line
    if pb == b'<' && byte_at(b, z) == b'>' {
        xml_element(b, a, z, out);
        return;
    }
    let sep = match byte_at(b, p) {
        b'!' => return,
        b'?' | b'+' | b'.' if byte_at(b, p + 1) == b'=' => {
            p += 2; // Makefile `?=` / `+=`, PHP `.=`
            Sep::Assign
        }
        b'=' => {
            if byte_at(b, p + 1) == b'=' {
                return;
            }
            p += if byte_at(b, p + 1) == b'>' { 2 } else { 1 };
            Sep::Assign
        }
        b':' => {
            if byte_at(b, p + 1) == b':' {
                // Makefile `::=` / `:::=`; otherwise a path (`Self::TOKEN`)
                let mut q = p;
                while q < p + 3 && byte_at(b, q) == b':' {
                    q += 1;
                }
                if byte_at(b, q) != b'=' || byte_at(b, q + 1) == b'=' {
                    return;
                }
                p = q + 1;
            } else if byte_at(b, p + 1) == b'=' {
                p += 2;
            } else {
                // `"com.token:monitor:8.15.13"`: a colon inside a string
                if key_in_string && !key_quoted {
                    return;
                }
                // `key: value` (YAML) / `{key:"v"}` (JS), not `token:monitor`
                if !key_quoted
                    && !matches!(
                        byte_at(b, p + 1),
                        b' ' | b'\t' | b'"' | b'\'' | b'`' | b'\\'
                    )
                {
                    return;
                }
                p += 1;
            }
            p = skip_type_annotation(b, p);
            Sep::Assign
        }
        b',' if key_quoted => {
            p += 1;
            Sep::Comma
        }
        b',' | b')' if !key_quoted => {
            sql_values(b, a, p, out);
            return;
        }
        _ if p > before_ws => match typed_declaration(b, p) {
            // Go `var apiToken string = "…"`
            Some(after) => {
                p = after;
                Sep::Assign
            }
            None => Sep::Space,
        },
        _ => return,
    };
    p = skip_ws(b, p, 16);

    // --- value ----------------------------------------------------------
    let (vs, ve) = match quote_at(b, p) {
        Some((q, l)) => {
            let vs = p + l;
            let hi = (vs + VALUE_MAX + 1).min(len);
            let mut i = vs;
            let mut close = None;
            while i < hi {
                let c = b[i];
                if c == b'\n' || c == b'\r' {
                    break;
                }
                if c == q && (l == 1 || b[i - 1] == b'\\') {
                    close = Some(if l == 1 { i } else { i - 1 });
                    break;
                }
                i += 1;
            }
            let Some(ve) = close else {
                st.ident_end = st.ident_end.max(i); // unterminated: do not rescan it
                return;
            };
            (vs, ve)
        }
        None => {
            if sep != Sep::Assign && !(sep == Sep::Space && (aws_ctx || flag)) {
                return; // `token "x"`-style needs quotes; `, value` too
            }
            // In source code an unquoted value is an identifier, number, type
            // or call, unless the key is inside a string literal: a
            // connection string or a URL query
            // (`"Server=db;User ID=app;Password=…;"`, `"…?user=app&password=…"`).
            if st.syntax == Syntax::Code
                && !(sep == Sep::Assign && matches!(pb, b';' | b'?' | b'&') && in_string(b, a))
            {
                return;
            }
            let hi = (p + VALUE_MAX + 1).min(len);
            let mut i = p;
            while i < hi && !is_value_term(b[i]) {
                i += 1;
            }
            if i == hi && i < len {
                st.ident_end = st.ident_end.max(i); // too long to be a value: do not rescan it
                return;
            }
            if matches!(byte_at(b, i), b'(' | b'[') {
                return; // function call / indexing: `os.getenv(…)`, `os.environ[…]`
            }
            let mut ve = i;
            while ve > p && matches!(b[ve - 1], b'.' | b',' | b';') {
                ve -= 1;
            }
            if !unquoted_value_ok(&b[p..ve]) {
                return;
            }
            (p, ve)
        }
    };
    let v = &b[vs..ve];
    // `?token=` / `&token=` in a URL: short values are badge and cache keys
    if matches!(pb, b'?' | b'&') && v.len() < 16 {
        return;
    }
    if aws_ctx && aws_secret_ok(v) {
        out.push(Family::AwsSecret.cand(vs, ve));
    } else if generic_value_ok(v) {
        out.push(Family::Generic.cand(vs, ve));
    }
}

/// How far back [`in_string`] reads a line.
const LINE_BACK: usize = 1024;

/// Is `pos` inside a string literal that opened earlier on its line? The
/// quotes (`"`, `'`, `` ` ``, with backslash escapes) from the line's start
/// are paired; a line longer than [`LINE_BACK`] before `pos` is not read
/// (and says no).
fn in_string(b: &[u8], pos: usize) -> bool {
    let lo = pos.saturating_sub(LINE_BACK);
    let start = match memchr::memrchr2(b'\n', b'\r', &b[lo..pos]) {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return false,
    };
    let mut open: Option<u8> = None;
    let mut i = start;
    while i < pos {
        let c = b[i];
        match open {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => open = None,
            None if matches!(c, b'"' | b'\'' | b'`') => open = Some(c),
            _ => {}
        }
        i += 1;
    }
    open.is_some()
}

#[inline]
fn is_value_term(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'"'
            | b'\''
            | b'`'
            | b','
            | b';'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'<'
            | b'>'
            | b'&'
            | b'\\'
            | 0
    )
}

/// `aws_secret_access_key`, `AWS_SECRET`, `awsSecretAccessKey`, `SecretAccessKey`, …
fn is_aws_secret_name(ident: &[u8]) -> bool {
    let mut norm = [0u8; 2 * IDENT_CAP + 8];
    let mut n = 0;
    for &c in ident {
        if c.is_ascii_alphanumeric() && n < norm.len() {
            norm[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    let norm = &norm[..n];
    memchr::memmem::find(norm, b"awssecret").is_some()
        || memchr::memmem::find(norm, b"secretaccesskey").is_some()
}

/// After `name `, a type and `=` as in Go's `var name string = "…"`
/// (`string`, `[]byte`, `*string`): the position after the `=`.
fn typed_declaration(b: &[u8], p: usize) -> Option<usize> {
    let hi = (p + 32).min(b.len());
    let mut i = p;
    while i < hi
        && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'*' | b'[' | b']'))
    {
        i += 1;
    }
    if i == p || !b[p..i].iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    let q = skip_ws(b, i, 8);
    (q > i && byte_at(b, q) == b'=' && !matches!(byte_at(b, q + 1), b'=' | b'>')).then_some(q + 1)
}

/// `<apiToken>value</apiToken>` (the key at `a..z`, after `<` and before
/// `>`), the value on the same line or alone on the next one.
fn xml_element(b: &[u8], a: usize, z: usize, out: &mut Vec<Cand>) {
    let name = &b[a..z];
    let mut vs = z + 1;
    let hi = (vs + 64).min(b.len());
    while vs < hi && matches!(b[vs], b' ' | b'\t' | b'\r' | b'\n') {
        vs += 1;
    }
    let hi = (vs + VALUE_MAX + 1).min(b.len());
    let mut ve = vs;
    while ve < hi && !matches!(b[ve], b'<' | b' ' | b'\t' | b'\r' | b'\n') {
        ve += 1;
    }
    let mut q = ve;
    let qhi = (q + 64).min(b.len());
    while q < qhi && matches!(b[q], b' ' | b'\t' | b'\r' | b'\n') {
        q += 1;
    }
    let close = q + 2 + name.len();
    if close < b.len()
        && &b[q..q + 2] == b"</"
        && &b[q + 2..close] == name
        && b[close] == b'>'
        && generic_value_ok(&b[vs..ve])
    {
        out.push(Family::Generic.cand(vs, ve));
    }
}

/// After `name:`, skip a type annotation that is followed by `=`
/// (`const KEY: &str = "…"`, `let key: String = "…"`, `apiKey: string = "…"`).
fn skip_type_annotation(b: &[u8], p: usize) -> usize {
    let q = skip_ws(b, p, 8);
    if quote_at(b, q).is_some() {
        return p;
    }
    let hi = (q + 48).min(b.len());
    let mut i = q;
    while i < hi
        && (b[i].is_ascii_alphanumeric()
            || matches!(
                b[i],
                b'_' | b'&' | b'\'' | b'<' | b'>' | b'[' | b']' | b':' | b' ' | b'?'
            ))
    {
        i += 1;
    }
    if i > q && i < hi && b[i] == b'=' && byte_at(b, i + 1) != b'=' && byte_at(b, i + 1) != b'>' {
        let ty = &b[q..i];
        // A type is short words; a YAML value would not be followed by `=`.
        if ty.iter().filter(|&&c| c == b' ').count() <= 3 {
            return i + 1;
        }
    }
    p
}

/// `INSERT INTO t (name, api_token) VALUES ('x', '…')`: the keyword is a
/// column; check the literal at the same position in the VALUES tuple.
fn sql_values(b: &[u8], ident_start: usize, after: usize, out: &mut Vec<Cand>) {
    // Column list start: '(' on the same line, only names/commas/spaces between.
    let lo = ident_start.saturating_sub(256);
    let mut i = ident_start;
    let mut col = 0usize;
    loop {
        if i <= lo {
            return;
        }
        i -= 1;
        match b[i] {
            b'(' => break,
            b',' => col += 1,
            c if is_ident(c) || matches!(c, b' ' | b'\t' | b'"' | b'`') => {}
            _ => return,
        }
    }
    // End of the column list.
    let hi = (after + 256).min(b.len());
    let Some(close) = memchr::memchr(b')', &b[after..hi]).map(|j| after + j) else {
        return;
    };
    let mut p = skip_ws(b, close + 1, 8);
    if !(p + 6 <= b.len() && b[p..p + 6].eq_ignore_ascii_case(b"VALUES")) {
        return;
    }
    p = skip_ws(b, p + 6, 8);
    if byte_at(b, p) != b'(' {
        return;
    }
    p += 1;
    // Walk the tuple to the col-th literal.
    let hi = (p + 1024).min(b.len());
    let mut idx = 0usize;
    while p < hi {
        p = skip_ws(b, p, 8);
        let (vs, ve, next) = if byte_at(b, p) == b'\'' || byte_at(b, p) == b'"' {
            let q = b[p];
            let Some(j) = memchr::memchr(q, &b[p + 1..hi]) else {
                return;
            };
            (p + 1, p + 1 + j, p + 2 + j)
        } else {
            let mut j = p;
            while j < hi && b[j] != b',' && b[j] != b')' && b[j] != b'\n' {
                j += 1;
            }
            (p, j, j)
        };
        if idx == col {
            if generic_value_ok(&b[vs..ve]) {
                out.push(Family::Generic.cand(vs, ve));
            }
            return;
        }
        p = skip_ws(b, next, 8);
        if byte_at(b, p) != b',' {
            return;
        }
        p += 1;
        idx += 1;
    }
}

/// `Bearer <token>`.
pub(crate) fn bearer(b: &[u8], s: usize, e: usize, out: &mut Vec<Cand>) {
    if prev_byte(b, s).is_ascii_alphanumeric() || byte_at(b, e) != b' ' {
        return;
    }
    let p = skip_ws(b, e, 8);
    let hi = (p + 2048).min(b.len());
    let tok = |c: u8| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-' | b'!' | b'*' | b'^'
            )
    };
    let mut i = p;
    while i < hi && tok(b[i]) {
        i += 1;
    }
    if i == hi && i < b.len() {
        return;
    }
    let v = &b[p..i];
    if v.len() >= 16 && generic_value_ok(v) {
        out.push(Family::Generic.cand(p, i));
    }
}

/// `Basic <base64>` (an HTTP `Authorization` header, a docker or npm
/// `auth`): the token when it decodes to `user:password` with a password
/// that reads as a secret (not `user:password`, not a placeholder).
pub(crate) fn basic(b: &[u8], s: usize, e: usize, out: &mut Vec<Cand>) {
    if prev_byte(b, s).is_ascii_alphanumeric() {
        return;
    }
    let p = skip_ws(b, e, 8);
    let hi = (p + 1024).min(b.len());
    let mut i = p;
    while i < hi && (is_b64(b[i]) || b[i] == b'=') {
        i += 1;
    }
    if i == hi && i < b.len() || i - p < 12 || is_alnum(byte_at(b, i)) {
        return;
    }
    use base64::Engine;
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&b[p..i]) else {
        return;
    };
    let Some(colon) = decoded.iter().position(|&c| c == b':') else {
        return;
    };
    let (user, pw) = (&decoded[..colon], &decoded[colon + 1..]);
    let printable = |t: &[u8]| t.iter().all(|c| c.is_ascii_graphic());
    if !user.is_empty() && printable(user) && printable(pw) && generic_value_ok_min(pw, 8) {
        out.push(Family::Generic.cand(p, i));
    }
}

/// `curl -u user:password` (or `--user`, `--user=`, `-uuser:password`) on
/// the line of a `curl`: the password, when it reads as a secret.
pub(crate) fn curl_user(b: &[u8], s: usize, e: usize, out: &mut Vec<Cand>) {
    if prev_byte(b, s).is_ascii_alphanumeric() {
        return;
    }
    let line_end = (e..b.len().min(e + 2048))
        .find(|&i| b[i] == b'\n')
        .unwrap_or(b.len().min(e + 2048));
    let line = &b[e..line_end];
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let flag = [&b"--user="[..], b"--user ", b"-u "]
            .iter()
            .find(|f| rest.starts_with(f) && (at == 0 || line[at - 1] == b' '))
            .map(|f| f.len());
        let Some(n) = flag else {
            at += 1;
            continue;
        };
        let mut v = e + at + n;
        while v < line_end && b[v] == b' ' {
            v += 1;
        }
        let quote = matches!(byte_at(b, v), b'"' | b'\'').then(|| b[v]);
        if quote.is_some() {
            v += 1;
        }
        let end = (v..line_end)
            .find(|&i| match quote {
                Some(q) => b[i] == q,
                None => b[i] == b' ' || b[i] == b'\t',
            })
            .unwrap_or(line_end);
        if let Some(colon) = b[v..end].iter().position(|&c| c == b':') {
            let pw = v + colon + 1;
            if colon > 0 && generic_value_ok_min(&b[pw..end], 8) {
                out.push(Family::Generic.cand(pw, end));
            }
        }
        return;
    }
}

/// Whether the identifier at `a` is the value of a `name` key (`name: X`,
/// `- name: X`, `"name": "X"`, `Name: 'X'`).
fn name_key_before(b: &[u8], a: usize) -> bool {
    let mut i = a;
    if i > 0 && matches!(b[i - 1], b'"' | b'\'') {
        i -= 1;
    }
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') && a - i < 16 {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b':' {
        return false;
    }
    i -= 1;
    if i > 0 && matches!(b[i - 1], b'"' | b'\'') {
        i -= 1;
    }
    i >= 4
        && b[i - 4..i].eq_ignore_ascii_case(b"name")
        && (i == 4 || !(b[i - 5].is_ascii_alphanumeric() || b[i - 5] == b'_'))
}

/// The value of the `value` key that follows a pair's name at `z`: in the
/// same object, within two lines and 256 bytes (a quoted string, or a plain
/// scalar to the end of its line).
fn pair_value(b: &[u8], z: usize) -> Option<(usize, usize)> {
    let hi = (z + 256).min(b.len());
    let mut lines = 0;
    let mut i = z;
    while i + 5 <= hi {
        match b[i] {
            b'{' | b'}' | b'[' | b']' => return None,
            b'\n' => {
                lines += 1;
                if lines > 2 {
                    return None;
                }
            }
            _ => {}
        }
        if b[i..i + 5].eq_ignore_ascii_case(b"value")
            && !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
            && !(byte_at(b, i + 5).is_ascii_alphanumeric() || byte_at(b, i + 5) == b'_')
        {
            let mut p = i + 5;
            if matches!(byte_at(b, p), b'"' | b'\'') {
                p += 1;
            }
            p = skip_ws(b, p, 8);
            if byte_at(b, p) != b':' {
                return None;
            }
            p = skip_ws(b, p + 1, 8);
            if let Some((vs, ve)) = literal_at(b, p) {
                return Some((vs, ve));
            }
            let end = (p..(p + VALUE_MAX).min(b.len()))
                .find(|&j| matches!(b[j], b'\n' | b'\r' | b',' | b'}' | b' ' | b'\t' | b'#'))
                .unwrap_or((p + VALUE_MAX).min(b.len()));
            return (end > p).then_some((p, end));
        }
        i += 1;
    }
    None
}

/// A quoted string literal starting at `p` (after optional spaces) on the
/// same line: returns its content bounds.
fn literal_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    let p = skip_ws(b, p, 16);
    let (q, l) = quote_at(b, p)?;
    if l != 1 {
        return None;
    }
    let vs = p + 1;
    let hi = (vs + VALUE_MAX).min(b.len());
    let i = vs + b[vs..hi].iter().position(|&c| c == q || c == b'\n')?;
    (b[i] == q).then_some((vs, i))
}

/// `new NetworkCredential("user", "…")`, `PSCredential("user", …)`,
/// `BasicAWSCredentials("…", "…")`: the password / secret is the second
/// argument when it is a literal.
pub(crate) fn credential_ctor(b: &[u8], e: usize, out: &mut Vec<Cand>) {
    // first argument: a literal or a simple expression, up to the comma
    let hi = (e + 256).min(b.len());
    let Some(comma) = b[e..hi]
        .iter()
        .position(|&c| c == b',' || c == b')' || c == b'\n')
    else {
        return;
    };
    let comma = e + comma;
    if b[comma] != b',' {
        return;
    }
    if let Some((vs, ve)) = literal_at(b, comma + 1) {
        let after = skip_ws(b, ve + 1, 8);
        if matches!(byte_at(b, after), b')' | b',') && generic_value_ok_min(&b[vs..ve], 8) {
            out.push(Family::Generic.cand(vs, ve));
        }
    }
}

/// `ConvertTo-SecureString "…" -AsPlainText -Force` (PowerShell): the
/// literal is a plaintext password.
pub(crate) fn secure_string(b: &[u8], e: usize, out: &mut Vec<Cand>) {
    let mut p = skip_ws(b, e, 8);
    if b.len() - p >= 7 && b[p..p + 7].eq_ignore_ascii_case(b"-String") {
        p += 7;
    }
    let Some((vs, ve)) = literal_at(b, p) else {
        return;
    };
    let line_end = (ve + 128).min(b.len());
    let rest = &b[ve..line_end];
    let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let plain = rest
        .windows(12)
        .any(|w| w.eq_ignore_ascii_case(b"-AsPlainText"));
    if plain && generic_value_ok_min(&b[vs..ve], 8) {
        out.push(Family::Generic.cand(vs, ve));
    }
}
