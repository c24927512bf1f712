//! The one redaction function: every secret or literal credential that a
//! message, snippet, report or log shows passes through [`redact`], so all
//! outputs agree on how much of a value may be seen.

/// Redacted form of a secret: a short prefix (at most 10 bytes and at most a
/// fifth of the value) and the length, e.g. `sk-proj-Ab…[164 chars]`. For PEM
/// blocks the (non-secret) `-----BEGIN … -----` header is shown instead.
/// Bytes outside printable ASCII are shown as `?`.
pub fn redact(secret: &[u8]) -> String {
    let n = secret.len();
    let shown = &secret[..shown_prefix(secret)];
    let mut s = String::with_capacity(shown.len() + 20);
    for &c in shown {
        s.push(if (0x20..0x7f).contains(&c) {
            c as char
        } else {
            '?'
        });
    }
    s.push('…');
    s.push('[');
    s.push_str(&n.to_string());
    s.push_str(" chars]");
    s
}

/// How many bytes of `v` are committed as written: all but its
/// substitutions. OpenClaw substitutes `${NAME}` (`NAME` in `[A-Z_][A-Z0-9_]*`)
/// only; a shell or Compose (`shell`) also `${name}` and `$name`, and keeps
/// the default of `${NAME:-default}`. `$${…}` (and `$$`) is an escape: text.
pub fn literal_remainder(v: &str, shell: bool) -> usize {
    let b = v.as_bytes();
    let name_byte = |c: u8| {
        if shell {
            c.is_ascii_alphanumeric() || c == b'_'
        } else {
            c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_'
        }
    };
    let (mut i, mut n) = (0, 0usize);
    while i < b.len() {
        if b[i] != b'$' {
            n += 1;
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'$') => {
                // an escaped `$`, and what follows is text
                n += 2;
                i += 2;
            }
            Some(b'{') => {
                let name_end = (i + 2..b.len())
                    .find(|&k| !name_byte(b[k]))
                    .unwrap_or(b.len());
                let named = name_end > i + 2 && !b[i + 2].is_ascii_digit();
                match b.get(name_end) {
                    Some(b'}') if named => i = name_end + 1,
                    // `${NAME:-default}`: the default is text
                    Some(_) if named && shell => {
                        let close = b[name_end..]
                            .iter()
                            .position(|&c| c == b'}')
                            .map_or(b.len(), |k| name_end + k);
                        n += close - name_end;
                        i = (close + 1).min(b.len());
                    }
                    _ => {
                        n += 2;
                        i += 2;
                    }
                }
            }
            Some(&c) if shell && (c.is_ascii_alphabetic() || c == b'_') => {
                i += 1;
                while i < b.len() && name_byte(b[i]) {
                    i += 1;
                }
            }
            _ => {
                n += 1;
                i += 1;
            }
        }
    }
    n
}

/// How many leading bytes of `secret` its [`redact`] form shows.
fn shown_prefix(secret: &[u8]) -> usize {
    if secret.starts_with(b"-----BEGIN ") {
        memchr::memmem::find(&secret[11..secret.len().min(80)], b"-----").map_or(11, |i| 16 + i)
    } else {
        (secret.len() / 5).min(10)
    }
}

/// Whether `rest` (the text after a `…`) starts with the `[N chars]` of a
/// redacted form.
fn is_form_tail(rest: &str) -> bool {
    rest.strip_prefix('[').is_some_and(|r| {
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && r[digits..].starts_with(" chars]")
    })
}

/// How far around an excerpt [`Redactor::excerpt`] looks for a known secret
/// that its edge cuts.
pub(crate) const EXCERPT_REACH: usize = 4096;

/// How far before a `…` [`Redactor`] looks for the start of a secret cut
/// short (messages and paths are cut to at most a few hundred characters).
const CUT_LOOKBACK: usize = 512;

