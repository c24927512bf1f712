//! The report model: what a run found and checked, as every printer reads it.
//! It lives beside the finding model (`crate::finding`) so the printers
//! depend on it and not on the pipeline that fills it (`crate::engine`).

use crate::finding::Finding;
use crate::normalise::Dialect;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ConfigInfo {
    pub path: String,
    pub dialect: Dialect,
    /// The files its `$include`s read, as shown in findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub files_scanned: usize,
    pub bytes_scanned: u64,
    pub configs: Vec<ConfigInfo>,
    pub skipped: Vec<Skipped>,
    /// JSON and JSON5 files that were not judged as configs, and why (`--verbose`).
    #[serde(skip)]
    pub not_configs: Vec<Skipped>,
    pub findings: Vec<Finding>,
    /// Agent profiles found in the configs, for `--live`.
    #[serde(skip)]
    pub live_targets: Vec<LiveTarget>,
    /// Metric names the configs' monitoring sections declare.
    #[serde(skip)]
    pub declared_metrics: Vec<String>,
    /// Findings suppressed by an inline directive or a waiver, with the reason.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Ids of the registry rules this run applied (the checks that ran, minus
    /// rules turned off): the compliance reports call a control satisfied only
    /// when a rule that evidences it was applied and found nothing.
    #[serde(skip)]
    pub assessed_rules: Vec<&'static str>,
    /// Summary of the `--live` run, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<crate::checks::live::LiveReport>,
    /// What `--fix` changed, per file (files without a fix are not listed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<crate::fix::FileFixes>,
    /// What the run checked, with hashes (`crate::evidence`); the git part
    /// is filled in by the CLI.
    #[serde(skip)]
    pub evidence: crate::evidence::Evidence,
    /// The run's redaction gate (every secret of every file and of the
    /// settings): `crate::engine::run` has passed every string above through
    /// it; text added to the report later (the live run, logs) goes through
    /// it too.
    #[serde(skip)]
    pub redactor: crate::redact::Redactor,
    /// What `--baseline` matched and which of its entries are fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::suppress::BaselineStatus>,
    /// What part of a git repository the report covers (`--changed-since`,
    /// `--staged`, `clawcheck history`), shown by every format.
    #[serde(skip)]
    pub git: Option<GitScope>,
}

/// See [`Report::git`]. Built by `crate::git`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GitScope {
    /// `changed-since`, `staged`, `staged, changed-since` or `history`.
    pub mode: String,
    /// `--changed-since`: the revision as given and the commit compared with
    /// (its merge base with HEAD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_commit: Option<String>,
    /// `--changed-since`: findings left out because the change did not introduce them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_existing: Option<usize>,
    /// `--staged`: the staged files checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staged_files: Option<usize>,
    /// `history`: the range scanned, its commits and unique blobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blobs: Option<usize>,
    /// `history`: where each finding (by fingerprint) first appeared.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub origins: std::collections::BTreeMap<String, Origin>,
}

/// The first commit (in the order history is written) that holds a secret.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    pub commit: String,
    /// Author date, RFC 3339 in UTC.
    pub date: String,
    pub present_at_head: bool,
}

impl GitScope {
    /// One line for the human and Markdown reports.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("git: {}", self.mode)];
        if let (Some(b), Some(c)) = (&self.base, &self.base_commit) {
            parts.push(format!("base {b} (commit {c})"));
        }
        if let Some(n) = self.pre_existing {
            parts.push(format!("{n} pre-existing finding(s) left out"));
        }
        if let Some(n) = self.staged_files {
            parts.push(format!("{n} staged file(s)"));
        }
        if let Some(r) = &self.range {
            parts.push(format!("range {r}"));
        }
        if let (Some(c), Some(b)) = (self.commits, self.blobs) {
            parts.push(format!("{c} commit(s), {b} unique blob(s) scanned"));
        }
        parts.join(", ")
    }
}

impl Report {
    /// The files of real OpenClaw configs (and the files they include): a
    /// finding there gets the real-config advice of its rule.
    pub fn real_config_files(&self) -> std::collections::HashSet<&str> {
        self.configs
            .iter()
            .filter(|c| c.dialect != Dialect::PolicyProfile)
            .flat_map(|c| std::iter::once(&c.path).chain(&c.includes))
            .map(String::as_str)
            .collect()
    }

    /// The one redaction gate of a run: every string of the report, whatever
    /// format prints it, is redacted against `secrets` (every secret of every
    /// file and of the settings), the gate is kept for what is added later
    /// (`--live`), and the findings and suppressions are put in canonical order.
    pub fn seal(&mut self, secrets: impl IntoIterator<Item = String>) {
        let redactor = crate::redact::Redactor::new(secrets);
        self.redact(&redactor);
        self.redactor = redactor;
        crate::finding::canonicalise(&mut self.findings);
        self.suppressed
            .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    }

    /// Passes every string of the report that any format prints through `r`.
    pub fn redact(&mut self, r: &crate::redact::Redactor) {
        // on every core when there are many: a run's gate searches every
        // string of every finding
        if self.findings.len() < 512 {
            self.findings.iter_mut().for_each(|f| r.finding(f));
        } else {
            use rayon::prelude::*;
            crate::pool::parallel_phases();
            self.findings
                .par_iter_mut()
                .with_min_len(256)
                .for_each(|f| r.finding(f));
        }
        for s in &mut self.suppressed {
            r.finding(&mut s.finding);
            s.reason = r.text(&s.reason);
            s.owner = s.owner.as_deref().map(|o| r.text(o));
        }
        for c in &mut self.configs {
            c.path = r.text(&c.path);
            for i in &mut c.includes {
                *i = r.text(i);
            }
        }
        for f in &mut self.evidence.files {
            f.path = r.text(&f.path);
        }
        if let Some(p) = &mut self.evidence.settings_path {
            *p = r.text(p);
        }
        if let Some(g) = &mut self.evidence.git {
            g.remote = g.remote.as_deref().map(|u| r.text(u));
        }
        for s in self.skipped.iter_mut().chain(&mut self.not_configs) {
            s.path = r.text(&s.path);
            s.reason = r.text(&s.reason);
        }
        for t in &mut self.live_targets {
            t.profile.name = r.text(&t.profile.name);
            r.finding(&mut t.anchor);
        }
        for m in &mut self.declared_metrics {
            *m = r.text(m);
        }
        if let Some(b) = &mut self.baseline {
            b.redact(r);
        }
    }

    /// Applies `--baseline`: its findings move to `suppressed`, and what it
    /// recorded that this run no longer found is kept (redacted) for the report.
    pub fn apply_baseline(&mut self, b: &crate::suppress::Baseline) {
        let mut status = b.apply(&mut self.findings, &mut self.suppressed);
        status.redact(&self.redactor);
        self.baseline = Some(status);
    }
}

/// One agent profile to run live, and where it is declared.
#[derive(Debug, Clone)]
pub struct LiveTarget {
    pub profile: crate::checks::live::AgentProfile,
    /// The agent's finding template: path, position and snippet of its declaration.
    pub anchor: Finding,
    /// Finding templates at the setting a rule's verdict is about (OC402 at
    /// the timeout, OC401/OC404 at what disabled teardown, OC408 at the
    /// concurrency limit), when that setting is in the config.
    pub rule_anchors: Vec<(&'static str, Finding)>,
    /// The config the limits come from, its dialect, and the limits used.
    pub config: String,
    pub dialect: Dialect,
    pub exercised: crate::checks::live::ExercisedRun,
}
