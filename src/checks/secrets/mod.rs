//! Hard-coded secret scanner (rules OC301–OC311).
//!
//! Design: one Aho-Corasick pass over the whole buffer finds *anchors*
//! (token prefixes such as `sk-`, `AKIA`, `ghp_`, `-----BEGIN`, and
//! context keywords such as `password`, `secret`, `token`, `api_key`,
//! `Bearer` in their common spellings). Each anchor is then verified on a
//! bounded window starting at the anchor (regex shape, boundaries, entropy,
//! placeholder/sequence checks, checksums). Work per anchor is capped, so the
//! scan is linear in the input even for a single huge line; nothing is
//! allocated per line. Overlapping findings are de-duplicated, keeping the
//! more specific family.
//!
//! Dependencies: `aho-corasick`, `regex` (bytes API), `memchr`, `sha2`.

mod detect;
pub(crate) mod families;
pub(crate) mod generic;
mod pem;
mod util;

pub use generic::Syntax;

/// Shannon entropy of `b`, in bits per byte.
pub fn entropy(b: &[u8]) -> f64 {
    util::shannon(b)
}

pub use crate::redact::redact;
pub use crate::rules::secrets::{rules, SecretRule};

use aho_corasick::{AhoCorasick, MatchKind};
use sha2::{Digest, Sha256};

/// One finding. Holds the location and a redacted form, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretMatch {
    /// Rule id, `"OC301"` …
    pub rule: &'static str,
    /// Family name, e.g. `"openai"`, `"aws_access_key_id"`, `"generic"`.
    pub family: &'static str,
    /// Byte offset of the secret value (for PEM: the `-----BEGIN`).
    pub start: usize,
    /// Byte offset one past the end of the secret.
    pub end: usize,
    /// Short prefix + length, e.g. `sk-proj-Ab…[164 chars]`.
    pub redacted: String,
    /// `sha256:` + hex of the first 16 bytes of SHA-256(value).
    pub fingerprint: String,
}

/// Secret families, in rule order (OC301 = `OpenAi` … OC311 = `Generic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    OpenAi = 0,
    Anthropic,
    AwsKeyId,
    AwsSecret,
    Github,
    Google,
    Slack,
    Stripe,
    Vault,
    PrivateKey,
    Generic,
}

impl Family {
    /// Higher wins when two findings overlap.
    fn priority(self) -> u8 {
        match self {
            Family::Generic => 0,
            Family::OpenAi => 1,
            _ => 2,
        }
    }
    pub(crate) fn cand(self, start: usize, end: usize) -> Cand {
        Cand {
            rule: self as u16,
            prio: self.priority(),
            start,
            end,
        }
    }
}

/// A verified candidate before de-duplication.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    /// Index into [`rules()`].
    pub(crate) rule: u16,
    /// Higher wins when two findings overlap.
    pub(crate) prio: u8,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Clone, Copy, Debug)]
enum Anchor {
    Sk,
    AwsId,
    GhClassic,
    GhPat,
    Google,
    Slack,
    Stripe,
    Vault,
    Pem,
    Keyword,
    Bearer,
    B64Pem,
    SecureString,
    Basic,
    CurlUser,
}

