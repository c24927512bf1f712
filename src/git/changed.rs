//! `check --staged` (the index content of the staged files) and
//! `check --changed-since REF` (only what the change introduced).
//!
//! A finding is introduced by the change when
//! - its file is new (not in the base, even under another name: renames
//!   are followed by blob id, then by line similarity);
//! - it starts on an added or modified line (lines are compared without
//!   surrounding whitespace and a trailing comma, so appending a key to a
//!   JSON object does not make the line above it "modified");
//! - or, for a config finding, the base version of the file does not have it
//!   (same fingerprint: rule, file, JSON pointer): the judged value changed
//!   elsewhere, e.g. a timeout raised in `agents.defaults` or a default
//!   removed. The base version is checked by the same engine, with the same
//!   settings, from a copy of its files laid out as in the working tree.
//!
//! A secret counts only on an added or modified line.

use super::{Blob, Repo, Snapshot};
use crate::engine::{self, CheckOptions, GitScope, Report};
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The base of `--changed-since`: the merge base of REF and HEAD, and its files.
pub struct Base {
    pub spec: String,
    pub commit: gix::ObjectId,
    files: BTreeMap<String, Blob>,
}

impl Base {
    pub fn resolve(repo: &Repo, spec: &str) -> Result<Base, String> {
        let given = repo.commit(spec)?;
        let commit = repo.merge_base_with_head(spec, given)?;
        Ok(Base {
            spec: spec.to_string(),
            commit,
            files: repo.tree_files(Some(commit))?,
        })
    }
}

/// Runs the check for `--staged` and/or `--changed-since`: `opts.paths`
/// are the paths the user named (restored on return).
pub fn run(
    opts: &mut CheckOptions,
    changed_since: Option<&str>,
    staged: bool,
) -> Result<Report, String> {
    let first = opts.paths.first().cloned().unwrap_or_else(|| ".".into());
    let repo = Repo::discover(&first)?;
    for p in &opts.paths {
        if repo.repo_path(p).is_none() {
            return Err(format!(
                "{}: outside the repository at {}",
                p.display(),
                repo.root.display()
            ));
        }
    }
    // Resolved first: a missing base is an error before any work.
    let base = changed_since.map(|s| Base::resolve(&repo, s)).transpose()?;
    let mut scope = GitScope {
        mode: match (staged, base.is_some()) {
            (true, true) => "staged, changed-since",
            (true, false) => "staged",
            _ => "changed-since",
        }
        .to_string(),
        ..Default::default()
    };
    let index = if staged {
        Some(repo.index_files()?)
    } else {
        None
    };
    let mut report = match &index {
        Some(index) => {
            let (snap, paths, n) = stage(&repo, &opts.paths, index)?;
            scope.staged_files = Some(n);
            run_in(opts, paths, &snap)?
        }
        None => engine::run(opts).map_err(|e| e.to_string())?,
    };
    if let Some(base) = &base {
        let left_out = keep_changes(&repo, base, index.as_ref(), opts, &mut report)?;
        scope.base = Some(report.redactor.text(&base.spec));
        scope.base_commit = Some(base.commit.to_string());
        scope.pre_existing = Some(left_out);
    }
    report.git = Some(scope);
    Ok(report)
}

/// The engine on `paths` (inside `snap`), each file shown as the working-tree
/// file it stands for; `opts.paths` is put back afterwards.
fn run_in(opts: &mut CheckOptions, paths: Vec<PathBuf>, snap: &Snapshot) -> Result<Report, String> {
    let user = std::mem::replace(&mut opts.paths, paths);
    let display = |p: &Path| snap.display(p);
    let result = engine::run_with(opts, Some(&display));
    opts.paths = user;
    result.map_err(|e| e.to_string())
}

