//! Loading JSON and JSON5 while keeping the byte range of every key and value,
//! so that any JSON Pointer maps back to a line and column.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Where a value sits in its file: the key's range (object members only) and
/// the value's range.
#[derive(Debug, Clone)]
pub struct Spans {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// The spans of every JSON Pointer of a document, compact: the pointers
/// are one string, each entry 24 bytes of offsets, and the index a table of
/// entry numbers. A `HashMap<String, Spans>` held about 130 bytes a pointer
/// (a 100,000-agent config has 400,000 of them); this holds about 70
/// (heaptrack, growth slack included).
/// Iteration is in insertion order. A span or pointer past 4 GiB (a
/// document no limit lets through by default) is kept in a plain map.
#[derive(Default)]
pub struct SpanMap {
    names: String,
    entries: Vec<SpanEntry>,
    index: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// Entries whose offsets do not fit in 32 bits.
    wide: HashMap<String, Spans>,
}

#[derive(Clone, Copy)]
struct SpanEntry {
    name: u32,
    name_len: u32,
    /// `NO_KEY` when the value is not an object member.
    key: u32,
    key_end: u32,
    value: u32,
    value_end: u32,
}

const NO_KEY: u32 = u32::MAX;

impl std::fmt::Debug for SpanMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl SpanMap {
    pub fn new() -> SpanMap {
        SpanMap::default()
    }

    fn name(&self, e: &SpanEntry) -> &str {
        &self.names[e.name as usize..(e.name + e.name_len) as usize]
    }

    fn hash(&self, pointer: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, pointer)
    }

    fn find(&self, pointer: &str) -> Option<usize> {
        self.find_hashed(self.hash(pointer), pointer)
    }

    fn find_hashed(&self, h: u64, pointer: &str) -> Option<usize> {
        self.index
            .find(h, |&i| self.name(&self.entries[i as usize]) == pointer)
            .map(|&i| i as usize)
    }

    fn spans(e: &SpanEntry) -> Spans {
        Spans {
            key: (e.key != NO_KEY).then_some(e.key as usize..e.key_end as usize),
            value: e.value as usize..e.value_end as usize,
        }
    }

    /// The offsets of `spans` in 32 bits, if they fit.
    fn narrow(spans: &Spans) -> Option<[u32; 4]> {
        let n = |x: usize| u32::try_from(x).ok().filter(|&v| v != NO_KEY);
        let (k, ke) = match &spans.key {
            Some(k) => (n(k.start)?, n(k.end)?),
            None => (NO_KEY, 0),
        };
        Some([k, ke, n(spans.value.start)?, n(spans.value.end)?])
    }

    pub fn get(&self, pointer: &str) -> Option<Spans> {
        match self.find(pointer) {
            Some(i) => Some(Self::spans(&self.entries[i])),
            None if self.wide.is_empty() => None,
            None => self.wide.get(pointer).cloned(),
        }
    }

    pub fn contains_key(&self, pointer: &str) -> bool {
        self.find(pointer).is_some() || (!self.wide.is_empty() && self.wide.contains_key(pointer))
    }

    /// Sets the spans of `pointer` (replacing any it had).
    pub fn insert(&mut self, pointer: impl AsRef<str>, spans: Spans) {
        let pointer = pointer.as_ref();
        let offsets = Self::narrow(&spans);
        let h = self.hash(pointer);
        let existing = self.find_hashed(h, pointer);
        let (Some([key, key_end, value, value_end]), true) = (
            offsets,
            u32::try_from(self.names.len() + pointer.len()).is_ok(),
        ) else {
            if let Some(i) = existing {
                self.remove_at(i);
            }
            self.wide.insert(pointer.to_string(), spans);
            return;
        };
        // (a pointer is in one of the two maps: only a new narrow one can
        // have been wide)
        if existing.is_none() && !self.wide.is_empty() {
            self.wide.remove(pointer);
        }
        if let Some(i) = existing {
            let e = &mut self.entries[i];
            (e.key, e.key_end, e.value, e.value_end) = (key, key_end, value, value_end);
            return;
        }
        let e = SpanEntry {
            name: self.names.len() as u32,
            name_len: pointer.len() as u32,
            key,
            key_end,
            value,
            value_end,
        };
        self.names.push_str(pointer);
        let i = self.entries.len() as u32;
        self.entries.push(e);
        let (entries, names, hasher) = (&self.entries, &self.names, &self.hasher);
        self.index.insert_unique(h, i, |&j| {
            let e = &entries[j as usize];
            std::hash::BuildHasher::hash_one(
                hasher,
                &names[e.name as usize..(e.name + e.name_len) as usize],
            )
        });
    }

    /// Sets the spans of `pointer` unless it has some.
    pub fn insert_if_absent(&mut self, pointer: impl AsRef<str>, spans: Spans) {
        let pointer = pointer.as_ref();
        if !self.contains_key(pointer) {
            self.insert(pointer, spans);
        }
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &Spans) -> bool) {
        let old = std::mem::take(self);
        for (pointer, spans) in old.iter() {
            if keep(pointer, &spans) {
                self.insert(pointer, spans);
            }
        }
    }

    fn remove_at(&mut self, i: usize) {
        // rare (a span past 4 GiB replacing a narrow one): rebuilt without it
        let old = std::mem::take(self);
        for (j, e) in old.entries.iter().enumerate() {
            if j != i {
                self.insert(old.name(e), Self::spans(e));
            }
        }
        self.wide = old.wide;
    }

    /// Every pointer and its spans: in insertion order, then the wide ones.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Spans)> + '_ {
        self.entries
            .iter()
            .map(|e| (self.name(e), Self::spans(e)))
            .chain(self.wide.iter().map(|(k, v)| (k.as_str(), v.clone())))
    }

    pub fn values(&self) -> impl Iterator<Item = Spans> + '_ {
        self.iter().map(|(_, s)| s)
    }

    pub fn len(&self) -> usize {
        self.entries.len() + self.wide.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A parsed document plus the span of every JSON Pointer in it.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub spans: SpanMap,
    /// How the file writes new text ([`Document::file_style`]), computed
    /// once: every fix planned in the file asks for it.
    file_style: std::sync::OnceLock<(Option<u8>, bool)>,
    /// The offsets of the line-break bytes (CR, LF) of the text it was
    /// parsed from, with that text's length ([`Document::line_breaks`]).
    line_breaks: std::sync::OnceLock<(usize, Vec<usize>)>,
}

