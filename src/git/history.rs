//! `clawcheck history [REV-RANGE]`: every secret ever committed.
//!
//! The commits of the range (default: every ref and HEAD) are ordered
//! parents first. Each commit's tree is compared with its first parent's
//! (unchanged subtrees are skipped by id), in parallel runs of consecutive
//! commits read newest first (git keeps older versions as deltas of newer
//! ones, so each object read is one delta from one just read); a unique
//! blob's first commit is the earliest that adds it, and its path there.
//! Each unique blob is then read and scanned once, in parallel. A secret
//! (rule and value) is reported once, at its first blob in commit order,
//! with that commit's id and author date, and whether a blob of HEAD's tree
//! still holds it.

use super::{short, Repo};
use crate::engine::{GitScope, Origin, Report};
use crate::finding::Finding;
use crate::source::LineIndex;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

pub struct Options<'a> {
    /// `A..B`, `A...B`, `^A B`-style single revisions: what `gix` rev-parse takes.
    pub range: Option<&'a str>,
    /// Only commits committed at or after this date (anything `git log --since` takes).
    pub since: Option<&'a str>,
    pub settings: &'a crate::config::Settings,
    pub threads: usize,
}

/// One commit of the range, in the order history was written.
struct Commit {
    id: ObjectId,
    tree: ObjectId,
    author_time: i64,
    /// Index of the first parent, when it is in the range (it comes first).
    parent: Option<usize>,
}

/// A blob's first appearance: index into the commits, and its path there.
struct FirstSeen {
    commit: usize,
    path: String,
}

/// One secret found in one blob.
struct Hit {
    blob: usize,
    finding: Finding,
}

/// What one blob's scan gives.
#[derive(Default)]
struct BlobScan {
    hits: Vec<Hit>,
    suppressed: Vec<crate::suppress::Suppressed>,
    /// Every secret value in the blob and its path, for the report's redaction gate.
    secrets: Vec<String>,
    /// Why the blob was not scanned.
    skipped: Option<crate::engine::Skipped>,
}