/// Writes the index content of what `--staged` checks: a file the user named
/// (as a pre-commit hook does) whatever its state, and below a directory the
/// files whose index content differs from HEAD. Returns the snapshot, the
/// engine's paths in it, and how many files were written.
fn stage(
    repo: &Repo,
    user: &[PathBuf],
    index: &BTreeMap<String, Blob>,
) -> Result<(Snapshot, Vec<PathBuf>, usize), String> {
    let head = repo.tree_files(repo.head()?)?;
    let snap = Snapshot::new(repo)?;
    let mut written = BTreeSet::new();
    for u in user {
        let Some(rel) = repo.repo_path(u) else {
            continue;
        };
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        for (p, blob) in index {
            let named = *p == rel;
            let below = p.starts_with(&prefix) && head.get(p) != Some(blob);
            if (named || below) && !blob.link && written.insert(p.clone()) {
                snap.write(p, &repo.blob(blob.id)?)?;
            }
        }
    }
    let paths = user.iter().filter_map(|u| snap.map_path(repo, u)).collect();
    Ok((snap, paths, written.len()))
}

/// What happened to one file between the base and the checked version.
enum Change {
    /// New (or outside the repository, or unreadable): every finding counts.
    Added,
    Unchanged,
    Modified {
        /// 1-based lines of the new version that are added or modified.
        lines: BTreeSet<usize>,
        /// Fingerprints of the base version's findings (filled by the base run).
        base: BTreeSet<String>,
        base_bytes: Vec<u8>,
    },
}

/// Drops the findings the change since `base` did not introduce; returns how many.
fn keep_changes(
    repo: &Repo,
    base: &Base,
    index: Option<&BTreeMap<String, Blob>>,
    opts: &mut CheckOptions,
    report: &mut Report,
) -> Result<usize, String> {
    let displays: BTreeSet<String> = report.findings.iter().map(|f| f.path.clone()).collect();
    let mut changes: BTreeMap<String, (Option<String>, Change)> = BTreeMap::new();
    for d in displays {
        let rel = repo.repo_path(Path::new(&d));
        let change = match &rel {
            Some(p) => classify(repo, base, index, p)?,
            None => Change::Added,
        };
        changes.insert(d, (rel, change));
    }
    // The base versions of the modified files, checked as the new ones were.
    let snap = Snapshot::new(repo)?;
    let mut any = false;
    for (rel, change) in changes.values() {
        if let (Some(p), Change::Modified { base_bytes, .. }) = (rel, change) {
            snap.write(p, base_bytes)?;
            any = true;
        }
    }
    if any {
        let paths: Vec<PathBuf> = opts
            .paths
            .clone()
            .iter()
            .filter_map(|u| snap.map_path(repo, u))
            .collect();
        let base_report = run_in(opts, paths, &snap)?;
        for f in base_report.findings {
            if let Some((_, Change::Modified { base, .. })) = changes.get_mut(&f.path) {
                base.insert(f.fingerprint);
            }
        }
    }
    let before = report.findings.len();
    report.findings.retain(|f| match changes.get(&f.path) {
        None | Some((_, Change::Added)) => true,
        Some((_, Change::Unchanged)) => false,
        Some((_, Change::Modified { lines, base, .. })) => {
            let on_changed_line = lines.contains(&f.start.line);
            if f.secret_hash.is_some() {
                on_changed_line
            } else {
                on_changed_line || !base.contains(&f.fingerprint)
            }
        }
    });
    Ok(before - report.findings.len())
}

/// Compares the checked version of repository path `p` with the base.
fn classify(
    repo: &Repo,
    base: &Base,
    index: Option<&BTreeMap<String, Blob>>,
    p: &str,
) -> Result<Change, String> {
    let exists_now = |q: &str| match index {
        Some(i) => i.contains_key(q),
        None => repo.root.join(q).symlink_metadata().is_ok(),
    };
    let new = match index {
        Some(i) => match i.get(p) {
            Some(b) => repo.blob(b.id)?,
            None => return Ok(Change::Added),
        },
        None => match read_bounded(&repo.root.join(p)) {
            Some(b) => b,
            None => return Ok(Change::Added),
        },
    };
    let old = match base.files.get(p).filter(|b| !b.link) {
        Some(b) => repo.blob(b.id)?,
        None => match renamed_from(repo, base, &new, p, &exists_now)? {
            Some(b) => b,
            None => return Ok(Change::Added),
        },
    };
    if old == new {
        return Ok(Change::Unchanged);
    }
    Ok(Change::Modified {
        lines: changed_lines(&old, &new),
        base: BTreeSet::new(),
        base_bytes: old,
    })
}