/// Case-sensitive anchors. Keywords are listed in their common spellings
/// (lower, UPPER, Capitalized, camelCase) rather than matched ASCII
/// case-insensitively: that keeps the SIMD (Teddy) prefilter of
/// `aho-corasick`, about 4x faster than a case-insensitive automaton.
const ANCHORS: &[(&str, Anchor)] = &[
    ("sk-", Anchor::Sk),
    ("AKIA", Anchor::AwsId),
    ("ASIA", Anchor::AwsId),
    ("ABIA", Anchor::AwsId),
    ("ACCA", Anchor::AwsId),
    ("ghp_", Anchor::GhClassic),
    ("gho_", Anchor::GhClassic),
    ("ghu_", Anchor::GhClassic),
    ("ghs_", Anchor::GhClassic),
    ("ghr_", Anchor::GhClassic),
    ("github_pat_", Anchor::GhPat),
    ("AIza", Anchor::Google),
    ("xox", Anchor::Slack),
    ("xapp-", Anchor::Slack),
    ("k_live_", Anchor::Stripe),
    ("hvs.", Anchor::Vault),
    ("hvb.", Anchor::Vault),
    ("hvr.", Anchor::Vault),
    ("-----BEGIN ", Anchor::Pem),
    // Keywords: a distinctive part is enough, the verifier reads the
    // whole identifier around it (`ecret` finds `secret` and `Secret`).
    ("ecret", Anchor::Keyword),
    ("ECRET", Anchor::Keyword),
    ("assw", Anchor::Keyword),
    ("ASSW", Anchor::Keyword),
    ("pwd", Anchor::Keyword),
    ("PWD", Anchor::Keyword),
    ("oken", Anchor::Keyword),
    ("OKEN", Anchor::Keyword),
    ("pikey", Anchor::Keyword),
    ("PIKEY", Anchor::Keyword),
    ("PI-KEY", Anchor::Keyword),
    ("redential", Anchor::Keyword),
    ("REDENTIAL", Anchor::Keyword),
    // any `…_KEY`, `…Key`, `….key`, `…-key` and `…PASS`: the verifier
    // reads the whole name and takes it only when it names a credential
    // (`API_KEY`, `OPENAI_KEY`, `ENCRYPTION_KEY`, `AccountKey`,
    // `openai.api.key`, `ADMIN_PASS`; not `cache_key`, `KeyError`, `bypass`)
    ("_KEY", Anchor::Keyword),
    ("_key", Anchor::Keyword),
    ("Key", Anchor::Keyword),
    (".key", Anchor::Keyword),
    ("-key", Anchor::Keyword),
    ("PASS", Anchor::Keyword),
    ("pass", Anchor::Keyword),
    ("Pass", Anchor::Keyword),
    ("earer", Anchor::Bearer),
    ("EARER", Anchor::Bearer),
    ("LS0tLS1CRUdJTi", Anchor::B64Pem),
    ("ConvertTo-SecureString", Anchor::SecureString),
    ("Basic ", Anchor::Basic),
    ("curl ", Anchor::CurlUser),
];

/// What an anchor leads to: a built-in verifier (OC301–OC311) or a family
/// of the registry.
#[derive(Clone, Copy, Debug)]
enum Target {
    Builtin(Anchor),
    Family(u16),
}

/// The secret scanner. Build once (`Scanner::new`), share between threads.
pub struct Scanner {
    anchors: Anchors,
    targets: Vec<Target>,
    ctx: AhoCorasick,
    ctx_targets: Vec<u16>,
    re: detect::Regexes,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    /// Compiles the anchor automaton (the verification regexes compile on
    /// first use, see `detect::Lazy`).
    pub fn new() -> Scanner {
        debug_assert!(families::specs_ok());
        let mut pats: Vec<&str> = Vec::new();
        let mut targets = Vec::new();
        for (p, a) in ANCHORS {
            pats.push(p);
            targets.push(Target::Builtin(*a));
        }
        for (i, spec) in families::LIST.iter().enumerate() {
            for p in spec.anchors {
                pats.push(p);
                targets.push(Target::Family(families::FIRST + i as u16));
            }
        }
        let anchors = Anchors::new(&pats);
        // Context words of the families whose format is not distinctive
        // (and `vault` for legacy Vault tokens): case-insensitive, looked up
        // only on lines that hold a credential key or a family anchor.
        let mut words: Vec<&str> = vec!["vault"];
        let mut ctx_targets: Vec<u16> = vec![u16::MAX];
        for (i, spec) in families::LIST.iter().enumerate() {
            for w in spec.context {
                words.push(w);
                ctx_targets.push(families::FIRST + i as u16);
            }
        }
        let ctx = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .expect("context automaton");
        Scanner {
            anchors,
            targets,
            ctx,
            ctx_targets,
            re: detect::Regexes::new(),
        }
    }

