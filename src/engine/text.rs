//! Findings built from a file's text: position, snippet window, redacted
//! excerpt and fingerprint of each.

use super::*;

impl FileText<'_> {
    /// The finding of a hardcoded secret (also `clawcheck history`'s, so that
    /// a baseline of one matches the other).
    pub fn secret_finding(
        &self,
        m: &crate::checks::secrets::SecretMatch,
        severity: Severity,
    ) -> Finding {
        let mut f = self.finding(
            m.rule,
            severity,
            m.start..m.end,
            format!("hardcoded {} ({})", family_title(m.family), m.redacted),
            None,
        );
        f.fingerprint = fingerprint(&[
            m.rule.as_bytes(),
            self.display.as_bytes(),
            m.fingerprint.as_bytes(),
        ]);
        f.evidence = Some(m.redacted.clone());
        f.secret_hash = Some(m.fingerprint.clone());
        f
    }

    pub(super) fn finding(
        &self,
        rule: &str,
        severity: Severity,
        range: std::ops::Range<usize>,
        message: String,
        pointer: Option<String>,
    ) -> Finding {
        let start = self.lines.position(self.bytes, range.start);
        let end = self.lines.position(self.bytes, range.end.max(range.start));
        let line = self.lines.line_range(self.bytes, start.line - 1);
        let (window, snippet_column) = snippet_window(self.bytes, line, range.start);
        let snippet = self.redactor.excerpt(self.bytes, window);
        let fp = fingerprint(&[
            rule.as_bytes(),
            self.display.as_bytes(),
            pointer.as_deref().unwrap_or(&message).as_bytes(),
        ]);
        Finding {
            rule: rule.to_string(),
            severity,
            path: self.display.to_string(),
            start,
            end,
            message,
            pointer,
            evidence: None,
            secret_hash: None,
            fingerprint: fp,
            fix: None,
            snippet,
            snippet_column,
            related: Vec::new(),
            places: Vec::new(),
        }
    }
}

/// Longest line shown whole; longer ones are cut to a window around the finding
/// so that a hit in a minified file does not put megabytes into every report.
pub(super) const SNIPPET_MAX: usize = 400;

/// The part of `line` to show for a finding at byte `at`, and the finding's
/// 1-based column (UTF-16 units) within it. Never splits a UTF-8 sequence.
pub(super) fn snippet_window(
    bytes: &[u8],
    line: std::ops::Range<usize>,
    at: usize,
) -> (std::ops::Range<usize>, usize) {
    let at = at.clamp(line.start, line.end);
    let (mut lo, mut hi) = (line.start, line.end);
    if line.len() > SNIPPET_MAX {
        lo = at.saturating_sub(SNIPPET_MAX / 3).max(line.start);
        hi = (lo + SNIPPET_MAX).min(line.end);
        let continuation = |b: u8| (0x80..0xC0).contains(&b);
        while lo < at && continuation(bytes[lo]) {
            lo += 1;
        }
        while hi > at && hi < line.end && continuation(bytes[hi]) {
            hi -= 1;
        }
    }
    (lo..hi, crate::source::utf16_len(&bytes[lo..at]) + 1)
}

pub(super) fn family_title(family: &str) -> &str {
    match family {
        "openai" => "OpenAI API key",
        "anthropic" => "Anthropic API key",
        "aws_access_key_id" => "AWS access key id",
        "aws_secret_access_key" => "AWS secret access key",
        "github" => "GitHub token",
        "google_api_key" => "Google API key",
        "slack" => "Slack token or webhook",
        "stripe" => "Stripe secret key",
        "vault" => "HashiCorp Vault token",
        "private_key" => "private key",
        "generic" => "secret assigned to a credential variable",
        other => crate::checks::secrets::rules()
            .iter()
            .find(|r| r.family == other)
            .map_or(other, |r| r.title.trim_start_matches("Hard-coded ")),
    }
}