fn read_bounded(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > super::MAX_BLOB_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}

/// Most deleted files compared by content when looking for a rename's source.
const MAX_RENAME_CANDIDATES: usize = 200;
/// Largest file compared line by line for a rename.
const MAX_RENAME_BYTES: usize = 1 << 20;
/// Smallest line similarity of a rename (git's default is 50 %).
const RENAME_SIMILARITY: f32 = 0.5;

/// The base content `p` was renamed from: a base file gone from the checked
/// version with the same blob, or else the most similar one (at least 50 %
/// of lines), same file name first.
fn renamed_from(
    repo: &Repo,
    base: &Base,
    new: &[u8],
    p: &str,
    exists_now: &dyn Fn(&str) -> bool,
) -> Result<Option<Vec<u8>>, String> {
    let id = gix::objs::compute_hash(repo.repo.object_hash(), gix::objs::Kind::Blob, new)
        .map_err(|e| format!("{p}: {e}"))?;
    let name = p.rsplit('/').next().unwrap_or(p);
    let mut gone: Vec<(&String, &Blob)> = base
        .files
        .iter()
        .filter(|(q, b)| !b.link && !exists_now(q))
        .collect();
    if let Some((_, b)) = gone.iter().find(|(_, b)| b.id == id) {
        return Ok(Some(repo.blob(b.id)?));
    }
    if new.len() > MAX_RENAME_BYTES {
        return Ok(None);
    }
    gone.sort_by_key(|(q, _)| !q.ends_with(name));
    let mut best: Option<(f32, ObjectId)> = None;
    for (_, b) in gone.into_iter().take(MAX_RENAME_CANDIDATES) {
        let old = match repo.blob(b.id) {
            Ok(o) if o.len() <= MAX_RENAME_BYTES => o,
            _ => continue,
        };
        let (old, new) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(new));
        let ratio = similar::TextDiff::configure()
            .timeout(std::time::Duration::from_millis(200))
            .diff_lines(old.as_ref(), new.as_ref())
            .ratio();
        if ratio >= RENAME_SIMILARITY && best.as_ref().is_none_or(|(r, _)| ratio > *r) {
            best = Some((ratio, b.id));
        }
    }
    best.map(|(_, id)| repo.blob(id)).transpose()
}

/// 1-based lines of `new` that are added or modified relative to `old`
/// (whitespace around a line and a trailing comma ignored). The diff has a
/// deadline: past it, the rest counts as changed (never fewer lines).
fn changed_lines(old: &[u8], new: &[u8]) -> BTreeSet<usize> {
    fn norm(b: &[u8]) -> Vec<&[u8]> {
        b.split(|&c| c == b'\n')
            .map(|l| {
                let l = l.trim_ascii();
                l.strip_suffix(b",").unwrap_or(l).trim_ascii_end()
            })
            .collect()
    }
    let (o, n) = (norm(old), norm(new));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let ops =
        similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &o, &n, Some(deadline));
    let mut lines = BTreeSet::new();
    for op in ops {
        let (tag, _, new_range) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            lines.extend(new_range.map(|i| i + 1));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::changed_lines;

    #[test]
    fn appending_a_key_changes_only_the_new_line() {
        let old = b"{\n  \"a\": 1,\n  \"b\": 2\n}\n";
        let new = b"{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
        assert_eq!(changed_lines(old, new).into_iter().collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn a_changed_value_is_a_changed_line() {
        let old = b"a\nb = 1\nc\n";
        let new = b"a\nb = 2\nc\n";
        assert_eq!(changed_lines(old, new).into_iter().collect::<Vec<_>>(), [2]);
    }
}