/// A parse failure at a byte offset.
#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub offset: usize,
    pub end: usize,
    pub message: String,
}

impl Document {
    pub fn new(value: Value, spans: SpanMap) -> Document {
        Document {
            value,
            spans,
            file_style: std::sync::OnceLock::new(),
            line_breaks: std::sync::OnceLock::new(),
        }
    }

    /// The offsets of every CR and LF byte of `bytes`, the text this
    /// document was parsed from, in order: found once per document, so that
    /// the fixes planned in a one-line file with thousands of findings do not
    /// each scan the file for their line's start and end (quadratic). A text
    /// of another length gets its own, uncached.
    pub fn line_breaks(&self, bytes: &[u8]) -> Cow<'_, [usize]> {
        let find = || memchr::memchr2_iter(b'\n', b'\r', bytes).collect::<Vec<usize>>();
        let (len, breaks) = self.line_breaks.get_or_init(|| (bytes.len(), find()));
        if *len == bytes.len() {
            Cow::Borrowed(breaks)
        } else {
            Cow::Owned(find())
        }
    }

    /// Of `bytes`, the text this document was parsed from: the quote (`"`
    /// or `'`) of its first quoted string value, if any, and whether it has
    /// CRLF line ends.
    pub fn file_style(&self, bytes: &[u8]) -> (Option<u8>, bool) {
        *self.file_style.get_or_init(|| {
            let quote = self
                .spans
                .values()
                .filter_map(|s| match bytes.get(s.value.start) {
                    Some(&q @ (b'"' | b'\'')) => Some((s.value.start, q)),
                    _ => None,
                })
                .min()
                .map(|(_, q)| q);
            (quote, memchr::memmem::find(bytes, b"\r\n").is_some())
        })
    }

    /// The byte range to report for `pointer`: the key when the value is an
    /// object member (that is the line a reader looks for), else the value.
    /// A pointer that does not exist resolves to its nearest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return match &s.key {
                    Some(k) => k.start..s.value.end.max(k.end),
                    None => s.value.clone(),
                };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }

    /// Whether `pointer` names a value that is present in the document.
    pub fn has(&self, pointer: &str) -> bool {
        self.spans.contains_key(pointer)
    }
}

pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    // bytes, not chars: `str::contains` with a char set is a slow path
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// A JSON Pointer token as the key it stands for (`~1` is `/`, `~0` is
/// `~`), borrowed when it holds no `~`.
pub fn unescape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// `value.pointer(pointer)` (RFC 6901, serde_json's reading of it: an
/// array index without a sign or leading zero) without allocating: a token
/// is unescaped only when it holds a `~`. Fix planning looks up a pointer
/// for every finding, and serde_json's version allocates two strings per
/// token (a fifth of planning a fix, callgrind).
pub fn lookup<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut target = value;
    for raw in rest.split('/') {
        let token = unescape_pointer_token(raw);
        target = match target {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(list) => {
                if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                    return None;
                }
                list.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(target)
}

/// Deepest nesting of objects and arrays accepted (the README's promise).
pub const MAX_DEPTH: usize = 512;

/// A key that appears twice in one object: OpenClaw's JSON5 parser keeps the
/// last value, while a reviewer reading the file top-down sees the first.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// JSON Pointer of the member.
    pub pointer: String,
    pub key: String,
    /// Byte range of the first key.
    pub first: Range<usize>,
    /// Byte range of the later key (the one whose value takes effect).
    pub last: Range<usize>,
}

/// Parses JSON or JSON5 text. Nesting deeper than [`MAX_DEPTH`] levels is a
/// parse failure, never a stack overflow: the parser keeps an explicit stack
/// and builds the value and its spans in one pass, without an intermediate
/// syntax tree, so memory is linear in the input with a small constant.
pub fn parse(bytes: &[u8]) -> Result<Document, ParseFailure> {
    parse_with_duplicates(bytes).map(|(d, _)| d)
}

/// [`parse`], also returning every duplicate key, in file order.
pub fn parse_with_duplicates(bytes: &[u8]) -> Result<(Document, Vec<Duplicate>), ParseFailure> {
    parse_inner(bytes, true)
}

/// The value [`parse`] gives, without the spans (for a document whose value
/// was let go while its spans were kept: the same bytes, the same value).
pub fn parse_value(bytes: &[u8]) -> Result<Value, ParseFailure> {
    parse_inner(bytes, false).map(|(d, _)| d.value)
}

fn parse_inner(bytes: &[u8], keep_spans: bool) -> Result<(Document, Vec<Duplicate>), ParseFailure> {
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(ParseFailure {
            offset: 0,
            end: 1,
            message: format!(
                "the file is {encoding} text (its byte order mark says so): OpenClaw reads its config as UTF-8 and rejects it; save it as UTF-8"
            ),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            return Err(ParseFailure {
                offset: at,
                end: at + 1,
                message: "the file is not valid UTF-8".into(),
            });
        }
    };
    // A UTF-8 byte order mark is allowed; keep offsets relative to the bytes.
    let (text, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    let text = line_separators_as_newlines(text);
    let mut p = Parser::new(&text, base);
    p.keep_spans = keep_spans;
    p.run()
}

/// The UTF-16 or UTF-32 encoding a byte order mark at the start of `bytes`
/// names, if any.
pub fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some("UTF-32LE")
    } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("UTF-32BE")
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some("UTF-16LE")
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// The first `limit` bytes of `bytes` decoded from the UTF-16 or UTF-32 its
/// byte order mark names (invalid units as U+FFFD), or `None` without such
/// a mark.
pub fn decode_wide(bytes: &[u8], limit: usize) -> Option<String> {
    let enc = wide_encoding(bytes)?;
    let bytes = &bytes[..bytes.len().min(limit)];
    let unit = |c: &[u8]| match enc {
        "UTF-16LE" => u32::from(u16::from_le_bytes([c[0], c[1]])),
        "UTF-16BE" => u32::from(u16::from_be_bytes([c[0], c[1]])),
        "UTF-32LE" => u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
        _ => u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
    };
    if enc.starts_with("UTF-32") {
        return Some(
            bytes[4..]
                .chunks_exact(4)
                .map(|c| char::from_u32(unit(c)).unwrap_or('\u{fffd}'))
                .collect(),
        );
    }
    let units = bytes[2..].chunks_exact(2).map(|c| unit(c) as u16);
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

/// U+2028 and U+2029 are whitespace and line terminators in JSON5 (they end a
/// `//` comment, as in OpenClaw's parser), and may stand literally in strings.
/// Outside strings each becomes a newline and two spaces (the same three
/// bytes, so offsets do not move).
fn line_separators_as_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let is_sep = |i: usize| {
        b.len() >= i + 3
            && b[i] == 0xE2
            && b[i + 1] == 0x80
            && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9)
    };
    // U+FEFF is whitespace too (JSON5's `WhiteSpace`), anywhere outside a string
    let is_bom = |i: usize| b.get(i..i + 3) == Some("\u{feff}".as_bytes());
    if memchr::memmem::find(b, "\u{2028}".as_bytes()).is_none()
        && memchr::memmem::find(b, "\u{2029}".as_bytes()).is_none()
        && memchr::memmem::find(b, "\u{feff}".as_bytes()).is_none()
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    let mut lex = Lexer::default();
    let mut i = 0;
    while i < b.len() {
        if is_sep(i) && matches!(lex.state, State::Normal | State::LineComment) {
            out[i..i + 3].copy_from_slice(b"\n  ");
            lex.state = State::Normal;
            i += 3;
            continue;
        }
        if is_bom(i) && matches!(lex.state, State::Normal) {
            out[i..i + 3].copy_from_slice(b"   ");
            i += 3;
            continue;
        }
        i += lex.step(b, i);
    }
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Normal,
    Str(u8),
    LineComment,
    BlockComment,
}