pub fn run(start: &Path, opts: &Options<'_>) -> Result<Report, String> {
    let repo = Repo::discover(start)?;
    let commits = commits(&repo, opts)?;
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    }
    .min(crate::engine::MAX_THREADS);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    let shared = repo.repo.clone().into_sync();
    // The blobs each commit adds or changes against its first parent (the
    // whole tree when that parent is not in the range), read in runs of
    // consecutive commits, newest first in each: git stores older versions
    // as deltas of newer ones, so each tree is then one delta away from one
    // just read. A blob's first commit is the earliest of those that add it
    // (that one's parents do not hold it at all), whichever run found it.
    let runs = threads.min(commits.len()).max(1);
    let per_run = commits.len().div_ceil(runs);
    let found: Vec<Result<HashMap<ObjectId, FirstSeen>, String>> = pool.install(|| {
        (0..runs)
            .into_par_iter()
            .map(|i| {
                let r = thread_repo(&shared);
                let end = ((i + 1) * per_run).min(commits.len());
                introductions(&r, &commits, (i * per_run).min(end)..end)
            })
            .collect()
    });
    let mut firsts: HashMap<ObjectId, FirstSeen> = HashMap::new();
    for run in found {
        for (id, seen) in run? {
            match firsts.entry(id) {
                Entry::Vacant(v) => {
                    v.insert(seen);
                }
                Entry::Occupied(mut o) => {
                    if (seen.commit, &seen.path) < (o.get().commit, &o.get().path) {
                        o.insert(seen);
                    }
                }
            }
        }
    }
    // Unique blobs, in the order their first commit comes.
    let mut blobs: Vec<(ObjectId, FirstSeen)> = firsts.into_iter().collect();
    blobs.sort_unstable_by(|a, b| (a.1.commit, &a.1.path, a.0).cmp(&(b.1.commit, &b.1.path, b.0)));
    let head_blobs: HashSet<ObjectId> = match repo.head()? {
        Some(h) => repo
            .tree_files(Some(h))?
            .into_values()
            .map(|b| b.id)
            .collect(),
        None => HashSet::new(),
    };
    let scanner = crate::checks::secrets::Scanner::new();
    let limit = opts.settings.secrets.max_file_bytes;
    let (root, cwd) = (&repo.root, &repo.cwd);
    // Read file by file, newest version first (each the delta base of the
    // next one read), each worker a run of them; then put in commit order.
    let mut order: Vec<usize> = (0..blobs.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&blobs[a].1, &blobs[b].1);
        (&a.path, b.commit).cmp(&(&b.path, a.commit))
    });
    let scanned: Vec<(usize, Result<BlobScan, String>)> = pool.install(|| {
        order
            .par_iter()
            .with_min_len(64)
            .map_init(
                || {
                    let mut r = thread_repo(&shared);
                    // Each blob is read once: only the pack cache helps.
                    r.objects.unset_object_cache();
                    r
                },
                |r, &i| {
                    let (id, first) = &blobs[i];
                    let display = crate::discover::display_path(&root.join(&first.path), cwd);
                    let scan = scan_blob(
                        r,
                        &scanner,
                        opts.settings,
                        limit,
                        i,
                        *id,
                        &first.path,
                        &display,
                    );
                    (i, scan)
                },
            )
            .collect()
    });
    let mut per_blob: Vec<Option<Result<BlobScan, String>>> = Vec::new();
    per_blob.resize_with(blobs.len(), || None);
    for (i, scan) in scanned {
        per_blob[i] = Some(scan);
    }
    // The first blob (in commit order) of each secret, and every blob that holds it.
    let mut first: BTreeMap<(String, String), Hit> = BTreeMap::new();
    let mut holders: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut report = Report::default();
    let mut secrets = BTreeSet::new();
    let mut suppressed_seen = BTreeSet::new();
    for r in per_blob.into_iter().flatten() {
        let BlobScan {
            hits,
            suppressed,
            secrets: values,
            skipped,
        } = r?;
        secrets.extend(values);
        report.skipped.extend(skipped);
        for s in suppressed {
            let key = (s.finding.rule.clone(), s.finding.secret_hash.clone());
            if suppressed_seen.insert(key) {
                report.suppressed.push(s);
            }
        }
        for h in hits {
            let key = (
                h.finding.rule.clone(),
                h.finding.secret_hash.clone().unwrap_or_default(),
            );
            holders.entry(key.clone()).or_default().push(h.blob);
            // Blobs come in commit order: the first hit of a key is its origin.
            first.entry(key).or_insert(h);
        }
    }
    let mut scope = GitScope {
        mode: "history".into(),
        range: Some(opts.range.unwrap_or("all refs").to_string()),
        commits: Some(commits.len()),
        blobs: Some(blobs.len()),
        ..Default::default()
    };
    for (key, hit) in first {
        let mut f = hit.finding;
        let c = &commits[blobs[hit.blob].1.commit];
        let present = holders[&key]
            .iter()
            .any(|&b| head_blobs.contains(&blobs[b].0));
        let date = crate::report::rfc3339(c.author_time);
        f.message = format!(
            "{}, introduced in commit {} ({date}), {}",
            f.message,
            short(&c.id),
            if present {
                "still present at HEAD"
            } else {
                "not present at HEAD"
            }
        );
        scope.origins.insert(
            f.fingerprint.clone(),
            Origin {
                commit: c.id.to_string(),
                date,
                present_at_head: present,
            },
        );
        report.findings.push(f);
    }
    // Waivers of clawcheck.toml apply as in `check`; an unused one is not
    // judged here (`check` judges it against the working tree), and an
    // expired one is `check`'s finding, not history's.
    crate::suppress::apply_waivers(
        &mut report.findings,
        &mut report.suppressed,
        opts.settings,
        &crate::suppress::today(),
        &crate::suppress::Coverage {
            ran: &|_| false,
            dirs: Vec::new(),
            files: BTreeSet::new(),
            root: ".".into(),
        },
    );
    report.findings.retain(|f| f.secret_hash.is_some());
    report.files_scanned = blobs.len();
    report.assessed_rules = crate::rules::all()
        .iter()
        .filter(|r| r.id.starts_with("OC3"))
        .filter(|r| opts.settings.severity_of(r.id, r.severity).is_some())
        .map(|r| r.id)
        .collect();
    report.seal(secrets);
    if let Some(r) = &scope.range {
        scope.range = Some(report.redactor.text(r));
    }
    report.git = Some(scope);
    Ok(report)
}

