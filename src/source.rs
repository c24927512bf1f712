//! Source text and positions: files are kept as bytes, positions are computed
//! on demand from a line index.
//!
//! Columns are 1-based and count UTF-16 code units (SARIF's default
//! `columnKind`), so a column reported here is the one GitHub highlights.
//! Bytes that are not valid UTF-8 count as one unit each.

/// Byte offsets of the start of every line of a buffer. CR, LF and CRLF all
/// end a line (a file saved with classic Mac line endings has as many lines as
/// any other), so positions and suppression directives agree with editors.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The buffer is all ASCII: a column is a byte distance.
    ascii: bool,
    /// Otherwise, checkpoints inside long lines: (byte offset of an ASCII
    /// byte, UTF-16 units from its line's start to it), so that a column in a
    /// megabyte-long minified line costs a bounded scan, not the whole prefix.
    marks: Vec<(usize, usize)>,
}

/// Distance between column checkpoints in long non-ASCII lines.
const MARK_STRIDE: usize = 4096;

/// A 1-based line and column (UTF-16 code units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // CRLF is one line end: its LF starts the next line.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        let ascii = bytes.is_ascii();
        let mut marks = Vec::new();
        if !ascii {
            for (l, &start) in starts.iter().enumerate() {
                let end = starts.get(l + 1).map_or(bytes.len(), |&s| s);
                let (mut at, mut units) = (start, 0);
                while end - at > MARK_STRIDE {
                    // Checkpoints sit on ASCII bytes: no UTF-8 sequence, valid
                    // or not, spans one, so counts before and after it add up.
                    let Some(next) = bytes[at + MARK_STRIDE..end]
                        .iter()
                        .position(u8::is_ascii)
                        .map(|p| at + MARK_STRIDE + p)
                    else {
                        break;
                    };
                    units += utf16_len(&bytes[at..next]);
                    marks.push((next, units));
                    at = next;
                }
            }
        }
        LineIndex {
            starts,
            ascii,
            marks,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of 0-based line `line`, without its line ending.
    pub fn line_range(&self, bytes: &[u8], line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).map_or(bytes.len(), |&s| s - 1);
        if end > start && bytes.get(end) == Some(&b'\n') && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn position(&self, bytes: &[u8], offset: usize) -> Position {
        let offset = offset.min(bytes.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        if self.ascii {
            return Position {
                line: line + 1,
                column: offset - start + 1,
            };
        }
        let (from, units) = match self.marks.partition_point(|m| m.0 <= offset) {
            0 => (start, 0),
            i => match self.marks[i - 1] {
                (at, units) if at >= start => (at, units),
                _ => (start, 0),
            },
        };
        Position {
            line: line + 1,
            column: units + utf16_len(&bytes[from..offset]) + 1,
        }
    }
}

/// Number of UTF-16 code units in `bytes`, counting each invalid byte as one.
pub fn utf16_len(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    let mut n = 0;
    for chunk in bytes.utf8_chunks() {
        n += chunk.valid().chars().map(char::len_utf16).sum::<usize>();
        n += chunk.invalid().len();
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_utf16_units() {
        let text = "ab\n\u{1F600}x\r\nz";
        let idx = LineIndex::new(text.as_bytes());
        assert_eq!(
            idx.position(text.as_bytes(), 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            idx.position(text.as_bytes(), 3),
            Position { line: 2, column: 1 }
        );
        // the emoji is 4 bytes and 2 UTF-16 units
        assert_eq!(
            idx.position(text.as_bytes(), 7),
            Position { line: 2, column: 3 }
        );
        assert_eq!(
            idx.position(text.as_bytes(), 10),
            Position { line: 3, column: 1 }
        );
        assert_eq!(idx.line_range(text.as_bytes(), 1), 3..8);
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines() {
        let text = b"a\rb\r\nc\nd\r\re";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 6);
        let lines: Vec<&[u8]> = (0..6).map(|l| &text[idx.line_range(text, l)]).collect();
        assert_eq!(lines, [&b"a"[..], b"b", b"c", b"d", b"", b"e"]);
        assert_eq!(idx.position(text, 2), Position { line: 2, column: 1 });
        assert_eq!(idx.position(text, 10), Position { line: 6, column: 1 });
    }

    #[test]
    fn long_non_ascii_lines_use_checkpoints_with_the_same_columns() {
        let mut text = Vec::new();
        for i in 0..5000 {
            text.extend_from_slice(if i % 7 == 0 {
                "\u{1F600}é".as_bytes()
            } else {
                &b"ab"[..]
            });
            if i % 13 == 0 {
                text.push(0xff);
            }
        }
        text.extend_from_slice("\nx\u{e9}".as_bytes());
        let idx = LineIndex::new(&text);
        for at in (0..text.len()).step_by(97) {
            let line = idx.line_of(at);
            let start = idx.starts[line];
            assert_eq!(
                idx.position(&text, at).column,
                utf16_len(&text[start..at]) + 1
            );
        }
    }

    #[test]
    fn invalid_utf8_counts_one_unit_per_byte() {
        let bytes = b"\xff\xfeab";
        let idx = LineIndex::new(bytes);
        assert_eq!(idx.position(bytes, 3).column, 4);
    }
}