/// A tolerant JSON5 lexer state: strings and comments only, never an error.
#[derive(Default)]
struct Lexer {
    state: State,
}

impl Lexer {
    /// Advances over the byte at `i` (and what it starts), returning how many bytes were consumed.
    fn step(&mut self, b: &[u8], i: usize) -> usize {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match self.state {
            State::Normal => match (c, next) {
                (b'"' | b'\'', _) => {
                    self.state = State::Str(c);
                    1
                }
                (b'/', Some(b'/')) => {
                    self.state = State::LineComment;
                    2
                }
                (b'/', Some(b'*')) => {
                    self.state = State::BlockComment;
                    2
                }
                _ => 1,
            },
            State::Str(q) => {
                if c == b'\\' {
                    2.min(b.len() - i)
                } else {
                    if c == q || c == b'\n' || c == b'\r' {
                        self.state = State::Normal;
                    }
                    1
                }
            }
            State::LineComment => {
                if c == b'\n' || c == b'\r' {
                    self.state = State::Normal;
                }
                1
            }
            State::BlockComment => {
                if c == b'*' && next == Some(b'/') {
                    self.state = State::Normal;
                    2
                } else {
                    1
                }
            }
        }
    }
}

/// Whether the top-level object of `bytes` has a key for which `pred(key,
/// value_is_object)` holds, by a tolerant scan that needs no valid syntax: a
/// file that looks like a config but does not parse is still recognised (and
/// reported), and a huge data file costs one linear pass, no allocation per value.
pub fn has_top_level_key(bytes: &[u8], pred: impl Fn(&str, bool) -> bool) -> bool {
    top_level_key_until(bytes, |k, object| pred(&k, object))
}

/// [`has_top_level_key`] with each key borrowed from `bytes` when it has no
/// escape (and is valid UTF-8), so that listing the keys of a data file
/// allocates only for the keys kept.
pub fn top_level_key_until<'a>(
    bytes: &'a [u8],
    mut pred: impl FnMut(Cow<'a, str>, bool) -> bool,
) -> bool {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut lex = Lexer::default();
    let mut depth = 0usize;
    let mut started = false;
    // A string or word just seen at depth 1 (its raw bytes, and whether it
    // was quoted), and a key waiting for its value. Only a key is decoded.
    let mut candidate: Option<(Range<usize>, bool)> = None;
    let mut awaiting: Option<Cow<'a, str>> = None;
    let mut i = 0;
    while i < b.len() {
        if lex.state != State::Normal {
            i = skip_plain(b, i, lex.state);
            if i < b.len() {
                i += lex.step(b, i);
            }
            continue;
        }
        let c = b[i];
        if c.is_ascii_whitespace() || c >= 0x80 && !started {
            i += 1;
            continue;
        }
        if c == b'/' && matches!(b.get(i + 1), Some(b'/' | b'*')) {
            i += lex.step(b, i);
            continue;
        }
        if !started {
            if c != b'{' {
                return false;
            }
            started = true;
            depth = 1;
            i += 1;
            continue;
        }
        if depth > 1 && !STRUCTURAL[usize::from(c)] {
            // Inside a nested value nothing but structure, strings and
            // comments matters (there is no key to remember down there).
            i += 1;
            while i < b.len() && !STRUCTURAL[usize::from(b[i])] {
                i += 1;
            }
            continue;
        }
        if let Some(k) = awaiting.take() {
            if pred(k, c == b'{') {
                return true;
            }
        }
        match c {
            b'"' | b'\'' => {
                let start = i + 1;
                i += lex.step(b, i);
                while i < b.len() && lex.state != State::Normal {
                    i = skip_plain(b, i, lex.state);
                    if i < b.len() {
                        i += lex.step(b, i);
                    }
                }
                let end = if i > start && i <= b.len() && b.get(i - 1) == Some(&c) {
                    i - 1
                } else {
                    i.min(b.len())
                };
                candidate = (depth == 1).then_some((start..end.max(start), true));
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            b':' if depth == 1 => {
                awaiting = candidate.take().map(|(r, quoted)| {
                    if quoted {
                        unescape(&b[r])
                    } else {
                        String::from_utf8_lossy(&b[r])
                    }
                })
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                candidate = (depth == 1).then_some((start..i, false));
                continue;
            }
            _ => {}
        }
        candidate = None;
        i += 1;
    }
    false
}

/// The bytes that can change [`has_top_level_key`]'s state below the top
/// level: brackets, quotes and the `/` of a comment.
const STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    while k < 7 {
        t[b"{}[]\"'/"[k] as usize] = true;
        k += 1;
    }
    t
};