/// The commits of the range, parents before children (ties: older commit
/// time first, then id), restricted to `--since`.
fn commits(repo: &Repo, opts: &Options<'_>) -> Result<Vec<Commit>, String> {
    let r = &repo.repo;
    let peel = |id: ObjectId| -> Option<ObjectId> {
        r.find_object(id).ok()?.peel_to_commit().ok().map(|c| c.id)
    };
    let (tips, hidden): (Vec<ObjectId>, Vec<ObjectId>) = match opts.range {
        None => {
            let mut tips: Vec<ObjectId> = r
                .references()
                .map_err(|e| format!("cannot list the references: {e}"))?
                .all()
                .map_err(|e| format!("cannot list the references: {e}"))?
                .filter_map(Result::ok)
                .filter_map(|mut reference| reference.peel_to_id().ok().map(|id| id.detach()))
                .filter_map(peel)
                .collect();
            tips.extend(repo.head()?);
            (tips, Vec::new())
        }
        Some(spec) => {
            use gix::revision::plumbing::Spec;
            let parsed = r
                .rev_parse(spec)
                .map_err(|e| {
                    if r.is_shallow() {
                        format!("`{spec}`: {e} (a shallow clone: fetch the history, e.g. actions/checkout with `fetch-depth: 0`)")
                    } else {
                        format!("`{spec}`: {e}")
                    }
                })?
                .detach();
            let one =
                |id: ObjectId| peel(id).ok_or_else(|| format!("`{spec}`: {id} is not a commit"));
            match parsed {
                Spec::Include(id) => (vec![one(id)?], Vec::new()),
                Spec::Range { from, to } => (vec![one(to)?], vec![one(from)?]),
                Spec::Merge { theirs, ours } => {
                    let (a, b) = (one(theirs)?, one(ours)?);
                    let base = r
                        .merge_base(a, b)
                        .map_err(|e| format!("`{spec}`: {e}"))?
                        .detach();
                    (vec![a, b], vec![base])
                }
                _ => {
                    return Err(format!(
                        "`{spec}`: expected a revision or a range (A..B, A...B)"
                    ))
                }
            }
        }
    };
    let since = match opts.since {
        Some(s) => Some(
            gix::date::parse(s, Some(gix::date::Zoned::now()))
                .map_err(|e| format!("--since `{s}`: not a date ({e})"))?
                .seconds,
        ),
        None => None,
    };
    // Each commit is read once: its committer and author times, parents and
    // tree. A commit of the shallow file has no parents here.
    let shallow: HashSet<ObjectId> = r
        .shallow_commits()
        .map_err(|e| format!("cannot read the shallow file: {e}"))?
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut buf = Vec::new();
    let mut read = |id: ObjectId| -> Result<(i64, Vec<ObjectId>, ObjectId, i64), String> {
        use gix::prelude::FindExt;
        let c = r
            .objects
            .find_commit(&id, &mut buf)
            .map_err(|e| format!("commit {id}: {e}"))?;
        let time = c
            .committer()
            .map_err(|e| format!("commit {id}: {e}"))?
            .seconds();
        let author = c
            .author()
            .map_err(|e| format!("commit {id}: {e}"))?
            .seconds();
        let parents = if shallow.contains(&id) {
            Vec::new()
        } else {
            c.parents().collect()
        };
        Ok((time, parents, c.tree(), author))
    };
    // What the range leaves out: every ancestor of a hidden commit.
    let mut excluded: HashSet<ObjectId> = HashSet::new();
    let mut stack = hidden;
    while let Some(id) = stack.pop() {
        if excluded.insert(id) {
            stack.extend(read(id)?.1);
        }
    }
    let mut infos: HashMap<ObjectId, (i64, Vec<ObjectId>, ObjectId, i64)> = HashMap::new();
    let mut walked: HashSet<ObjectId> = HashSet::new();
    let mut stack = tips;
    while let Some(id) = stack.pop() {
        if excluded.contains(&id) || !walked.insert(id) {
            continue;
        }
        let info = read(id)?;
        stack.extend(info.1.iter().copied());
        if since.is_some_and(|s| info.0 < s) {
            continue;
        }
        infos.insert(id, info);
    }
    // Parents first: a depth-first post-order over the commits in the set.
    let mut roots: Vec<(&ObjectId, i64)> = infos.iter().map(|(id, v)| (id, v.0)).collect();
    roots.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    let mut done: HashSet<ObjectId> = HashSet::new();
    let mut out = Vec::with_capacity(infos.len());
    let mut index: HashMap<ObjectId, usize> = HashMap::with_capacity(infos.len());
    for (root, _) in roots {
        let mut stack = vec![(*root, false)];
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                let (_, ref parents, tree, author) = infos[&id];
                let parent = parents.first().and_then(|p| index.get(p).copied());
                index.insert(id, out.len());
                out.push(Commit {
                    id,
                    tree,
                    author_time: author,
                    parent,
                });
                continue;
            }
            if !done.insert(id) {
                continue;
            }
            stack.push((id, true));
            let mut parents: Vec<&ObjectId> = infos[&id]
                .1
                .iter()
                .filter(|p| infos.contains_key(*p) && !done.contains(*p))
                .collect();
            parents.sort_by(|a, b| infos[*b].0.cmp(&infos[*a].0).then(b.cmp(a)));
            stack.extend(parents.into_iter().map(|p| (*p, false)));
        }
    }
    Ok(out)
}

