//! The JSON/JSON5 loader with spans: never panics, and every span and
//! failure offset lies inside the input, with a line:col inside the file.
#![no_main]
use clawcheck::load;
use clawcheck::source::LineIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = LineIndex::new(data);
    let inside = |offset: usize| {
        assert!(offset <= data.len(), "offset {offset} past {}", data.len());
        let p = lines.position(data, offset);
        assert!(p.line >= 1 && p.line <= lines.line_count());
    };
    // The tolerant recogniser runs on anything a directory scan meets.
    let _ = load::has_top_level_key(data, |k, _| k == "openclaw");
    match load::parse_with_duplicates(data) {
        Ok((doc, duplicates)) => {
            for (pointer, s) in &doc.spans {
                assert!(s.value.start <= s.value.end, "{pointer}");
                inside(s.value.end);
                if let Some(k) = &s.key {
                    assert!(k.start <= k.end && k.end <= s.value.start, "{pointer}");
                }
                // every pointer with a span names a value of the document
                assert!(doc.value.pointer(pointer).is_some(), "{pointer}");
                let r = doc.locate(pointer);
                assert!(r.start <= r.end);
                inside(r.end);
            }
            // and every value of the document has a span
            let mut stack = vec![(String::new(), &doc.value)];
            while let Some((p, v)) = stack.pop() {
                assert!(doc.has(&p), "no span for {p:?}");
                match v {
                    serde_json::Value::Object(m) => {
                        for (k, v) in m {
                            stack.push((format!("{p}/{}", load::escape_pointer_token(k)), v));
                        }
                    }
                    serde_json::Value::Array(a) => {
                        for (i, v) in a.iter().enumerate() {
                            stack.push((format!("{p}/{i}"), v));
                        }
                    }
                    _ => {}
                }
            }
            for d in duplicates {
                assert!(d.first.end <= d.last.start, "{}", d.pointer);
                inside(d.last.end);
            }
            let _ = doc.locate("/no/such/pointer");
        }
        Err(e) => {
            assert!(e.offset <= e.end, "{e:?}");
            inside(e.offset);
            assert!(!e.message.is_empty());
        }
    }
});