    /// Runs the context families on each line (once) that holds one of
    /// `hits` (positions of credential keys and of the families' own anchors).
    fn context_pass(&self, bytes: &[u8], hits: &[usize], out: &mut Vec<Cand>) {
        let mut done = 0usize;
        for &pos in hits {
            if pos < done {
                continue;
            }
            let (lo, hi) = families::line_around(bytes, pos);
            done = hi.max(pos + 1);
            for m in self.ctx.find_iter(&bytes[lo..hi]) {
                let (s, e) = (lo + m.start(), lo + m.end());
                let rule = self.ctx_targets[m.pattern().as_usize()];
                if rule == u16::MAX {
                    detect::vault_legacy(bytes, s, e, out);
                    continue;
                }
                let spec = families::LIST[(rule - families::FIRST) as usize];
                let h = families::Hit {
                    b: bytes,
                    s,
                    e,
                    rule,
                    prio: spec.priority,
                };
                (families::VERIFY[(h.rule - families::FIRST) as usize])(&h, out);
            }
        }
    }

    /// Scan one file's bytes (any bytes: invalid UTF-8, NULs, Latin-1).
    /// Findings are sorted by `start`, one per secret. Without a file name
    /// the generic rule accepts unquoted values as in a config file; use
    /// [`Scanner::scan_path`] when the name is known.
    pub fn scan(&self, bytes: &[u8]) -> Vec<SecretMatch> {
        self.scan_as(bytes, Syntax::Unknown)
    }

    /// The secrets found in `text` (a file's name as shown), as written.
    pub fn secrets_in(&self, text: &str) -> Vec<String> {
        self.scan(text.as_bytes())
            .iter()
            .map(|m| String::from_utf8_lossy(&text.as_bytes()[m.start..m.end]).into_owned())
            .collect()
    }

    /// Scan one file's bytes, knowing its name: in source code the generic
    /// rule only takes quoted string literals as values.
    pub fn scan_path(&self, bytes: &[u8], path: &std::path::Path) -> Vec<SecretMatch> {
        self.scan_as(bytes, Syntax::of_path(path))
    }

    /// Scan with an explicit syntax.
    pub fn scan_as(&self, bytes: &[u8], syntax: Syntax) -> Vec<SecretMatch> {
        let mut cands: Vec<Cand> = Vec::new();
        let mut gstate = generic::State::new(syntax);
        let mut aws_near_done = 0usize;
        let re = &self.re;
        let mut hits = self.anchors.find_iter(bytes);
        while let Some((pat, s, e)) = hits.next_hit() {
            let out = &mut cands;
            let a = match self.targets[pat] {
                Target::Builtin(a) => a,
                Target::Family(rule) => {
                    let spec = families::LIST[(rule - families::FIRST) as usize];
                    if bytes[e..].starts_with(b"hooks.slack.com/services/") {
                        detect::slack_hook(re, bytes, e, out); // after `://`
                    }
                    if !spec.context.is_empty() {
                        gstate.ctx_hits.push(s); // `ohere`, `iscord`: check the line's context words
                        continue;
                    }
                    let h = families::Hit {
                        b: bytes,
                        s,
                        e,
                        rule,
                        prio: spec.priority,
                    };
                    (families::VERIFY[(h.rule - families::FIRST) as usize])(&h, out);
                    continue;
                }
            };
            match a {
                Anchor::Sk if bytes[s..].starts_with(b"sk-or-v1-") => {
                    let spec = families::LIST[(families::OPENROUTER - families::FIRST) as usize];
                    let h = families::Hit {
                        b: bytes,
                        s,
                        e: s + 9,
                        rule: families::OPENROUTER,
                        prio: spec.priority,
                    };
                    (families::VERIFY[(h.rule - families::FIRST) as usize])(&h, out);
                }
                Anchor::Sk => detect::sk(re, bytes, s, out),
                Anchor::AwsId => detect::aws_id(re, bytes, s, &mut aws_near_done, out),
                Anchor::GhClassic => detect::github_classic(re, bytes, s, out),
                Anchor::GhPat => detect::github_pat(re, bytes, s, out),
                Anchor::Google => detect::google(re, bytes, s, out),
                Anchor::Slack => detect::slack(re, bytes, s, out),
                Anchor::Stripe => {
                    if s > 0 && matches!(bytes[s - 1], b's' | b'r') {
                        detect::stripe(re, bytes, s - 1, out)
                    }
                }
                Anchor::Vault => detect::vault(re, bytes, s, out),
                Anchor::Pem => pem::private_key(re, bytes, s, out),
                Anchor::Keyword => generic::keyword(bytes, s, e, &mut gstate, out),
                Anchor::Bearer => {
                    if s > 0 && matches!(bytes[s - 1], b'b' | b'B') {
                        generic::bearer(bytes, s - 1, e, out)
                    }
                }
                Anchor::B64Pem => pem::base64_private_key(bytes, s, out),
                Anchor::SecureString => generic::secure_string(bytes, e, out),
                Anchor::Basic => generic::basic(bytes, s, e, out),
                Anchor::CurlUser => generic::curl_user(bytes, s, e, out),
            }
        }
        self.context_pass(bytes, &gstate.ctx_hits, &mut cands);
        finalize(bytes, cands)
    }
}