/// Shortest secret whose text is redacted wherever it occurs (a message, a
/// pointer, a reason): shorter literals are still redacted at their place in
/// the file (snippets), but replacing every 3-letter word would only garble
/// the output of a run.
pub const MIN_SECRET_LEN: usize = 4;

/// The shortest line of a multi-line secret, or upper-cased spelling of a
/// secret, redacted on its own (shorter ones show no more than a form's
/// prefix would).
const LINE_PIECE_LEN: usize = 8;

/// How much of each needle [`Redactor`]'s automaton holds (see `matcher`
/// and [`windows`]).
const NEEDLE_PREFIX: usize = 24;

/// Up to this many needles a gate searches with a DFA (at most
/// `DFA_NEEDLES * NEEDLE_PREFIX` states), beyond it with an NFA.
const DFA_NEEDLES: usize = 64;

/// Where each needle's window for the automaton starts: the first
/// [`NEEDLE_PREFIX`] bytes of a short needle; in a longer one, the window
/// nearest its middle that no other needle's window already is (secrets
/// with a long common prefix, such as private keys' PEM headers, would
/// otherwise each match wherever one of them is written: a run over a
/// thousand keys was quadratic), else its middle. The windows looked at per
/// needle are bounded.
fn windows(needles: &[(String, String)]) -> Vec<usize> {
    let mut taken: std::collections::HashSet<&[u8], foldhash::fast::RandomState> =
        std::collections::HashSet::default();
    needles
        .iter()
        .map(|(n, _)| {
            let n = n.as_bytes();
            if n.len() <= NEEDLE_PREFIX {
                taken.insert(n);
                return 0;
            }
            let last = n.len() - NEEDLE_PREFIX;
            let middle = last / 2;
            let at = (0..=64usize)
                .flat_map(|d| [middle.checked_sub(d), Some(middle + d)])
                .flatten()
                .filter(|&at| at <= last)
                .find(|&at| !taken.contains(&n[at..at + NEEDLE_PREFIX]))
                .unwrap_or(middle);
            taken.insert(&n[at..at + NEEDLE_PREFIX]);
            at
        })
        .collect()
}

/// `part` of an excerpt of a file that could not be parsed, with every
/// word that may be a credential in its [`redact`] form: a run of bytes
/// other than whitespace, quotes, brackets, commas and semicolons of at
/// least 8 bytes, unless it reads as a key's name (letters, `_`, `-`, `.`,
/// shorter than 24 bytes, followed by `:` or `=`, after its closing quote if
/// quoted). A value of letters alone is redacted: a random password may be
/// one.
fn mask_words(out: &mut Vec<u8>, part: &[u8]) {
    let is_word = |b: u8| {
        !b.is_ascii_whitespace()
            && !matches!(
                b,
                b'"' | b'\'' | b'`' | b'{' | b'}' | b'[' | b']' | b'(' | b')' | b',' | b';'
            )
    };
    let mut i = 0;
    while i < part.len() {
        if !is_word(part[i]) {
            out.push(part[i]);
            i += 1;
            continue;
        }
        let end = part[i..]
            .iter()
            .position(|&b| !is_word(b))
            .map_or(part.len(), |n| i + n);
        let word = &part[i..end];
        let body = word
            .strip_suffix(b":")
            .or(word.strip_suffix(b"="))
            .unwrap_or(word);
        let keyed = body.len() < word.len()
            || part[end..]
                .iter()
                .take(16)
                .find(|&&b| !matches!(b, b'"' | b'\'' | b'`' | b' ' | b'\t'))
                .is_some_and(|&b| matches!(b, b':' | b'='));
        let name = keyed
            && body.len() < 24
            && body
                .iter()
                .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.'));
        if word.len() >= 8 && !name {
            out.extend_from_slice(redact(word).as_bytes());
        } else {
            out.extend_from_slice(word);
        }
        i = end;
    }
}

