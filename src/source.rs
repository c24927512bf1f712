//! Source text and positions: files are kept as bytes, positions are computed
//! on demand from a line index.
//!
//! Columns are 1-based and count UTF-16 code units (SARIF's default
//! `columnKind`), so a column reported here is the one GitHub highlights.
//! Bytes that are not valid UTF-8 count as one unit each.

/// Byte offsets of the start of every line of a buffer.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

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
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
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
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn position(&self, bytes: &[u8], offset: usize) -> Position {
        let offset = offset.min(bytes.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        Position {
            line: line + 1,
            column: utf16_len(&bytes[start..offset]) + 1,
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
    fn invalid_utf8_counts_one_unit_per_byte() {
        let bytes = b"\xff\xfeab";
        let idx = LineIndex::new(bytes);
        assert_eq!(idx.position(bytes, 3).column, 4);
    }
}