/// The anchor automaton, split by literal length so that each part keeps the
/// SIMD (Teddy) prefilter of `aho-corasick` with the longest fingerprints it
/// can: one automaton over all anchors has no Teddy at all (more than 64
/// literals). The literals of 4 bytes or more are one part with 4-byte
/// fingerprints (the "fat" variant: 16 buckets), the few 3-byte ones (`sk-`,
/// `://`, `eyJ` …) a part of their own. The streams of matches are merged
/// into exactly the matches of one leftmost-first automaton over all anchors
/// in their original order (see [`AnchorIter::next_hit`]).
///
/// Which literals share a Teddy bucket decides how often a position passes
/// the fingerprint test only to fail verification, and so most of the
/// search's cost: [`BUCKET_HINT`] groups the long anchors by the bytes of
/// their fingerprints, and [`teddy_order`] lists each part's literals so that
/// `aho-corasick` builds those buckets. Performance only: any order finds the
/// same matches (no anchor is a prefix of another, so no two match at the
/// same position).
struct Anchors {
    /// Each part with, per local pattern index, the index in the full list.
    parts: Vec<(AhoCorasick, Vec<usize>)>,
}

/// Literals shorter than this go to a part of their own.
const LONG_ANCHOR: usize = 4;
/// Most literals of one part: past 64, `aho-corasick` has no Teddy.
const TEDDY_MAX: usize = 64;
/// Most parts (bounds the per-scan state of [`AnchorIter`]).
const MAX_PARTS: usize = 4;

/// The long anchors grouped into the 16 buckets of the fat Teddy of their
/// part, chosen to pass few positions of source text that are no anchor
/// (greedy clustering on the 4-byte windows of the benchmark tree of
/// `bench/secrets.sh`; the long-anchor search went from 0.040 s to 0.018 s
/// of CPU on its 100 MB). Anchors missing here (a new family) still work and
/// take the free places of the layout.
const BUCKET_HINT: &[&[&str]] = &[
    &["AKIA", "ASIA", "ABIA", "redential", "REDENTIAL"],
    &["ACCA", "AIza", "xapp-", "xai-"],
    &["ghp_", "gho_", "ghu_", "ghs_"],
    &["ghr_", "gsk_", "syt_"],
    &["github_pat_"],
    &["k_live_", "ohere"],
    &["hvs.", "hvb.", "hvr.", "-----BEGIN ", "assw", "ASSW"],
    &["ecret", "ECRET", "earer", "EARER"],
    &["oken", "OKEN", "/api/webhooks/"],
    &["_KEY", "_key", ".key", "-key"],
    &["pikey", "PIKEY"],
    &["PI-KEY", "pypi-AgE"],
    &["PASS", "pass", "Pass"],
    &["LS0tLS1CRUdJTi", "pplx-"],
    &["ConvertTo-SecureString", "api_org_"],
    &["iscord", "npm_"],
];