/// From `i`, inside a string or comment (`state`), the first byte that can
/// end it or escape (what [`Lexer::step`] must see); the bytes before it
/// leave the state as it is.
fn skip_plain(b: &[u8], i: usize, state: State) -> usize {
    let rest = &b[i..];
    let n = match state {
        State::Normal => 0,
        State::Str(q) => {
            let n = memchr::memchr3(q, b'\\', b'\n', rest).unwrap_or(rest.len());
            memchr::memchr(b'\r', &rest[..n]).unwrap_or(n)
        }
        State::LineComment => memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len()),
        State::BlockComment => memchr::memchr(b'*', rest).unwrap_or(rest.len()),
    };
    i + n
}

/// Decodes the escapes of a string's raw content, leniently (for recognition only).
fn unescape(raw: &[u8]) -> Cow<'_, str> {
    let s = String::from_utf8_lossy(raw);
    if !s.contains('\\') {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('u') => {
                let hex: String = (0..4).filter_map(|_| it.next()).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some('x') => {
                let hex: String = (0..2).filter_map(|_| it.next()).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\n' | '\r' | '\u{2028}' | '\u{2029}') | None => {}
            Some(other) => out.push(other),
        }
    }
    Cow::Owned(out)
}

enum Frame {
    Object {
        map: Map<String, Value>,
        start: usize,
        /// The key whose value is being parsed, its range, and the range of
        /// an earlier key of the same name (absolute).
        key: Option<(String, Range<usize>, Option<Range<usize>>)>,
        ptr_len: usize,
    },
    Array {
        items: Vec<Value>,
        start: usize,
        ptr_len: usize,
    },
}

struct Parser<'a> {
    sc: jsonc_parser::Scanner<'a>,
    base: usize,
    len: usize,
    stack: Vec<Frame>,
    pointer: String,
    spans: SpanMap,
    keep_spans: bool,
    duplicates: Vec<Duplicate>,
    /// Value ranges of members a later duplicate replaced: their spans go.
    replaced: Vec<Range<usize>>,
    last_end: usize,
    text: &'a str,
    /// The first container closed by a bracket indented less than the line
    /// it opened on (its start, and whether it is an object): when the file
    /// ends unterminated, that container is the one missing its closer.
    misclosed: Option<(usize, bool)>,
    /// The bytes of the JSON Pointers of the values so far: bounded by
    /// [`POINTER_FACTOR`] times the text (long keys nested deep would
    /// otherwise make the span map grow with depth times size).
    pointer_bytes: usize,
}

/// The JSON Pointers of a document's values may take at most this many
/// times its size in bytes (and at least [`MIN_POINTER_BUDGET`]): a real
/// config's take one to three times its size.
pub const POINTER_FACTOR: usize = 8;
pub const MIN_POINTER_BUDGET: usize = 16 << 20;

type Tok<'a> = Option<jsonc_parser::tokens::Token<'a>>;

