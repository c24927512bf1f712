//! The policies' input in the form the evaluator takes (`regorus::Value`),
//! converted from `serde_json` trees without a second copy of them: a tree
//! taken by value is freed as it is converted, and every object key (and
//! every short string value that is not a JSON Pointer) is shared, so
//! 100,000 agents hold one `"pointer"` key and one copy of each repeated
//! text, not 100,000.
//!
//! The result is the value `regorus::Value::deserialize` gives for the same
//! tree (the same numbers, the same `$serde_json::private::Number` quirk,
//! the same error), only smaller.

use regorus::Value as Rego;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// The key serde_json uses for an arbitrary-precision number; regorus reads
/// an object whose first member has it as that number.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Strings no longer than this are shared (keys, enum-like values, reasons);
/// longer ones are rarely repeated.
const SHARE_MAX: usize = 96;

/// A conversion of one input: the strings it has seen, to share them.
#[derive(Default)]
pub struct Converter {
    /// foldhash, seeded per process (SipHash was a twentieth of checking
    /// 1,000 configs, perf: every key and short string is looked up here).
    strings: HashSet<Arc<str>, foldhash::fast::RandomState>,
}

/// A tree that regorus would not take (what its deserialiser says).
#[derive(Debug)]
pub struct ConvertError(pub String);

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Converter {
    pub fn new() -> Converter {
        // A real config's input has about 250 distinct keys and short
        // strings: room for them without growing.
        Converter {
            strings: HashSet::with_capacity_and_hasher(512, Default::default()),
        }
    }

    fn share(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(Arc::clone(&a));
        a
    }

    fn key(&mut self, s: &str) -> Rego {
        Rego::String(self.share(s))
    }

    fn string(&mut self, s: &str) -> Rego {
        if s.len() <= SHARE_MAX && !s.starts_with('/') {
            Rego::String(self.share(s))
        } else {
            Rego::String(Arc::from(s))
        }
    }

    fn number(n: &serde_json::Number) -> Rego {
        if let Some(u) = n.as_u64() {
            Rego::from(u)
        } else if let Some(i) = n.as_i64() {
            Rego::from(i)
        } else {
            // serde_json holds only finite floats
            Rego::from(n.as_f64().unwrap_or_default())
        }
    }

    /// regorus's reading of an object whose first member is the
    /// arbitrary-precision number token with a string value.
    fn big_number(first: Option<(&String, &Value)>) -> Option<Result<Rego, ConvertError>> {
        match first {
            Some((k, Value::String(v))) if k == NUMBER_TOKEN => Some(
                Rego::from_numeric_string(v)
                    .map_err(|_| ConvertError("failed to read big number".into())),
            ),
            _ => None,
        }
    }

    /// Converts `v`, freeing each part once converted.
    pub fn take(&mut self, v: Value) -> Result<Rego, ConvertError> {
        self.conv(Cow::Owned(v))
    }

    /// Converts `v` without taking it.
    pub fn convert(&mut self, v: &Value) -> Result<Rego, ConvertError> {
        self.conv(Cow::Borrowed(v))
    }

    /// The one walk behind [`Converter::take`] and [`Converter::convert`]:
    /// a taken tree's children are taken (and freed once converted), a
    /// borrowed tree's borrowed.
    fn conv(&mut self, v: Cow<'_, Value>) -> Result<Rego, ConvertError> {
        match &*v {
            Value::Null => return Ok(Rego::Null),
            Value::Bool(b) => return Ok(Rego::Bool(*b)),
            Value::Number(n) => return Ok(Self::number(n)),
            Value::String(s) => return Ok(self.string(s)),
            Value::Object(m) if m.is_empty() => return Ok(Rego::new_object()),
            Value::Object(m) => {
                if let Some(n) = Self::big_number(m.iter().next()) {
                    return n;
                }
            }
            Value::Array(_) => {}
        }
        match v {
            Cow::Owned(Value::Array(a)) => self.array(a.into_iter().map(Cow::Owned)),
            Cow::Borrowed(Value::Array(a)) => self.array(a.iter().map(Cow::Borrowed)),
            Cow::Owned(Value::Object(m)) => {
                self.object(m.into_iter().map(|(k, x)| (Cow::Owned(k), Cow::Owned(x))))
            }
            Cow::Borrowed(Value::Object(m)) => self.object(
                m.iter()
                    .map(|(k, x)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(x))),
            ),
            // every other kind of value returned above
            _ => Ok(Rego::Null),
        }
    }

    fn array<'a>(
        &mut self,
        items: impl ExactSizeIterator<Item = Cow<'a, Value>>,
    ) -> Result<Rego, ConvertError> {
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            out.push(self.conv(x)?);
        }
        Ok(Rego::from(out))
    }

    fn object<'a>(
        &mut self,
        members: impl Iterator<Item = (Cow<'a, str>, Cow<'a, Value>)>,
    ) -> Result<Rego, ConvertError> {
        let mut out = BTreeMap::new();
        for (k, x) in members {
            let k = self.key(&k);
            out.insert(k, self.conv(x)?);
        }
        Ok(Rego::from(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// The same value regorus's own deserialiser gives, taken or borrowed.
    #[test]
    fn same_as_regorus_deserialize() {
        let docs = [
            json!({"a": [1, -2, 3.5, u64::MAX, i64::MIN, null, true, "x"], "b": {}, "c": [],
                   "/d": {"pointer": "/a/b", "long": "y".repeat(200)}, "": 0.1}),
            json!({"n": {"$serde_json::private::Number": "12"}}),
            json!({"n": {"other": 1, "$serde_json::private::Number": "x"}}),
            json!([{"k": "v"}, {"k": "v"}]),
            json!("top"),
        ];
        for d in docs {
            let theirs = Rego::deserialize(&d).unwrap();
            assert_eq!(Converter::new().convert(&d).unwrap(), theirs, "{d}");
            assert_eq!(Converter::new().take(d.clone()).unwrap(), theirs, "{d}");
        }
        let bad = json!({"n": {"$serde_json::private::Number": "not a number"}});
        let theirs = Rego::deserialize(&bad).unwrap_err().to_string();
        let ours = Converter::new().take(bad).unwrap_err().to_string();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn keys_and_short_strings_are_shared() {
        let d = json!([{"key": "same", "p": "/a"}, {"key": "same", "p": "/a"}]);
        let v = Converter::new().take(d).unwrap();
        let arr = v.as_array().unwrap();
        let s = |i: usize, k: &str| arr[i][k].as_string().unwrap().clone();
        assert!(Arc::ptr_eq(&s(0, "key"), &s(1, "key")));
        assert!(
            !Arc::ptr_eq(&s(0, "p"), &s(1, "p")),
            "pointers are not kept in the table"
        );
    }
}