/// The literals `ids` of one part in an order under which `aho-corasick`
/// (1.1) builds the buckets of [`BUCKET_HINT`]: its Teddy puts a literal
/// whose fingerprint has the low nybbles of an earlier one in that one's
/// bucket, and any other literal with index `i` in bucket `B - 1 - i % B`
/// (B = 16 buckets past 32 literals, else 8). So the first literal of each
/// such class of a hinted bucket goes to a position of that bucket's
/// residue; the others, and anchors the hint does not name, fill the rest.
fn teddy_order(pats: &[&str], ids: &[usize]) -> Vec<usize> {
    let nb = if ids.len() > 32 { 16 } else { 8 };
    let mask = ids.iter().map(|&i| pats[i].len()).min().unwrap_or(0).min(4);
    let key = |i: usize| -> Vec<u8> { pats[i].bytes().take(mask).map(|c| c & 15).collect() };
    // the hinted buckets of this part, each as its class leaders
    let mut buckets: Vec<Vec<usize>> = Vec::new();
    let mut classes: Vec<Vec<u8>> = Vec::new();
    let mut rest: Vec<usize> = Vec::new();
    for group in BUCKET_HINT {
        let mut leaders = Vec::new();
        for lit in *group {
            if let Some(&i) = ids.iter().find(|&&i| pats[i] == *lit) {
                let k = key(i);
                if classes.contains(&k) {
                    rest.push(i);
                } else {
                    classes.push(k);
                    leaders.push(i);
                }
            }
        }
        if !leaders.is_empty() {
            buckets.push(leaders);
        }
    }
    if buckets.len() > nb {
        return ids.to_vec();
    }
    let free: Vec<usize> = ids
        .iter()
        .copied()
        .filter(|i| !buckets.iter().flatten().chain(&rest).any(|j| j == i))
        .collect();
    rest.extend(free);
    // the buckets with most classes get the residues with most positions
    buckets.sort_by_key(|b| std::cmp::Reverse(b.len()));
    let mut by_bucket: Vec<Vec<usize>> = vec![Vec::new(); nb];
    for (r, b) in buckets.into_iter().enumerate() {
        by_bucket[nb - 1 - r] = b;
    }
    let mut out: Vec<usize> = Vec::with_capacity(ids.len());
    let mut placed: Vec<Vec<u8>> = Vec::new();
    for p in 0..ids.len() {
        let t = nb - 1 - p % nb;
        let i = if !by_bucket[t].is_empty() {
            by_bucket[t].remove(0)
        } else if let Some(j) = rest.iter().position(|&i| placed.contains(&key(i))) {
            rest.remove(j) // joins the bucket of its class
        } else if let Some(j) = rest.iter().position(|&i| !classes.contains(&key(i))) {
            rest.remove(j) // not hinted: any bucket
        } else {
            // only leaders of other buckets are left: one lands off its bucket
            let b = by_bucket
                .iter_mut()
                .find(|b| !b.is_empty())
                .expect("a literal is left");
            b.remove(0)
        };
        placed.push(key(i));
        out.push(i);
    }
    out
}

impl Anchors {
    fn new(pats: &[&str]) -> Anchors {
        let (long, short): (Vec<usize>, Vec<usize>) =
            (0..pats.len()).partition(|&i| pats[i].len() >= LONG_ANCHOR);
        // the long ones in parts of equal size, each within TEDDY_MAX
        let n = long.len().div_ceil(TEDDY_MAX).max(1);
        let size = long.len().div_ceil(n).max(1);
        let mut groups: Vec<Vec<usize>> = long.chunks(size).map(|g| teddy_order(pats, g)).collect();
        groups.push(short);
        groups.retain(|g| !g.is_empty());
        assert!(
            groups.len() <= MAX_PARTS && groups.iter().all(|g| g.len() <= TEDDY_MAX),
            "anchors do not fit the automaton parts"
        );
        let parts = groups
            .into_iter()
            .map(|ids| {
                let ac = AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(ids.iter().map(|&i| pats[i]))
                    .expect("anchor automaton");
                (ac, ids)
            })
            .collect();
        Anchors { parts }
    }

