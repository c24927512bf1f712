//! Small byte-level helpers shared by the detectors: entropy, character
//! classes, placeholder / sequence checks, boundaries, line windows.

/// Shannon entropy in bits per byte.
pub(crate) fn shannon(b: &[u8]) -> f64 {
    if b.is_empty() {
        return 0.0;
    }
    // Values passed here are short (bounded windows); u16 keeps the table small.
    let b = &b[..b.len().min(u16::MAX as usize)];
    let mut counts = [0u16; 256];
    for &x in b {
        counts[x as usize] += 1;
    }
    let n = b.len() as f64;
    let mut h = 0.0;
    for &k in counts.iter() {
        if k > 0 {
            let p = k as f64 / n;
            h -= p * p.log2();
        }
    }
    h
}

#[derive(Default, Clone, Copy)]
pub(crate) struct Classes {
    pub upper: usize,
    pub lower: usize,
    pub digit: usize,
    pub other: usize,
}

pub(crate) fn classes(b: &[u8]) -> Classes {
    let mut c = Classes::default();
    for &x in b {
        if x.is_ascii_uppercase() {
            c.upper += 1
        } else if x.is_ascii_lowercase() {
            c.lower += 1
        } else if x.is_ascii_digit() {
            c.digit += 1
        } else {
            c.other += 1
        }
    }
    c
}

/// `true` for runs like `abcdef…`, `1234…`, `9876…` and for strings that
/// repeat a short chunk (`abcabcabc`, `0123456789abcdef0123456789abcdef`).
pub(crate) fn is_sequential(b: &[u8]) -> bool {
    if b.len() < 8 {
        return false;
    }
    let (mut asc, mut desc) = (0usize, 0usize);
    for w in b.windows(2) {
        if w[1] == w[0].wrapping_add(1) {
            asc += 1;
        } else if w[1].wrapping_add(1) == w[0] {
            desc += 1;
        }
    }
    let n = b.len() - 1;
    if asc * 2 >= n || desc * 2 >= n {
        return true;
    }
    let maxp = (b.len() / 2).min(16);
    (1..=maxp).any(|p| (p..b.len()).all(|i| b[i] == b[i - p]))
}

const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"xxxx",
    b"your_",
    b"your-",
    b"yourkey",
    b"yourtoken",
    b"yoursecret",
    b"placeholder",
    b"changeme",
    b"change_me",
    b"change-me",
    b"replace",
    b"redacted",
    b"dummy",
    b"sample",
    b"fake_",
    b"fake-",
    b"_fake",
    b"-fake",
    b"insert",
    b"****",
    b"...",
    b"<",
    b">",
    b"${",
    b"{{",
    b"}}",
    b"\xe2\x80\xa6",
    b"not_set",
    b"notset",
];

/// Placeholder / documentation / masked value markers (ASCII case-insensitive).
pub(crate) fn has_placeholder(b: &[u8]) -> bool {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PLACEHOLDER_WORDS)
            .expect("placeholder automaton")
    })
    .is_match(b)
}

/// Common checks for the random part of a prefixed token.
pub(crate) fn body_ok(body: &[u8], min_entropy: f64) -> bool {
    !body.is_empty()
        && !is_sequential(body)
        && shannon(body) >= min_entropy
        && !has_placeholder(body)
}

#[inline]
pub(crate) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