/// The redaction gate. Built per file from the secrets the scanner found in
/// it and the literal credentials of the config (with their byte spans, for
/// excerpts of the file), and per run from every file's secrets and
/// clawcheck.toml's; [`Redactor::text`] and [`Redactor::finding`] replace
/// every occurrence of any of them by its [`redact`] form, and
/// [`Redactor::excerpt`] shows bytes of the file only when they were scanned.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Byte ranges of the file shown redacted, sorted by start, with the
    /// running maximum of their ends (for overlap queries) and their forms.
    spans: Vec<(std::ops::Range<usize>, String)>,
    max_end: Vec<usize>,
    /// The secrets as found (sorted, unique).
    secrets: Vec<String>,
    /// Every text searched for (a secret and its JSON- and pointer-escaped
    /// spellings), and the redacted form each stands for.
    needles: Vec<(String, String)>,
    /// Where each needle's window of [`NEEDLE_PREFIX`] bytes, which the
    /// automaton searches for, starts in it ([`windows`]).
    windows: Vec<usize>,
    /// Built on first use ([`Redactor::matcher`]): a redactor is made for
    /// every file with a secret, most never search a text.
    matcher: std::sync::OnceLock<aho_corasick::AhoCorasick>,
    /// The file's text was not scanned for secrets: no excerpt of it is shown.
    opaque: bool,
    /// The file could not be parsed, so its literal credentials are not
    /// known: an excerpt shows every word that may be one redacted.
    masked: bool,
    /// The gate of one file, which searches the few texts of that file's
    /// findings ([`Redactor::for_one_file`]): an NFA, quick to build.
    one_file: bool,
    /// The first bytes of the needles, as a 256-bit set.
    firsts: [u64; 4],
    /// The longest needle's length.
    longest: usize,
}

