//! Byte offset -> line:col: lines are ended by CR, LF or CRLF, columns count
//! UTF-16 code units (one per invalid byte), with and without the
//! checkpoints of long non-ASCII lines.
#![no_main]
use clawcheck::source::{utf16_len, LineIndex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let idx = LineIndex::new(data);
    // the reference: line starts by a naive scan
    let mut starts = vec![0];
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    assert_eq!(idx.line_count(), starts.len());
    for line in 0..starts.len() {
        let r = idx.line_range(data, line);
        assert!(r.start == starts[line] && r.end <= data.len());
        assert!(!data[r.clone()].contains(&b'\n'));
        assert!(!data[r].contains(&b'\r'));
    }
    let step = (data.len() / 512).max(1);
    for offset in (0..=data.len()).step_by(step).chain([data.len()]) {
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let p = idx.position(data, offset);
        assert_eq!(p.line, line + 1, "offset {offset}");
        assert_eq!(
            p.column,
            utf16_len(&data[starts[line]..offset]) + 1,
            "offset {offset}"
        );
    }
    // past the end clamps to the end
    assert_eq!(
        idx.position(data, data.len() + 7),
        idx.position(data, data.len())
    );
});