/// A repository handle for one worker, with a pack cache large enough to
/// keep the bases of the delta chains being walked.
fn thread_repo(shared: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut r = shared.to_thread_local();
    r.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    r
}

/// Memory for decoded objects kept per worker (a cap, not an allocation).
const PACK_CACHE_BYTES: usize = 16 << 20;

/// For the commits `range` (indices into `commits`), newest first: every
/// blob a commit adds or changes against its first parent in the range (the
/// whole tree without one), with the earliest such commit and, within it,
/// the smallest path. Names that cannot be a path are left out.
fn introductions(
    r: &gix::Repository,
    commits: &[Commit],
    range: std::ops::Range<usize>,
) -> Result<HashMap<ObjectId, FirstSeen>, String> {
    use gix::diff::tree::recorder::Change;
    use gix::prelude::FindExt;
    let mut out: HashMap<ObjectId, FirstSeen> = HashMap::new();
    let mut state = gix::diff::tree::State::default();
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for ci in range.rev() {
        let c = &commits[ci];
        let lhs = match c.parent {
            Some(p) => {
                let t = commits[p].tree;
                r.objects
                    .find_tree_iter(&t, &mut old)
                    .map_err(|e| format!("tree {t}: {e}"))?
            }
            None => gix::objs::TreeRefIter::from_bytes(&[], r.object_hash()),
        };
        let rhs = r
            .objects
            .find_tree_iter(&c.tree, &mut new)
            .map_err(|e| format!("tree {}: {e}", c.tree))?;
        // A new recorder each time: it keeps the path it was at.
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(lhs, rhs, &mut state, &r.objects, &mut recorder)
            .map_err(|e| format!("commit {}: {e}", c.id))?;
        for change in recorder.records.drain(..) {
            let (mode, id, path) = match change {
                Change::Addition {
                    entry_mode,
                    oid,
                    path,
                    ..
                }
                | Change::Modification {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => (entry_mode, oid, path),
                Change::Deletion { .. } => continue,
            };
            if !mode.is_blob() {
                continue;
            }
            let Ok(path) = std::str::from_utf8(&path) else {
                continue;
            };
            if !path
                .split('/')
                .all(|n| super::safe_name(n.into()).is_some())
            {
                continue;
            }
            match out.entry(id) {
                Entry::Vacant(v) => {
                    v.insert(FirstSeen {
                        commit: ci,
                        path: path.to_string(),
                    });
                }
                Entry::Occupied(mut o) => {
                    let f = o.get_mut();
                    // Newest first: an earlier commit replaces a later one.
                    if ci < f.commit || (ci == f.commit && path < f.path.as_str()) {
                        *f = FirstSeen {
                            commit: ci,
                            path: path.to_string(),
                        };
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Scans one blob: its secrets as findings at its first path (inline
/// directives applied), skipping binary and oversized blobs.
#[allow(clippy::too_many_arguments)]
fn scan_blob(
    r: &gix::Repository,
    scanner: &crate::checks::secrets::Scanner,
    settings: &crate::config::Settings,
    limit: u64,
    index: usize,
    id: ObjectId,
    path: &str,
    display: &str,
) -> Result<BlobScan, String> {
    // A path can hold a secret too: it is shown with every finding.
    let in_path: Vec<String> = scanner
        .scan(display.as_bytes())
        .iter()
        .map(|m| display[m.start..m.end].to_string())
        .collect();
    let skipped = |reason: String| BlobScan {
        skipped: Some(crate::engine::Skipped {
            path: format!("{display} (blob {id})"),
            reason,
        }),
        secrets: in_path.clone(),
        ..Default::default()
    };
    let header = r.find_header(id).map_err(|e| format!("blob {id}: {e}"))?;
    if header.size() > limit {
        return Ok(skipped(format!(
            "{} bytes, over the size limit of {limit} bytes (secrets.max_file_bytes): not scanned for secrets",
            header.size()
        )));
    }
    let blob = r.find_blob(id).map_err(|e| format!("blob {id}: {e}"))?;
    let bytes = &blob.data;
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Ok(skipped(
            "binary (NUL byte in the first 8 KiB): not scanned for secrets".into(),
        ));
    }
    let matches = scanner.scan_path(bytes, Path::new(path));
    if matches.is_empty() {
        return Ok(BlobScan {
            secrets: in_path,
            ..Default::default()
        });
    }
    let redactor = crate::engine::file_redactor(bytes, &matches, None, scanner, true, Vec::new());
    let text = crate::engine::FileText {
        display,
        bytes,
        lines: LineIndex::new(bytes),
        redactor: &redactor,
    };
    let mut findings: Vec<Finding> = matches
        .iter()
        .filter_map(|m| {
            crate::engine::rule_severity(settings, m.rule, None).map(|s| text.secret_finding(m, s))
        })
        .collect();
    // Every secret of the blob reaches the redaction gate, suppressed or not.
    let mut values = redactor.secrets().to_vec();
    values.extend(in_path);
    let mut suppressed = Vec::new();
    if crate::suppress::may_hold_directives(bytes) {
        let excerpt = |range: std::ops::Range<usize>| redactor.excerpt(bytes, range);
        crate::suppress::apply_inline(
            &crate::suppress::Source {
                display,
                bytes,
                lines: &text.lines,
                excerpt: &excerpt,
            },
            &mut findings,
            &mut suppressed,
            settings,
            &|rule: &str| rule.starts_with("OC3"),
        );
        // Only the secret findings: directive lints belong to `check`.
        findings.retain(|f| f.secret_hash.is_some());
    }
    let hits = findings
        .into_iter()
        .map(|finding| Hit {
            blob: index,
            finding,
        })
        .collect();
    Ok(BlobScan {
        hits,
        suppressed,
        secrets: values,
        skipped: None,
    })
}