impl Redactor {
    /// A gate for these secrets (any order, duplicates and empty strings
    /// allowed; those shorter than [`MIN_SECRET_LEN`] are only redacted at
    /// their spans).
    pub fn new<I, S>(secrets: I) -> Redactor
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(Into::into)
            .filter(|s| s.len() >= MIN_SECRET_LEN)
            .collect();
        secrets.sort_unstable();
        secrets.dedup();
        let mut needles: Vec<(String, String)> = Vec::with_capacity(secrets.len());
        for s in &secrets {
            let form = redact(s.as_bytes());
            let json = serde_json::to_string(s).unwrap_or_default();
            let json = json[1..json.len().saturating_sub(1).max(1)].to_string();
            let pointer = s.replace('~', "~0").replace('/', "~1");
            for variant in [json, pointer] {
                if variant != *s && !variant.is_empty() {
                    needles.push((variant, form.clone()));
                }
            }
            // Each line of a secret written over several (a diff or an
            // excerpt shows one line at a time), and the secret as an
            // environment variable's name spells it (`ghp_ab-c` in
            // `OPENCLAW_…_GHP_AB_C_APIKEY`).
            if s.contains(['\n', '\r']) {
                for piece in s.split(['\n', '\r']).map(str::trim) {
                    if piece.len() >= LINE_PIECE_LEN {
                        needles.push((piece.to_string(), form.clone()));
                    }
                }
            }
            if s.len() >= LINE_PIECE_LEN
                && s.bytes().any(|b| b.is_ascii_lowercase())
                && s.bytes().any(|b| b.is_ascii_digit())
            {
                let upper: String = s
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_uppercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                needles.push((upper, form.clone()));
            }
            needles.push((s.clone(), form));
        }
        needles.sort_unstable();
        needles.dedup_by(|a, b| a.0 == b.0);
        let mut firsts = [0u64; 4];
        for (n, _) in &needles {
            if let Some(&b) = n.as_bytes().first() {
                firsts[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        let longest = needles.iter().map(|n| n.0.len()).max().unwrap_or(0);
        let windows = windows(&needles);
        Redactor {
            secrets,
            needles,
            windows,
            firsts,
            longest,
            ..Redactor::default()
        }
    }

    /// Also redact these byte ranges of the file in excerpts: each range is
    /// shown as its form (a range cut by an excerpt's edge is still shown as
    /// its form, never in part).
    pub fn with_spans(mut self, mut spans: Vec<(std::ops::Range<usize>, String)>) -> Redactor {
        spans.retain(|(r, _)| r.start < r.end);
        spans.sort_by_key(|(r, _)| (r.start, r.end));
        let mut max = 0;
        self.max_end = spans
            .iter()
            .map(|(r, _)| {
                max = max.max(r.end);
                max
            })
            .collect();
        self.spans = spans;
        self
    }

    /// A gate that searches only the texts of one file's findings: its
    /// automaton is the NFA that builds quickest for a few needles, not a DFA
    /// (whose build was 2 % of checking 1,000 real configs, perf, for a
    /// search of a few hundred bytes). The matches are the same.
    pub fn for_one_file(mut self) -> Redactor {
        self.one_file = true;
        self
    }

    /// The file's text was not scanned for secrets: [`Redactor::excerpt`]
    /// shows none of it.
    pub fn opaque(mut self) -> Redactor {
        self.opaque = true;
        self
    }

    /// When the file could not be parsed (`unparsed`: its literal
    /// credentials are unknown), [`Redactor::excerpt`] redacts every word that
    /// may be one.
    pub fn masked(mut self, unparsed: bool) -> Redactor {
        self.masked |= unparsed;
        self
    }

    /// Whether excerpts of the file may be shown.
    pub fn is_opaque(&self) -> bool {
        self.opaque
    }

    /// The automaton over the needles (none without needles), built once.
    fn matcher(&self) -> Option<&aho_corasick::AhoCorasick> {
        if self.needles.is_empty() {
            return None;
        }
        Some(self.matcher.get_or_init(|| {
            // A few needles (a file's secrets, or a run's with few): a DFA,
            // whose search is the quickest (a run's gate searches every
            // string of every finding: with the NFA, the gate of 1,000 real
            // configs and their 4,444 findings was 2.6 % of the run's
            // instructions). Many: the NFA that is quickest to build and
            // smallest, not the contiguous NFA the builder would pick (its
            // memory showed in the peak of a run over the cargo registry).
            // The matches are the same.
            // Over a window of NEEDLE_PREFIX bytes of each needle
            // ([`windows`]), each hit then verified in full
            // (`Redactor::hits`): the same matches,
            // and a run's gate over hundreds of secrets, PEM blocks of
            // kilobytes among them, builds in a fraction of the time (the
            // automaton's states are the needles' bytes).
            let kind = if self.needles.len() > DFA_NEEDLES {
                aho_corasick::AhoCorasickKind::NoncontiguousNFA
            } else if self.one_file {
                aho_corasick::AhoCorasickKind::ContiguousNFA
            } else {
                aho_corasick::AhoCorasickKind::DFA
            };
            aho_corasick::AhoCorasick::builder()
                .kind(Some(kind))
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(
                    self.needles
                        .iter()
                        .zip(&self.windows)
                        .map(|(n, &at)| &n.0.as_bytes()[at..n.0.len().min(at + NEEDLE_PREFIX)]),
                )
                .expect("an Aho-Corasick automaton over literal strings always builds")
        }))
    }

    /// The secrets this gate knows (sorted, unique), to merge into a run's gate.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// `text` with every occurrence of a known secret (or its JSON- or
    /// JSON-pointer-escaped spelling) replaced by its redacted form.
    /// Overlapping occurrences are replaced together, by the form of the one
    /// that starts first.
    pub fn text(&self, text: &str) -> String {
        self.replaced(text).unwrap_or_else(|| text.to_string())
    }

    /// [`Redactor::text`] in place: `text` is left as it is (not copied)
    /// when no secret is in it, as for almost every string of a report.
    pub fn text_in_place(&self, text: &mut String) {
        if let Some(r) = self.replaced(text) {
            *text = r;
        }
    }

    /// [`Redactor::text`], or `None` when `text` has no secret.
    fn replaced(&self, text: &str) -> Option<String> {
        let mut hits = self.hits(text.as_bytes());
        hits.extend(self.cut_before_ellipsis(text));
        if hits.is_empty() {
            return None;
        }
        Some(self.splice(text, &mut hits))
    }

    /// Every whole occurrence of a needle in `text`: (start, end, needle).
    /// Overlapping matches come out in the order they end; [`Redactor::splice`]
    /// sorts them by start (longest first) and merges runs of overlapping ones.
    fn hits(&self, text: &[u8]) -> Vec<(usize, std::cmp::Reverse<usize>, usize)> {
        let Some(m) = self.matcher() else {
            return Vec::new();
        };
        m.find_overlapping_iter(text)
            .filter_map(|h| {
                // the automaton knows a window of the needle: the rest must
                // be around it
                let id = h.pattern().as_usize();
                let needle = self.needles[id].0.as_bytes();
                let start = h.start().checked_sub(self.windows[id])?;
                text[start..]
                    .starts_with(needle)
                    .then(|| (start, std::cmp::Reverse(start + needle.len()), id))
            })
            .collect()
    }

    /// The beginnings of secrets cut short by an ellipsis: a message or path
    /// shortened to a few hundred characters (`…` appended) may end inside a
    /// secret, and what is left of it matches no needle whole. Each run of
    /// text just before a `…` that is the start of a needle, and longer than
    /// the prefix its redacted form shows, is a hit (start, end, needle).
    fn cut_before_ellipsis(&self, text: &str) -> Vec<(usize, std::cmp::Reverse<usize>, usize)> {
        let mut out = Vec::new();
        if self.needles.is_empty() {
            return out;
        }
        // (each byte is looked at for the nearest ellipsis after it only:
        // linear in the text, however many ellipses it holds)
        let mut after_previous = 0;
        for (p, _) in text.match_indices('…') {
            let from = after_previous;
            after_previous = p + '…'.len_utf8();
            // the ellipsis of a redacted form (`ghp_iK2Z…[40 chars]`) ends
            // no cut: what comes before it is the prefix the form shows
            if is_form_tail(&text[p + '…'.len_utf8()..]) {
                continue;
            }
            // the longest run that starts a needle (cuts are of at most a few
            // hundred characters, so only that much before the ellipsis)
            let mut q = p.saturating_sub(CUT_LOOKBACK).max(from);
            let starts_one = |b: u8| self.firsts[usize::from(b >> 6)] & (1 << (b & 63)) != 0;
            // (a cut that leaves fewer than MIN_SECRET_LEN bytes shows less
            // than any form does)
            while q + MIN_SECRET_LEN <= p {
                if text.is_char_boundary(q) && starts_one(text.as_bytes()[q]) {
                    let tail = &text[q..p];
                    let i = self.needles.partition_point(|(n, _)| n.as_str() < tail);
                    if let Some(id) = (i..self.needles.len())
                        .take_while(|&j| self.needles[j].0.starts_with(tail))
                        .find(|&j| tail.len() > shown_prefix(self.needles[j].0.as_bytes()))
                    {
                        out.push((q, std::cmp::Reverse(p), id));
                        break;
                    }
                }
                q += 1;
            }
        }
        out
    }

    /// `text` with each run of overlapping `hits` (start, end, needle)
    /// replaced by the form of the needle that starts first (the longest
    /// when two start together).
    fn splice(&self, text: &str, hits: &mut [(usize, std::cmp::Reverse<usize>, usize)]) -> String {
        hits.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for &(s, std::cmp::Reverse(e), id) in hits.iter() {
            if s < at {
                at = at.max(e); // inside the run already replaced
                continue;
            }
            out.push_str(&text[at..s]);
            out.push_str(&self.needles[id].1);
            at = e;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The bytes of `range` of the file, with every span in it shown as its
    /// form, or `None` when the file was not scanned (no byte of it may be
    /// shown). Text replacement ([`Redactor::text`]) is left to the run's gate.
    pub fn excerpt(&self, bytes: &[u8], range: std::ops::Range<usize>) -> Option<String> {
        if self.opaque {
            return None;
        }
        let range = range.start.min(bytes.len())..range.end.min(bytes.len());
        let lo = self.max_end.partition_point(|&e| e <= range.start);
        let hi = self.spans.partition_point(|(r, _)| r.start < range.end);
        let mut spans: Vec<(std::ops::Range<usize>, &str)> = self.spans[lo..hi.max(lo)]
            .iter()
            .filter(|(r, _)| r.end > range.start)
            .map(|(r, form)| (r.clone(), form.as_str()))
            .collect();
        // A known secret at no span (a second copy of it, one the scanner
        // did not see alone) that the window's edge cuts: its part inside
        // would match no needle later, so it is found around the window.
        // (bounded: a copy of a secret longer than EXCERPT_REACH crossing
        // the edge far from it is left to the spans)
        let longest = self.longest.min(EXCERPT_REACH);
        if longest > 0 {
            let around = range.start.saturating_sub(longest)
                ..range.end.saturating_add(longest).min(bytes.len());
            let before = spans.len();
            for (s, std::cmp::Reverse(e), id) in self.hits(&bytes[around.clone()]) {
                let r = around.start + s..around.start + e;
                if r.start < range.end && r.end > range.start {
                    spans.push((r, self.needles[id].1.as_str()));
                }
            }
            if spans.len() > before {
                spans.sort_by_key(|(r, _)| (r.start, r.end));
            }
        }
        let mut out = Vec::with_capacity(range.len().min(4096));
        let mut at = range.start;
        let raw = |out: &mut Vec<u8>, part: &[u8]| {
            if self.masked {
                mask_words(out, part);
            } else {
                out.extend_from_slice(part);
            }
        };
        for (r, form) in &spans {
            if r.start > at {
                raw(&mut out, &bytes[at..r.start]);
            }
            if r.start >= at || at == range.start {
                out.extend_from_slice(form.as_bytes());
            }
            at = at.max(r.end);
        }
        if at < range.end {
            raw(&mut out, &bytes[at..range.end]);
        }
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    /// Every string of a finding that is printed, through [`Redactor::text`].
    pub fn finding(&self, f: &mut crate::finding::Finding) {
        if self.needles.is_empty() {
            return;
        }
        for s in [&mut f.rule, &mut f.path, &mut f.message] {
            self.text_in_place(s);
        }
        for s in [&mut f.pointer, &mut f.evidence, &mut f.snippet]
            .into_iter()
            .flatten()
        {
            self.text_in_place(s);
        }
        for r in &mut f.related {
            self.text_in_place(&mut r.rule);
            self.text_in_place(&mut r.message);
        }
        for p in &mut f.places {
            self.text_in_place(&mut p.path);
            self.text_in_place(&mut p.message);
        }
        if let Some(fix) = &mut f.fix {
            self.text_in_place(&mut fix.reason);
            for e in &mut fix.edits {
                self.text_in_place(&mut e.text);
            }
            if let Some(v) = &mut fix.env_var {
                self.text_in_place(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Needles with a long common prefix (private keys' PEM headers) get
    /// windows of their own for the automaton, so that one occurrence does
    /// not match every needle (a run over a thousand keys was quadratic);
    /// each is still found whole, and only where it is written.
    #[test]
    fn needles_with_a_common_prefix_get_windows_of_their_own() {
        let keys: Vec<String> = (0..200u32)
            .map(|i| {
                let body: String = (0..64u32)
                    .map(|j| {
                        let x = (i * 64 + j).wrapping_mul(2_654_435_761) >> 9;
                        char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(x % 62) as usize])
                    })
                    .collect();
                format!("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC{body}\n-----END PRIVATE KEY-----")
            })
            .collect();
        let r = Redactor::new(keys.clone());
        let windows: std::collections::HashSet<&[u8]> = r
            .needles
            .iter()
            .zip(&r.windows)
            .map(|(n, &at)| &n.0.as_bytes()[at..n.0.len().min(at + NEEDLE_PREFIX)])
            .collect();
        assert_eq!(windows.len(), r.needles.len(), "one window per needle");
        let text = format!("a {} b {} c", keys[7], keys[150]);
        let hits = r.hits(text.as_bytes());
        let whole = hits
            .iter()
            .filter(|(_, _, id)| r.needles[*id].0.len() > 100);
        assert_eq!(whole.count(), 2, "{hits:?}");
        let shown = r.text(&text);
        assert!(
            !shown.contains(&keys[7][40..70]) && !shown.contains(&keys[150][40..70]),
            "{shown}"
        );
    }

    #[test]
    fn an_unparsed_files_excerpt_hides_every_word_that_may_be_a_credential() {
        let line = b"    auth: { token: \"abcdefghijKLMNOPQRSTuvwxyz0123456789\" x }, gateway_token: hunter2hunter2";
        let r = Redactor::new(Vec::<String>::new()).masked(true);
        let shown = r.excerpt(line, 0..line.len()).unwrap();
        assert!(!shown.contains("KLMNOPQRST"), "{shown}");
        assert!(!shown.contains("hunter2hunter2"), "{shown}");
        // names and punctuation stay, so the syntax error can be read
        assert!(
            shown.starts_with("    auth: { token: \"abcdefg…[36 chars]\" x },"),
            "{shown}"
        );
        assert!(shown.contains("gateway_token: "), "{shown}");
        // a value of letters alone may be a random password; a key stays
        let line = br#"  "password": "qXvBnTzLpRkWmYsJcHdFgA" "mode": allowlist,"#;
        let shown = r.excerpt(line, 0..line.len()).unwrap();
        assert!(!shown.contains("qXvBnTzLpRkWmYsJcHdFgA"), "{shown}");
        assert!(!shown.contains("allowlist"), "{shown}");
        assert!(shown.starts_with(r#"  "password": "#), "{shown}");
        assert_eq!(literal_remainder("${A}", false), 0);
        assert_eq!(literal_remainder("Bearer ${TOKEN}", false), 7);
        assert_eq!(
            literal_remainder("abcdefghijKLMNOPQRST${OC_T}uv", false),
            22
        );
        // not substitutions OpenClaw makes: text
        assert_eq!(literal_remainder("${A}$(xyz)", false), 6);
        assert_eq!(literal_remainder("${A}$NAME${lower}", false), 13);
        assert_eq!(literal_remainder("${A}$${KLM}", false), 7);
        // a shell's and Compose's
        assert_eq!(literal_remainder("${A}$NAME${lower}", true), 0);
        assert_eq!(literal_remainder("${PASS:-hunter2}", true), 9);
        assert_eq!(literal_remainder("$${KLM}", true), 7);
    }

    use super::*;

    /// A secret cut short by an ellipsis (a message shortened to 200
    /// characters) is redacted when what is left shows more than its form
    /// would; a redacted form passes the gate again unchanged.
    #[test]
    fn secrets_cut_by_an_ellipsis_are_redacted_and_forms_are_stable() {
        let secret = &["gh", "p_iK2ZWeqhFWCEPyYngFb51yBMWXaSCrUZoL8g"].concat();
        let r = Redactor::new([secret]);
        let cut = format!("id `pad pad {}…", &secret[..39]);
        assert_eq!(
            r.text(&cut),
            format!("id `pad pad {}…", redact(secret.as_bytes()))
        );
        let whole = format!("token {secret} here");
        let once = r.text(&whole);
        assert_eq!(once, format!("token {} here", redact(secret.as_bytes())));
        assert_eq!(r.text(&once), once, "a form is not redacted again");
        // no more than the form shows: left alone
        let short = format!("{}…", &secret[..8]);
        assert_eq!(r.text(&short), short);
        // another secret's form that shares a longer prefix is no cut
        let other = &["gh", "p_iK2ZWeqhFWCE"].concat();
        let both = Redactor::new([secret.as_str(), other.as_str()]);
        let form = redact(secret.as_bytes());
        assert_eq!(both.text(&form), form);
    }

    /// An excerpt whose window cuts a copy of a known secret that no span
    /// covers shows the secret's form, not the part inside the window.
    #[test]
    fn excerpts_redact_needles_cut_by_the_window() {
        let secret = &["gh", "p_iK2ZWeqhFWCEPyYngFb51yBMWXaSCrUZoL8g"].concat();
        let text = format!("xx{secret}yy");
        let r = Redactor::new([secret]);
        let shown = r.excerpt(text.as_bytes(), 10..text.len()).unwrap();
        assert_eq!(shown, format!("{}yy", redact(secret.as_bytes())));
        let shown = r.excerpt(text.as_bytes(), 0..12).unwrap();
        assert_eq!(shown, format!("xx{}", redact(secret.as_bytes())));
    }

    #[test]
    fn text_replaces_every_spelling_and_overlaps_together() {
        let a = ["abcd", "efgh", "ijkl", "mnop"].concat();
        let b = ["mnop", "qrst/uvwx"].concat();
        let r = Redactor::new([a.clone(), b.clone(), "ab".to_string()]);
        let msg = format!("x {a} y /agents/{} z {a}qrst/uvwx!", b.replace('/', "~1"));
        let out = r.text(&msg);
        assert!(!out.contains(&a[2..14]) && !out.contains("qrst"), "{out}");
        assert_eq!(
            out,
            "x abc…[16 chars] y /agents/mn…[13 chars] z abc…[16 chars]!"
        );
        assert_eq!(r.text("ab"), "ab", "too short to replace as text");
    }

    /// The automaton holds the needles' first bytes only: texts built of
    /// secrets that share long prefixes, cut short or overlapping, come out as
    /// with every occurrence of every needle found by a plain search.
    #[test]
    fn text_matches_a_plain_search_with_long_shared_prefixes() {
        let base = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow";
        let secrets: Vec<String> = vec![
            format!("{base}AAAA"),
            format!("{base}AAAB/x"),
            format!("{base}AA"),
            "tok_0123456789abcdefghij0123456789".into(),
            "0123456789abcdefghij0123456789XYZ".into(),
        ];
        let r = Redactor::new(secrets.clone());
        let plain = |text: &str| -> String {
            let mut hits: Vec<(usize, std::cmp::Reverse<usize>, usize)> = Vec::new();
            for (id, (n, _)) in r.needles.iter().enumerate() {
                for s in 0..text.len() {
                    if text.as_bytes()[s..].starts_with(n.as_bytes()) {
                        hits.push((s, std::cmp::Reverse(s + n.len()), id));
                    }
                }
            }
            r.splice(text, &mut hits)
        };
        let pieces: Vec<String> = secrets
            .iter()
            .flat_map(|s| [s.clone(), s[..s.len() - 1].to_string(), s[3..].to_string()])
            .chain([" ".into(), "\"".into(), "x".into()])
            .collect();
        let mut rnd = crate::test_rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..500 {
            let mut text = String::new();
            for _ in 0..8 {
                text.push_str(&pieces[rnd(pieces.len())]);
            }
            assert_eq!(r.text(&text), plain(&text), "{text}");
        }
    }

    #[test]
    fn excerpts_redact_spans_cut_by_the_window_and_opaque_files_show_nothing() {
        let bytes = b"0123SECRETSECRET89";
        let r = Redactor::new(Vec::<String>::new()).with_spans(vec![(4..16, "S…".into())]);
        assert_eq!(r.excerpt(bytes, 0..18).unwrap(), "0123S…89");
        assert_eq!(r.excerpt(bytes, 6..18).unwrap(), "S…89");
        assert_eq!(r.excerpt(bytes, 0..6).unwrap(), "0123S…");
        assert_eq!(r.excerpt(bytes, 16..18).unwrap(), "89");
        assert!(r.opaque().excerpt(bytes, 0..2).is_none());
    }
}