    fn find_iter<'a>(&'a self, bytes: &'a [u8]) -> AnchorIter<'a> {
        AnchorIter {
            a: self,
            bytes,
            pos: 0,
            next: [None; MAX_PARTS],
            stale: [true; MAX_PARTS],
        }
    }
}

/// Leftmost-first, non-overlapping anchor matches over all parts.
struct AnchorIter<'a> {
    a: &'a Anchors,
    bytes: &'a [u8],
    /// End of the last match reported: the next one starts at or after it.
    pos: usize,
    /// Per part: its leftmost-first match at or after the position it was
    /// searched from, as (anchor index, start, end).
    next: [Option<(usize, usize, usize)>; MAX_PARTS],
    /// Per part: `next` must be searched again (from `pos`).
    stale: [bool; MAX_PARTS],
}

impl AnchorIter<'_> {
    /// The next anchor match as (anchor index, start, end): the leftmost
    /// match starting at or after the previous match's end and, among the
    /// matches starting there, the anchor listed first, which is what one
    /// leftmost-first automaton over the whole list reports. A part's cached
    /// match is kept while it starts at or after `pos` (searching that part
    /// again from `pos` would find it again) and searched again otherwise.
    fn next_hit(&mut self) -> Option<(usize, usize, usize)> {
        if self.pos > self.bytes.len() {
            return None;
        }
        let mut best: Option<(usize, usize, usize)> = None;
        for (k, (ac, ids)) in self.a.parts.iter().enumerate() {
            if let Some((_, s, _)) = self.next[k] {
                if s < self.pos {
                    self.stale[k] = true;
                }
            }
            if self.stale[k] {
                self.stale[k] = false;
                let input = aho_corasick::Input::new(self.bytes).range(self.pos..);
                self.next[k] = ac
                    .find(input)
                    .map(|m| (ids[m.pattern().as_usize()], m.start(), m.end()));
            }
            if let Some(x) = self.next[k] {
                if best.is_none_or(|b| (x.1, x.0) < (b.1, b.0)) {
                    best = Some(x);
                }
            }
        }
        let Some(best) = best else {
            self.pos = self.bytes.len() + 1;
            return None;
        };
        self.pos = best.2;
        Some(best)
    }
}

/// Sort, drop overlaps (keeping the more specific family, then the longer
/// span), and build the public matches.
fn finalize(bytes: &[u8], mut c: Vec<Cand>) -> Vec<SecretMatch> {
    if c.is_empty() {
        return Vec::new();
    }
    c.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.prio.cmp(&a.prio))
            .then(b.end.cmp(&a.end))
            .then(a.rule.cmp(&b.rule))
    });
    let mut kept: Vec<Cand> = Vec::with_capacity(c.len());
    for x in c {
        match kept.last_mut() {
            Some(last) if x.start < last.end => {
                let better = x.prio > last.prio
                    || (x.prio == last.prio && x.end - x.start > last.end - last.start);
                if better {
                    *last = x;
                }
            }
            _ => kept.push(x),
        }
    }
    kept.into_iter()
        .map(|x| {
            let v = &bytes[x.start..x.end];
            let r = &rules()[x.rule as usize];
            SecretMatch {
                rule: r.id,
                family: r.family,
                start: x.start,
                end: x.end,
                redacted: redact(v),
                fingerprint: fingerprint(v),
            }
        })
        .collect()
}