#[inline]
pub(crate) fn is_urlsafe(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

#[inline]
pub(crate) fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

#[inline]
pub(crate) fn byte_at(b: &[u8], i: usize) -> u8 {
    if i < b.len() {
        b[i]
    } else {
        0
    }
}

#[inline]
pub(crate) fn prev_byte(b: &[u8], i: usize) -> u8 {
    if i > 0 && i <= b.len() {
        b[i - 1]
    } else {
        0
    }
}

/// Whether a token at `s` is glued to the text before it: the byte before
/// it is one of the token's own characters (`edge`), and that byte does not
/// end an escape sequence that stands for a blank or a punctuation mark
/// (`\n`, `\t`, `\u0020`, `\x2c` in a JSON, JSON5, YAML or shell string: the
/// text there holds a line break or a blank) nor open a shell or Compose
/// default (`${NAME:-`, `${NAME-`, whose text is the token).
pub(crate) fn glued(b: &[u8], s: usize, edge: fn(u8) -> bool) -> bool {
    edge(prev_byte(b, s)) && !escape_ends_at(b, s, edge) && !default_opens_at(b, s)
}

/// Whether an escape sequence that stands for a character outside `edge`
/// ends at `s` (its backslash not itself escaped).
fn escape_ends_at(b: &[u8], s: usize, edge: fn(u8) -> bool) -> bool {
    // an odd run of backslashes ends at `at` (the run looked at is bounded)
    let escapes = |at: usize| {
        b[..at]
            .iter()
            .rev()
            .take(64)
            .take_while(|&&c| c == b'\\')
            .count()
            % 2
            == 1
    };
    let hex = |r: std::ops::Range<usize>| {
        let h = std::str::from_utf8(&b[r]).ok()?;
        u32::from_str_radix(h, 16).ok()
    };
    let stands_apart = |c: u32| u8::try_from(c).map_or(true, |c| !edge(c));
    if s >= 2
        && matches!(b[s - 1], b'n' | b'r' | b't' | b'f' | b'v' | b'b' | b'0')
        && escapes(s - 1)
    {
        return true;
    }
    if s >= 6 && b[s - 5] == b'u' && escapes(s - 5) && hex(s - 4..s).is_some_and(stands_apart) {
        return true;
    }
    s >= 4 && b[s - 3] == b'x' && escapes(s - 3) && hex(s - 2..s).is_some_and(stands_apart)
}

/// Whether `s` follows `${NAME:-` or `${NAME-` (a shell or Compose default).
fn default_opens_at(b: &[u8], s: usize) -> bool {
    if prev_byte(b, s) != b'-' {
        return false;
    }
    let mut i = s - 1;
    if i > 0 && b[i - 1] == b':' {
        i -= 1;
    }
    let name = b[..i]
        .iter()
        .rev()
        .take(129)
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
        .count();
    (1..=128).contains(&name) && i >= name + 2 && b[i - name - 2..i - name] == *b"${"
}

/// Skip spaces and tabs, at most `cap` bytes.
pub(crate) fn skip_ws(b: &[u8], mut p: usize, cap: usize) -> usize {
    let lim = (p + cap).min(b.len());
    while p < lim && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    p
}

/// Start of the window reaching `n` lines back from `pos` (at most `cap` bytes).
pub(crate) fn lines_back(b: &[u8], pos: usize, n: usize, cap: usize) -> usize {
    let lo = pos.saturating_sub(cap);
    let mut p = pos;
    let mut seen = 0;
    while let Some(i) = memchr::memrchr(b'\n', &b[lo..p]) {
        seen += 1;
        if seen > n {
            return lo + i + 1;
        }
        p = lo + i;
    }
    lo
}

/// End of the window reaching `n` lines forward from `pos` (at most `cap` bytes).
pub(crate) fn lines_fwd(b: &[u8], pos: usize, n: usize, cap: usize) -> usize {
    let hi = (pos + cap).min(b.len());
    let mut p = pos;
    let mut seen = 0;
    while let Some(i) = memchr::memchr(b'\n', &b[p..hi]) {
        seen += 1;
        if seen > n {
            return p + i;
        }
        p = p + i + 1;
    }
    hi
}

/// `8-4-4-4-12` hex with dashes.
pub(crate) fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// AWS secret access key shape: 40 chars of base64 alphabet, random-looking.
pub(crate) fn aws_secret_ok(v: &[u8]) -> bool {
    if v.len() != 40 || !v.iter().all(|&c| is_b64(c)) {
        return false;
    }
    let c = classes(v);
    c.upper > 0
        && c.lower > 0
        && c.digit > 0
        && !is_sequential(v)
        && shannon(v) >= 4.0
        && !has_placeholder(v)
}

const CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = CRC_TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// GitHub classic token checksum: last 6 chars are base62(crc32(first 30)).
pub(crate) fn github_checksum_ok(body: &[u8]) -> bool {
    if body.len() != 36 {
        return false;
    }
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = crc32(&body[..30]) as u64;
    let mut out = [b'0'; 6];
    let mut i = 6;
    while n > 0 && i > 0 {
        i -= 1;
        out[i] = B62[(n % 62) as usize];
        n /= 62;
    }
    n == 0 && out[..] == body[30..]
}