impl<'a> Parser<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        Parser {
            sc: jsonc_parser::Scanner::new(text, &jsonc_parser::ScannerOptions::default()),
            base,
            len: text.len(),
            stack: Vec::new(),
            pointer: String::new(),
            spans: SpanMap::new(),
            keep_spans: true,
            duplicates: Vec::new(),
            replaced: Vec::new(),
            last_end: 0,
            text,
            misclosed: None,
            pointer_bytes: 0,
        }
    }

    fn fail(&self, start: usize, end: usize, message: String) -> ParseFailure {
        let start = start.min(self.len);
        ParseFailure {
            offset: self.base + start,
            end: self.base + end.max(start + 1),
            message,
        }
    }

    fn at_token(&self, kind: jsonc_parser::errors::ParseErrorKind) -> ParseFailure {
        self.fail(self.sc.token_start(), self.sc.token_end(), kind.to_string())
    }

    /// The next token that is not a comment.
    fn scan(&mut self) -> Result<Tok<'a>, ParseFailure> {
        loop {
            match self.sc.scan() {
                Ok(Some(Token::CommentLine(_) | Token::CommentBlock(_))) => continue,
                Ok(t) => {
                    self.last_end = self.sc.token_end();
                    return Ok(t);
                }
                Err(e) => {
                    let r = e.range();
                    return Err(self.fail(r.start, r.end, e.kind().to_string()));
                }
            }
        }
    }

    fn run(mut self) -> Result<(Document, Vec<Duplicate>), ParseFailure> {
        use jsonc_parser::errors::ParseErrorKind as K;
        let mut tok = self.scan()?;
        if tok.is_none() {
            return Err(ParseFailure {
                offset: self.base,
                end: self.base,
                message: "the file is empty: expected a JSON object".into(),
            });
        }
        // `tok` is the first token of a value.
        let root = 'value: loop {
            let (mut value, mut range) = match tok.take() {
                None => {
                    return Err(match self.stack.last() {
                        Some(Frame::Array { .. }) => self.unterminated(),
                        _ => self.at_token(K::ExpectedObjectValue),
                    })
                }
                Some(Token::OpenBrace | Token::OpenBracket) if self.stack.len() >= MAX_DEPTH => {
                    return Err(self.fail(
                        self.sc.token_start(),
                        self.sc.token_end(),
                        format!("nesting deeper than {MAX_DEPTH} levels of objects and arrays"),
                    ));
                }
                Some(Token::OpenBrace) => {
                    self.stack.push(Frame::Object {
                        map: Map::new(),
                        start: self.sc.token_start(),
                        key: None,
                        ptr_len: self.pointer.len(),
                    });
                    tok = self.scan()?;
                    match self.object_entry(tok.take())? {
                        Some(t) => {
                            tok = t;
                            continue 'value;
                        }
                        None => self.close(),
                    }
                }
                Some(Token::OpenBracket) => {
                    self.stack.push(Frame::Array {
                        items: Vec::new(),
                        start: self.sc.token_start(),
                        ptr_len: self.pointer.len(),
                    });
                    tok = self.scan()?;
                    if matches!(tok, Some(Token::CloseBracket)) {
                        self.close()
                    } else {
                        self.pointer.push_str("/0");
                        continue 'value;
                    }
                }
                Some(Token::String(s)) => (Value::String(s.into_owned()), self.token_range()),
                Some(Token::Number(n)) => (number(n), self.token_range()),
                Some(Token::Boolean(b)) => (Value::Bool(b), self.token_range()),
                Some(Token::Null) => (Value::Null, self.token_range()),
                Some(Token::CloseBrace) => return Err(self.at_token(K::UnexpectedCloseBrace)),
                Some(Token::CloseBracket) => return Err(self.at_token(K::UnexpectedCloseBracket)),
                Some(Token::Comma) => return Err(self.at_token(K::UnexpectedComma)),
                Some(Token::Colon) => return Err(self.at_token(K::UnexpectedColon)),
                Some(Token::Word(_)) => return Err(self.at_token(K::UnexpectedWord)),
                Some(Token::CommentLine(_) | Token::CommentBlock(_)) => {
                    return Err(self.at_token(K::UnexpectedToken))
                }
            };
            // A value is complete: attach it to its container, then continue
            // with that container's next member (or close it).
            loop {
                let base = self.base;
                let key_range = match self.stack.last() {
                    Some(Frame::Object {
                        key: Some((_, k, _)),
                        ..
                    }) => Some(base + k.start..base + k.end),
                    _ => None,
                };
                if self.keep_spans {
                    self.pointer_bytes += self.pointer.len();
                    let budget = MIN_POINTER_BUDGET.max(self.len.saturating_mul(POINTER_FACTOR));
                    if self.pointer_bytes > budget {
                        return Err(self.fail(
                            range.start,
                            range.end,
                            format!(
                                "keys too long for their depth: the JSON Pointers of the values come to more than {} MB ({POINTER_FACTOR} times the file's size, at least {} MB)",
                                budget >> 20,
                                MIN_POINTER_BUDGET >> 20
                            ),
                        ));
                    }
                    self.spans.insert(
                        &self.pointer,
                        Spans {
                            key: key_range,
                            value: base + range.start..base + range.end,
                        },
                    );
                }
                let after_value_end = self.last_end;
                let Some(frame) = self.stack.last_mut() else {
                    break 'value value;
                };
                match frame {
                    Frame::Object {
                        map, key, ptr_len, ..
                    } => {
                        let (name, krange, first) = key.take().unwrap_or_default();
                        if let Some(first) = first {
                            self.duplicates.push(Duplicate {
                                pointer: self.pointer.clone(),
                                key: name.clone(),
                                first,
                                last: base + krange.start..base + krange.end,
                            });
                        }
                        self.pointer.truncate(*ptr_len);
                        map.insert(name, value);
                        tok = self.scan()?;
                        match tok {
                            Some(Token::Comma) => tok = self.scan()?,
                            Some(
                                Token::String(_)
                                | Token::Word(_)
                                | Token::Number(_)
                                | Token::Boolean(_)
                                | Token::Null,
                            ) => {
                                return Err(self.fail(
                                    after_value_end,
                                    after_value_end,
                                    K::ExpectedComma.to_string(),
                                ));
                            }
                            _ => {}
                        }
                        match self.object_entry(tok.take())? {
                            Some(t) => {
                                tok = t;
                                continue 'value;
                            }
                            None => (value, range) = self.close(),
                        }
                    }
                    Frame::Array { items, ptr_len, .. } => {
                        items.push(value);
                        let n = items.len();
                        self.pointer.truncate(*ptr_len);
                        tok = self.scan()?;
                        match &tok {
                            Some(Token::Comma) => tok = self.scan()?,
                            Some(t) if is_value_start(t) => {
                                return Err(self.fail(
                                    after_value_end,
                                    after_value_end,
                                    K::ExpectedComma.to_string(),
                                ));
                            }
                            _ => {}
                        }
                        match tok {
                            Some(Token::CloseBracket) => (value, range) = self.close(),
                            None => return Err(self.unterminated()),
                            _ => {
                                self.pointer.push('/');
                                self.pointer.push_str(&n.to_string());
                                continue 'value;
                            }
                        }
                    }
                }
            }
        };
        if self.scan()?.is_some() {
            return Err(self.at_token(K::MultipleRootJsonValues));
        }
        let Parser {
            mut spans,
            duplicates,
            mut replaced,
            ..
        } = self;
        if !replaced.is_empty() {
            replaced.sort_by_key(|r| r.start);
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(replaced.len());
            for r in replaced {
                match merged.last_mut() {
                    Some(m) if r.start < m.end => m.end = m.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            spans.retain(|_, s| {
                let i = merged.partition_point(|m| m.start <= s.value.start);
                i == 0 || s.value.end > merged[i - 1].end
            });
        }
        Ok((Document::new(root, spans), duplicates))
    }

    fn token_range(&self) -> Range<usize> {
        self.sc.token_start()..self.sc.token_end()
    }

    /// At token `tok` inside the innermost object: reads a member's key and
    /// colon and returns the first token of its value, or `None` at `}`.
    fn object_entry(&mut self, tok: Tok<'a>) -> Result<Option<Tok<'a>>, ParseFailure> {
        use jsonc_parser::errors::ParseErrorKind as K;
        let name = match tok {
            Some(Token::CloseBrace) => return Ok(None),
            Some(Token::String(s)) => s.into_owned(),
            Some(Token::Word(w) | Token::Number(w)) => w.to_string(),
            Some(Token::Boolean(b)) => b.to_string(),
            Some(Token::Null) => "null".to_string(),
            None => return Err(self.unterminated()),
            Some(_) => return Err(self.at_token(K::UnexpectedTokenInObject)),
        };
        let krange = self.token_range();
        if !matches!(self.scan()?, Some(Token::Colon)) {
            return Err(self.at_token(K::ExpectedColonAfterObjectKey));
        }
        let first = self.scan()?;
        if first.is_none() {
            return Err(self.at_token(K::ExpectedObjectValue));
        }
        if let Some(Frame::Object {
            map, key, ptr_len, ..
        }) = self.stack.last_mut()
        {
            self.pointer.truncate(*ptr_len);
            self.pointer.push('/');
            self.pointer.push_str(&escape_pointer_token(&name));
            let mut first = None;
            if map.contains_key(&name) {
                // A duplicate: the earlier member's spans (its own and its
                // children's) give way to this one's.
                if let Some(old) = self.spans.get(&self.pointer) {
                    self.replaced.push(old.value.clone());
                    first = Some(old.key.clone().unwrap_or_else(|| old.value.clone()));
                }
            }
            *key = Some((name, krange, first));
        }
        Ok(Some(first))
    }

    /// The file ended inside open containers: the failure is where the
    /// innermost one opened, or, when a container nested in it was closed by
    /// a bracket that by its indentation closes an enclosing one, where that
    /// container opened: it is the one missing its closer.
    fn unterminated(&self) -> ParseFailure {
        use jsonc_parser::errors::ParseErrorKind as K;
        let (open, object) = match self.stack.last() {
            Some(Frame::Object { start, .. }) => (*start, true),
            Some(Frame::Array { start, .. }) => (*start, false),
            None => (0, true),
        };
        let kind = |object| {
            if object {
                K::UnterminatedObject
            } else {
                K::UnterminatedArray
            }
        };
        match self.misclosed {
            Some((start, inner)) if start > open => self.fail(
                start,
                start + 1,
                format!(
                    "{}: the {} opened here is not closed (by its indentation, a later closing bracket belongs to an enclosing {})",
                    kind(inner),
                    if inner { "object" } else { "array" },
                    if object { "object" } else { "array" },
                ),
            ),
            _ => self.fail(open, self.sc.token_end(), kind(object).to_string()),
        }
    }

    /// Remembers the container opened at `start` when the bracket closing it
    /// (at `close`) starts a line indented less than the line it opened on.
    /// Each look is bounded (a minified file costs nothing).
    fn note_misclosed(&mut self, start: usize, close: usize, object: bool) {
        const LOOK: usize = 1024;
        let b = self.text.as_bytes();
        let blank = |c: u8| c == b' ' || c == b'\t';
        // indentation of the line a position is on, if the line starts within LOOK bytes
        let indent = |at: usize, only_blank: bool| -> Option<usize> {
            let from = at.saturating_sub(LOOK);
            let line = b[from..at]
                .iter()
                .rposition(|&c| c == b'\n' || c == b'\r')
                .map(|i| from + i + 1)
                .or((from == 0).then_some(0))?;
            let n = b[line..at].iter().take_while(|&&c| blank(c)).count();
            (!only_blank || line + n == at).then_some(n)
        };
        if self.misclosed.is_some() {
            return;
        }
        if let (Some(closer), Some(opener)) = (indent(close, true), indent(start, false)) {
            if closer < opener {
                self.misclosed = Some((start, object));
            }
        }
    }

    /// Closes the innermost container at its closing token.
    fn close(&mut self) -> (Value, Range<usize>) {
        let end = self.sc.token_end();
        let close_at = self.sc.token_start();
        match self.stack.last() {
            Some(Frame::Object { start, .. }) => self.note_misclosed(*start, close_at, true),
            Some(Frame::Array { start, .. }) => self.note_misclosed(*start, close_at, false),
            None => {}
        }
        match self.stack.pop() {
            Some(Frame::Object {
                map,
                start,
                ptr_len,
                ..
            }) => {
                self.pointer.truncate(ptr_len);
                // An object's members are known: no spare capacity (half
                // the memory of a document of many small objects).
                let mut exact = Map::with_capacity(map.len());
                exact.extend(map);
                (Value::Object(exact), start..end)
            }
            Some(Frame::Array {
                mut items,
                start,
                ptr_len,
            }) => {
                self.pointer.truncate(ptr_len);
                items.shrink_to_fit();
                (Value::Array(items), start..end)
            }
            None => (Value::Null, end..end),
        }
    }
}

use jsonc_parser::tokens::Token;

fn is_value_start(t: &Token<'_>) -> bool {
    matches!(
        t,
        Token::OpenBrace
            | Token::OpenBracket
            | Token::String(_)
            | Token::Boolean(_)
            | Token::Number(_)
            | Token::Null
    )
}

/// JSON5 numbers: decimal, hex, leading `+`, bare decimal points, Infinity, NaN.
/// Non-finite numbers have no JSON form and are kept as their text.
fn number(text: &str) -> Value {
    let (neg, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        if let Ok(v) = i64::from_str_radix(hex, 16) {
            return Value::Number(Number::from(if neg { -v } else { v }));
        }
    }
    if let Ok(v) = digits.parse::<u64>() {
        if !neg {
            return Value::Number(Number::from(v));
        }
        if let Ok(v) = i64::try_from(v) {
            return Value::Number(Number::from(-v));
        }
    }
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => Number::from_f64(if neg { -v } else { v })
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_string())),
        _ => Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    /// [`super::lookup`] finds what serde_json's `Value::pointer` finds, for
    /// every pointer of a document with escaped keys, empty keys, numeric
    /// keys and arrays, and for pointers that do not resolve.
    #[test]
    fn lookup_is_serde_jsons_pointer() {
        let doc = serde_json::json!({
            "a": {"b/c": [10, {"~x": true, "": [1, 2]}], "0": "zero", "01": "one"},
            "": {"": null},
            "m~n": {"~1": 1, "/": 2, "~0": 3},
            "list": [[], {}, [0, [1, [2]]]],
        });
        let mut pointers = vec![String::new()];
        fn all(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
            let children: Vec<(String, &serde_json::Value)> = match v {
                serde_json::Value::Object(m) => m
                    .iter()
                    .map(|(k, x)| (super::escape_pointer_token(k).into_owned(), x))
                    .collect(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (i.to_string(), x))
                    .collect(),
                _ => Vec::new(),
            };
            for (token, x) in children {
                let p = format!("{at}/{token}");
                out.push(p.clone());
                all(x, p, out);
            }
        }
        all(&doc, String::new(), &mut pointers);
        let found = pointers.len();
        for extra in [
            "a",
            "/",
            "//",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/2",
            "/a/b~1c/-1",
            "/a/b~1c/1/~x",
            "/a/b~1c/1/~0x",
            "/a/00",
            "/a/01",
            "/list/2/1/1/0",
            "/list/2/1/1/0/0",
            "/m~0n/~01",
            "/m~0n/~1",
            "/m~0n/~10",
            "/m~n",
            "/list/ 1",
            "/list/1 ",
            "/list/18446744073709551616",
        ] {
            pointers.push(extra.to_string());
        }
        for p in &pointers {
            assert_eq!(super::lookup(&doc, p), doc.pointer(p), "{p:?}");
        }
        assert!(found > 20, "{found} pointers");
        let resolved = pointers.iter().filter(|p| doc.pointer(p).is_some()).count();
        assert!(resolved > found, "some extra pointers resolve, others not");
    }

    #[test]
    fn span_map_behaves_as_a_map_of_pointers() {
        // Random inserts (some replacing, some past 32 bits), inserts if
        // absent and retains, checked against a HashMap after each step.
        let mut rng = crate::test_rng(3);
        let mut map = super::SpanMap::new();
        let mut model: std::collections::HashMap<String, super::Spans> = Default::default();
        let mut order: Vec<String> = Vec::new();
        let big = u32::MAX as usize;
        for step in 0..3000 {
            let p = format!("/a/{}", rng(400));
            let base = if rng(50) == 0 {
                big + rng(10)
            } else {
                rng(1 << 20)
            };
            let spans = super::Spans {
                key: (rng(2) == 0).then(|| base..base + 3),
                value: base + 4..base + 9 + rng(5),
            };
            match rng(10) {
                0 => {
                    map.insert_if_absent(&p, spans.clone());
                    model.entry(p.clone()).or_insert(spans);
                }
                _ => {
                    map.insert(&p, spans.clone());
                    model.insert(p.clone(), spans);
                }
            }
            if step % 300 == 299 {
                let cut = rng(7);
                map.retain(|_, s| s.value.start % 7 != cut);
                model.retain(|_, s| s.value.start % 7 != cut);
            }
            if !order.contains(&p) {
                order.push(p.clone());
            }
            assert_eq!(map.len(), model.len());
            for q in &order {
                let got = map.get(q);
                let want = model.get(q);
                assert_eq!(
                    got.as_ref().map(|s| (&s.key, &s.value)),
                    want.map(|s| (&s.key, &s.value)),
                    "{q}"
                );
                assert_eq!(map.contains_key(q), want.is_some());
            }
        }
        let mut seen: Vec<String> = map.iter().map(|(p, _)| p.to_string()).collect();
        seen.sort();
        let mut want: Vec<String> = model.keys().cloned().collect();
        want.sort();
        assert_eq!(seen, want);
        assert!(map.get("/nowhere").is_none() && !map.contains_key("/a"));
    }

    use super::*;

    #[test]
    fn json5_with_spans() {
        let text = "// c\n{\n  agents: { 'a-b': { timeout: 0x78, x: +1, },\n  },\n}\n";
        let doc = parse(text.as_bytes()).unwrap();
        assert_eq!(doc.value["agents"]["a-b"]["timeout"], 120);
        assert_eq!(doc.value["agents"]["a-b"]["x"], 1);
        let r = doc.locate("/agents/a-b/timeout");
        assert_eq!(&text[r.start..r.start + 7], "timeout");
        // missing pointer resolves to the nearest ancestor
        let r2 = doc.locate("/agents/a-b/missing");
        assert_eq!(&text[r2.start..r2.start + 5], "'a-b'");
    }

    #[test]
    fn failures_are_positions_not_panics() {
        assert!(parse(b"").is_err());
        assert!(parse(b"{").is_err());
        assert!(parse(b"\xff{}").is_err());
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let err = parse(deep.as_bytes()).unwrap_err();
        assert!(
            err.message.to_lowercase().contains("nesting"),
            "{}",
            err.message
        );
        assert!(parse(b"[]").is_ok());
    }

    #[test]
    fn nesting_up_to_512_levels_of_objects_or_arrays() {
        let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert!(parse(objects(512).as_bytes()).is_ok());
        let err = parse(objects(513).as_bytes()).unwrap_err();
        assert!(err.message.contains("512"), "{}", err.message);
        assert_eq!(err.offset, 512 * 5);
        let arrays = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(arrays(512).as_bytes()).is_ok());
        assert!(parse(arrays(513).as_bytes()).is_err());
        // no recursion: far deeper input is an error, not a stack overflow
        assert!(parse(arrays(1_000_000).as_bytes()).is_err());
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_last_wins() {
        let text = "{\"a\": {\"x\": 1, \"y\": [2]},\n \"a\": {\"x\": 3}}";
        let (doc, dups) = parse_with_duplicates(text.as_bytes()).unwrap();
        assert_eq!(doc.value["a"]["x"], 3);
        assert!(
            !doc.has("/a/y") && !doc.has("/a/y/0"),
            "spans of the replaced value are gone"
        );
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].pointer, "/a");
        assert_eq!(&text[dups[0].first.clone()], "\"a\"");
        assert_eq!(dups[0].last.start, text.rfind("\"a\"").unwrap());
        assert_eq!(&text[doc.locate("/a/x").start..][..3], "\"x\"");
        assert!(doc.locate("/a/x").start > dups[0].last.start);
    }

    #[test]
    fn line_separators_are_whitespace_and_end_line_comments() {
        let text = "// header\u{2028}{\"agents\": {\"a\": 1}, // x\u{2029}\"s\": \"p\u{2028}q\"}";
        let doc = parse(text.as_bytes()).unwrap();
        assert_eq!(doc.value["agents"]["a"], 1);
        assert_eq!(doc.value["s"], "p\u{2028}q");
    }

    #[test]
    fn same_values_spans_and_errors_as_before() {
        let text = "{a: 1, 'b': [true, null, -0x10, .5,], \"c\": {\"d\\u0065\": \"e\"},}";
        let doc = parse(text.as_bytes()).unwrap();
        assert_eq!(
            doc.value,
            serde_json::json!({"a": 1, "b": [true, null, -16, 0.5], "c": {"de": "e"}})
        );
        assert_eq!(&text[doc.locate("/b/3")], ".5");
        assert_eq!(&text[doc.locate("/c")], "\"c\": {\"d\\u0065\": \"e\"}");
        for (bad, msg, at) in [
            ("{\"a\": 1 \"b\": 2}", "Expected comma", 7),
            ("{\"a\": }", "Unexpected close brace", 6),
            ("{\"a\" 1}", "Expected colon", 5),
            ("[1, 2", "Unterminated array", 0),
            ("{\"a\": [1, {", "Unterminated object", 10),
            ("{} {}", "more than one", 3),
        ] {
            let e = parse(bad.as_bytes()).unwrap_err();
            assert!(e.message.contains(msg), "{bad}: {}", e.message);
            assert_eq!(e.offset, at, "{bad}: {}", e.message);
        }
    }

    /// An inner object missing its `}` takes the outer one's: the file ends
    /// unterminated, and the error is where the inner object opened (by the
    /// indentation), not at the top of the file.
    #[test]
    fn an_unclosed_inner_object_is_reported_where_it_opened() {
        let text = "// settings\n{\n  gateway: {\n    auth: {\n      mode: 'token',\n  },\n  agents: [\n    {id: 'a'},\n  ],\n}\n";
        let e = parse(text.as_bytes()).unwrap_err();
        let at = text.find("auth: {").unwrap() + "auth: ".len();
        assert_eq!(e.offset, at, "{}", e.message);
        assert!(
            e.message.starts_with("Unterminated object"),
            "{}",
            e.message
        );
        // the same for an array
        let text = "[\n  [\n    1,\n]\n";
        let e = parse(text.as_bytes()).unwrap_err();
        assert_eq!(e.offset, 4, "{}", e.message);
        assert!(e.message.starts_with("Unterminated array"), "{}", e.message);
        // without indentation to go by: the innermost open container, as before
        let e = parse(b"{\"a\": {\"b\": 1}").unwrap_err();
        assert_eq!(e.offset, 0, "{}", e.message);
        // a container closed at a smaller indentation in a file that parses is fine
        assert!(parse(b"{\n    \"a\": [1,\n2\n]}").is_ok());
    }

    /// Errors at the same place, with the same message, as jsonc-parser's own tree builder.
    #[test]
    fn errors_match_jsonc_parser() {
        let cases = [
            "{",
            "}",
            "]",
            "[",
            ",",
            ":",
            "x",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,,}",
            "[1,,2]",
            "[1 2]",
            "{a b}",
            "{[]: 1}",
            "{\"a\": 1} x",
            "[1, {\"b\": [}]]",
            "{\"a\": \"x",
            "{/* c",
            "[1,]",
            "{\"a\": 1,}",
            "{\"a\": tru}",
            "{\"a\": 0x}",
            "{\"a\": -}",
            "{1: 2, true: 3, null: 4}",
            "// c\n",
            "{\"a\": [1, 2] \"b\": 1}",
            "[[1] [2]]",
            "{\"a\": {} {}}",
            "{'a': 'b\\q'}",
            "{\"a\": \"\\u12\"}",
            "[1 x]",
            "{\"a\": 1 b: 2}",
            "{\"a\":: 1}",
            "[}",
        ];
        for case in cases {
            let ours = parse(case.as_bytes());
            let theirs = jsonc_parser::parse_to_ast(
                case,
                &jsonc_parser::CollectOptions::default(),
                &jsonc_parser::ParseOptions {
                    allow_missing_commas: false,
                    ..Default::default()
                },
            );
            match (ours, theirs) {
                (Ok(_), Ok(t)) => assert!(t.value.is_some(), "{case}"),
                (Err(o), Ok(t)) => assert!(
                    t.value.is_none() && o.message.contains("empty"),
                    "{case}: {}",
                    o.message
                ),
                (Err(o), Err(t)) => {
                    assert_eq!(o.message, t.kind().to_string(), "{case}");
                    assert_eq!(o.offset, t.range().start, "{case}");
                }
                (Ok(_), Err(t)) => panic!("{case}: accepted, jsonc-parser says {t}"),
            }
        }
    }

    #[test]
    fn tolerant_top_level_keys() {
        let has = |t: &str, k: &str| has_top_level_key(t.as_bytes(), |key, _| key == k);
        assert!(has(
            "{\"gateway\": {\"bind\": \"lan\" \"auth\": {}}}",
            "gateway"
        ));
        assert!(has("// c\n{ openclaw: { agents: {} ", "openclaw"));
        assert!(has("{\"open\\u0063law\": {}}", "openclaw"));
        assert!(!has("{\"a\": {\"openclaw\": {}}}", "openclaw"));
        assert!(!has("[{\"openclaw\": {}}]", "openclaw"));
        assert!(!has("{\"x\": \"openclaw: \"}", "openclaw"));
        assert!(has_top_level_key(b"{\"openclaw\": {}}", |k, obj| k
            == "openclaw"
            && obj));
        assert!(!has_top_level_key(b"{\"openclaw\": 1}", |k, obj| k
            == "openclaw"
            && obj));
    }

    /// The skips over string, comment and nested-value bytes stop wherever
    /// the byte-by-byte scan would change state: quotes, escapes, line ends,
    /// comment ends and brackets inside nested values.
    #[test]
    fn top_level_keys_skip_only_inert_bytes() {
        let keys = |t: &[u8]| {
            let v = std::cell::RefCell::new(Vec::new());
            has_top_level_key(t, |k, obj| {
                v.borrow_mut().push((k.to_string(), obj));
                false
            });
            v.into_inner()
        };
        let k = |names: &[(&str, bool)]| -> Vec<(String, bool)> {
            names.iter().map(|(n, o)| (n.to_string(), *o)).collect()
        };
        // brackets and quotes inside nested strings and comments
        assert_eq!(
            keys(b"{\"a\": {\"x\": \"}}]\\\"{\", /* } \" */ y: [1, '}'], // }\n z: 2}, b: {}}"),
            k(&[("a", true), ("b", true)])
        );
        // a line end ends a string (tolerant scan): the `}` after it counts
        assert_eq!(
            keys(b"{\"a\": {\"x\": \"open\n}, \"b\": 1}"),
            k(&[("a", true), ("b", false)])
        );
        assert_eq!(
            keys(b"{\"a\": {\"x\": \"open\r}, \"b\": 1}"),
            k(&[("a", true), ("b", false)])
        );
        // an escaped quote and a trailing backslash at the end of the input
        assert_eq!(
            keys(b"{\"a\\\"b\": 1, \"c\": \"\\"),
            k(&[("a\"b", false), ("c", false)])
        );
        // a block comment whose stars do not close it at once
        assert_eq!(
            keys(b"{/* * ** *x*/ \"a\" /***/ : {\"n\": [[/* ] */]]}, b: 2}"),
            k(&[("a", true), ("b", false)])
        );
        // words, numbers and non-ASCII bytes inside nested values
        assert_eq!(
            keys("{\"a\": [tr\u{e9}s, 1e5, {c: d}], \"b\": {}}".as_bytes()),
            k(&[("a", false), ("b", true)])
        );
        // a key given only by a word, and a word that is a value
        assert_eq!(keys(b"{ a: x, b: {} }"), k(&[("a", false), ("b", true)]));
    }
}