/// `sha256:` + hex of the first 16 bytes of SHA-256(secret).
pub(crate) fn fingerprint(secret: &[u8]) -> String {
    let d = Sha256::digest(secret);
    let mut s = String::with_capacity(7 + 32);
    s.push_str("sha256:");
    for b in d.iter().take(16) {
        s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
        s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
    }
    s
}

/// A rule's bad example as it may be printed: secret-rule examples are
/// demo values, but they match the scanner, so they are shown redacted like
/// any other secret (no output ever contains a whole key).
pub fn printable_bad(r: &crate::rules::Rule) -> String {
    static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    let scanner = SCANNER.get_or_init(Scanner::new);
    let bytes = r.bad.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut at = 0;
    for m in scanner.scan(bytes) {
        if m.start < at {
            continue;
        }
        out.push_str(&r.bad[at..m.start]);
        out.push_str(&m.redacted);
        at = m.end;
    }
    out.push_str(&r.bad[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_anchors() -> Vec<&'static str> {
        let mut pats: Vec<&'static str> = ANCHORS.iter().map(|(p, _)| *p).collect();
        for spec in families::LIST {
            pats.extend(spec.anchors.iter().copied());
        }
        pats
    }

    /// The bucket hint names anchors only, each once; no anchor is a prefix
    /// of another (so the order of a part's literals cannot change which
    /// one matches at a position); the long anchors fit one fat Teddy.
    #[test]
    fn bucket_hint_and_anchor_order() {
        let pats = all_anchors();
        let hinted: Vec<&str> = BUCKET_HINT.iter().flat_map(|g| g.iter().copied()).collect();
        for h in &hinted {
            assert!(pats.contains(h), "{h} is no anchor");
            assert!(h.len() >= LONG_ANCHOR, "{h} is not a long anchor");
            assert_eq!(hinted.iter().filter(|x| *x == h).count(), 1, "{h}");
        }
        for a in &pats {
            for b in &pats {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
        let long: Vec<usize> = (0..pats.len())
            .filter(|&i| pats[i].len() >= LONG_ANCHOR)
            .collect();
        assert!(long.len() > 32 && long.len() <= TEDDY_MAX, "{}", long.len());
        let mut order = teddy_order(&pats, &long);
        order.sort_unstable();
        assert_eq!(order, long, "a permutation");
    }

    /// The split anchor search reports exactly the matches of one
    /// leftmost-first automaton over all anchors, also where anchors of the
    /// different parts overlap or share a start.
    #[test]
    fn split_anchors_match_one_automaton() {
        let pats = all_anchors();
        let one = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&pats)
            .unwrap();
        let split = Anchors::new(&pats);
        let check = |hay: &[u8]| {
            let want: Vec<(usize, usize, usize)> = one
                .find_iter(hay)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            let mut got = Vec::new();
            let mut it = split.find_iter(hay);
            while let Some(h) = it.next_hit() {
                got.push(h);
            }
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(hay));
        };
        check(b"");
        check(b"sk-://xoxASIAeyJhvs.:AAKIA-----BEGIN pwdoken");
        // A match of one part overlapping one of the other, either way round:
        // the overlapped one is not reported (and a later one of its part is).
        for hay in [
            &b"earer8_ r8_x"[..],
            b"piKeyJ eyJ",
            b"sk-----BEGIN -----BEGIN ",
            b"EAAKIA AKIA",
            b":AAKIA:AA",
            b"EARER8_EAA",
        ] {
            check(hay);
        }
        // Random texts of anchor pieces (whole, cut at either end) and
        // separators, from a fixed-seed generator.
        let mut rnd = crate::test_rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let mut hay = Vec::new();
            for _ in 0..rnd(24) {
                let p = pats[rnd(pats.len())].as_bytes();
                match rnd(5) {
                    0 => hay.extend_from_slice(&p[rnd(p.len())..]),
                    1 => hay.extend_from_slice(&p[..rnd(p.len())]),
                    2 => hay.push(b"_-.: /@aAkK"[rnd(11)]),
                    _ => hay.extend_from_slice(p),
                }
            }
            check(&hay);
        }
    }
}
