//! Printers: one finding model, many formats.

pub mod controls;
pub mod escape;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod oscal;
pub mod sarif;

use crate::finding::Severity;
use crate::report::model::Report;

/// One step of the path to a value in a JSON tree.
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `value` written as it is, except the value at `path`, which is written as
/// an array of `len` items made by `items` one at a time (whatever stands in
/// `value` there is a placeholder): a report of 100,000 findings never holds
/// the trees of them all at once. Byte-identical to writing the whole tree.
pub(crate) struct Spliced<'a, I> {
    pub value: &'a serde_json::Value,
    pub path: &'a [Step<'a>],
    pub items: &'a std::cell::RefCell<Option<I>>,
    pub len: usize,
}

impl<I: Iterator<Item = serde_json::Value>> serde::Serialize for Spliced<'_, I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        use serde_json::Value;
        fn inner<'b, I>(
            this: &'b Spliced<'_, I>,
            value: &'b Value,
            rest: &'b [Step<'b>],
        ) -> Spliced<'b, I> {
            Spliced {
                value,
                path: rest,
                items: this.items,
                len: this.len,
            }
        }
        match (self.path.split_first(), self.value) {
            (None, _) => {
                let mut seq = s.serialize_seq(Some(self.len))?;
                for v in self.items.borrow_mut().take().into_iter().flatten() {
                    seq.serialize_element(&v)?;
                }
                seq.end()
            }
            (Some((Step::Key(k), rest)), Value::Object(m)) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (key, v) in m {
                    if key == k {
                        map.serialize_entry(key, &inner(self, v, rest))?;
                    } else {
                        map.serialize_entry(key, v)?;
                    }
                }
                map.end()
            }
            (Some((Step::Index(i), rest)), Value::Array(a)) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for (j, v) in a.iter().enumerate() {
                    if j == *i {
                        seq.serialize_element(&inner(self, v, rest))?;
                    } else {
                        seq.serialize_element(v)?;
                    }
                }
                seq.end()
            }
            _ => self.value.serialize(s),
        }
    }
}

/// Counts of findings per severity.
pub fn counts(report: &Report) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for f in &report.findings {
        match f.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Note => c.2 += 1,
        }
    }
    c
}

/// The live run in every format: layers, per-agent figures, notes (not the
/// metrics text, which is only for scraping).
pub fn live_summary(live: &crate::checks::live::LiveReport) -> serde_json::Value {
    #[allow(unused_mut)]
    let mut v = serde_json::json!({
        "layers": live.layers,
        "agents": live.agents,
        "metrics_port": live.metrics_port,
        "isolated_well_behaved_median_ms": live.isolated_well_behaved_median_ms,
        "plain_well_behaved_median_ms": live.plain_well_behaved_median_ms,
        "notes": live.notes,
        "exercised": live.exercised,
    });
    #[cfg(target_os = "linux")]
    if let Some(o) = &live.openclaw {
        v["openclaw"] = serde_json::json!(o);
    }
    v
}

/// What the run checked (`crate::evidence`), the same in every format:
/// clawcheck's version, the policy set's and the settings' SHA-256, the git
/// commit, and every checked file with its SHA-256 and size.
pub fn inputs_json(report: &Report) -> serde_json::Value {
    let e = &report.evidence;
    serde_json::json!({
        "tool": {"name": "clawcheck", "version": env!("CARGO_PKG_VERSION")},
        "policy_set": {"sha256": e.policy_set_sha256, "files": e.policy_files},
        "settings": {"path": e.settings_path, "sha256": e.settings_sha256},
        "git": e.git,
        "files": e.files,
    })
}

/// The report's git scope for the JSON and SARIF reports, without the
/// per-finding origins (each finding carries its own as `introduced`).
pub fn git_summary(g: &crate::report::model::GitScope) -> serde_json::Value {
    let mut v = serde_json::to_value(g).expect("the git scope serialises");
    if let Some(m) = v.as_object_mut() {
        m.remove("origins");
    }
    v
}

/// Where a `history` finding first appeared.
pub fn origin<'a>(
    report: &'a Report,
    f: &crate::finding::Finding,
) -> Option<&'a crate::report::model::Origin> {
    report.git.as_ref()?.origins.get(&f.fingerprint)
}

/// When the evidence of a compliance report (html, oscal) was collected, in
/// seconds since the Unix epoch: the only part of those reports that is not
/// derived from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamps {
    pub start: i64,
    pub end: i64,
}

/// Year 3000: OSCAL date-times have four-digit years from 1900 to 2999.
const MAX_EPOCH: i64 = 32_503_680_000;

impl Timestamps {
    /// `SOURCE_DATE_EPOCH` (reproducible-builds.org), when set, pins both to
    /// make the reports byte-identical across runs; otherwise `start` to now.
    pub fn from_env(start: std::time::SystemTime) -> Result<Timestamps, String> {
        let secs = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        };
        match std::env::var("SOURCE_DATE_EPOCH").map(|v| v.trim().to_string()) {
            // Empty counts as unset, as in most reproducible-builds tooling.
            Ok(v) if !v.is_empty() => match v.parse::<i64>() {
                Ok(n) if (0..MAX_EPOCH).contains(&n) => Ok(Timestamps { start: n, end: n }),
                _ => Err(format!(
                    "SOURCE_DATE_EPOCH: expected seconds since 1970-01-01 before the year 3000, got `{v}`"
                )),
            },
            _ => Ok(Timestamps {
                start: secs(start),
                end: secs(std::time::SystemTime::now()).max(secs(start)),
            }),
        }
    }
}

/// `2026-11-28T12:00:03Z`.
pub fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::suppress::civil_date(days),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_in_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_867_203), "2026-11-28T12:00:03Z");
    }
}
