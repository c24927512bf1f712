//! `clawcheck history [REV-RANGE]`: every secret ever committed.
//!
//! The commits of the range (default: every ref and HEAD) are ordered
//! parents first (read from git's commit-graph file when there is one).
//! Each commit's tree is compared with its first parent's (unchanged
//! subtrees are skipped by id, unchanged runs of entries by their bytes),
//! in parallel runs of consecutive commits read newest first (git keeps
//! older versions as deltas of newer ones, so each object read is one
//! delta from one just read); a unique blob's first commit is the
//! earliest that adds it, and its path there. Each unique blob is then
//! read and scanned once, in parallel. Objects come from
//! [`super::pack::Reader`], which keeps the full objects delta chains start
//! from as well as their results. A secret
//! (rule and value) is reported once, at its first blob in commit order,
//! with that commit's id and author date, and whether a blob of HEAD's tree
//! still holds it.

use super::{short, Repo};
use crate::engine::{GitScope, Origin, Report};
use crate::finding::Finding;
use crate::source::LineIndex;
use gix::hashtable::hash_map::Entry;
use gix::ObjectId;
use rayon::prelude::*;
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
    /// Read with the commit unless the commit-graph file gave the rest.
    author_time: Option<i64>,
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
    // The blobs of HEAD's tree and the scanner are made on another thread
    // while this one walks the commits (a core is idle until then).
    let head_files = {
        let (shared, root, cwd) = (
            repo.repo.clone().into_sync(),
            repo.root.clone(),
            repo.cwd.clone(),
        );
        std::thread::spawn(move || {
            let scanner = crate::checks::secrets::Scanner::new();
            let repo = Repo {
                repo: shared.to_thread_local(),
                root,
                cwd,
            };
            let head = repo.head().and_then(|h| match h {
                Some(h) => Ok(repo
                    .tree_files(Some(h))?
                    .into_values()
                    .map(|b| b.id)
                    .collect()),
                None => Ok(HashSet::new()),
            });
            (head, scanner)
        })
    };
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
    let packs = super::pack::Packs::open(&repo.repo);
    let found: Vec<Result<OidMap<FirstSeen>, String>> = pool.install(|| {
        (0..runs)
            .into_par_iter()
            .map(|i| {
                let mut r = thread_reader(&shared, &packs);
                let end = ((i + 1) * per_run).min(commits.len());
                introductions(&mut r, &commits, (i * per_run).min(end)..end)
            })
            .collect()
    });
    let mut firsts: OidMap<FirstSeen> = OidMap::default();
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
    let (head_blobs, scanner) = head_files
        .join()
        .map_err(|_| "cannot read HEAD's tree: its thread failed".to_string())?;
    let head_blobs: HashSet<ObjectId> = head_blobs?;
    let limit = opts.settings.secrets.max_file_bytes;
    let (root, cwd) = (&repo.root, &repo.cwd);
    // Each path as shown, and the secrets it holds itself, once per path.
    let mut shown: HashMap<&str, (String, Vec<String>)> = HashMap::new();
    for (_, first) in &blobs {
        shown.entry(first.path.as_str()).or_insert_with(|| {
            let display = crate::discover::display_path(&root.join(&first.path), cwd);
            let in_path = scanner.secrets_in(&display);
            (display, in_path)
        });
    }
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
                || thread_reader(&shared, &packs),
                |r, &i| {
                    let (id, first) = &blobs[i];
                    let (display, in_path) = &shown[first.path.as_str()];
                    let scan = scan_blob(
                        r,
                        &scanner,
                        opts.settings,
                        limit,
                        i,
                        *id,
                        &first.path,
                        display,
                        in_path,
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
        let author_time = match c.author_time {
            Some(t) => t,
            None => author_time(&repo.repo, c.id)?,
        };
        let date = crate::report::rfc3339(author_time);
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
    // Each commit is read once: its committer time, parents and tree (the
    // author time only for the commits a finding names). A commit of the
    // shallow file has no parents here.
    let shallow: OidSet = r
        .shallow_commits()
        .map_err(|e| format!("cannot read the shallow file: {e}"))?
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    // The commit-graph file, when git wrote one, holds all of that without
    // decoding the commits (not when replace refs change what a commit is;
    // a commit it does not hold, or a date it cannot, is decoded).
    let replaced = r.references().is_ok_and(|p| {
        p.prefixed(b"refs/replace/")
            .is_ok_and(|mut i| i.next().is_some())
    });
    let graph = if replaced {
        None
    } else {
        r.commit_graph_if_enabled().ok().flatten()
    };
    let from_graph = |id: ObjectId| -> Option<Info> {
        let c = graph.as_ref()?.commit_by_id(id)?;
        let time = c.committer_timestamp();
        // 0 and the largest value stand for dates the file cannot hold.
        if time == 0 || time >= (1 << 34) - 1 {
            return None;
        }
        let g = graph.as_ref()?;
        let parents = if shallow.contains(&id) {
            Vec::new()
        } else {
            c.iter_parents()
                .map(|p| p.ok().map(|p| g.id_at(p).to_owned()))
                .collect::<Option<Vec<_>>>()?
        };
        Some((time as i64, parents, c.root_tree_id().to_owned(), None))
    };
    let mut buf = Vec::new();
    let mut read = |id: ObjectId| -> Result<Info, String> {
        if let Some(info) = from_graph(id) {
            return Ok(info);
        }
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
        Ok((time, parents, c.tree(), Some(author)))
    };
    // What the range leaves out: every ancestor of a hidden commit.
    let mut excluded: OidSet = OidSet::default();
    let mut stack = hidden;
    while let Some(id) = stack.pop() {
        if excluded.insert(id) {
            stack.extend(read(id)?.1);
        }
    }
    // Every commit reached from the tips (not through an excluded one),
    // numbered in the order reached; a parent list is a run of `parents`.
    let mut nodes: Vec<Node> = Vec::new();
    let mut parents: Vec<ObjectId> = Vec::new();
    let mut local: OidMap<u32> = OidMap::default();
    let mut stack = tips;
    while let Some(id) = stack.pop() {
        if excluded.contains(&id) {
            continue;
        }
        match local.entry(id) {
            Entry::Occupied(_) => continue,
            Entry::Vacant(v) => {
                v.insert(nodes.len() as u32);
            }
        }
        let (time, ps, tree, author) = read(id)?;
        let start = parents.len();
        parents.extend_from_slice(&ps);
        stack.extend_from_slice(&ps);
        nodes.push(Node {
            id,
            time,
            tree,
            author,
            parents: start..parents.len(),
            included: since.is_none_or(|s| time >= s),
        });
    }
    // A parent by its number, when it is in the set.
    let in_set = |p: &ObjectId| -> Option<usize> {
        local
            .get(p)
            .map(|&i| i as usize)
            .filter(|&i| nodes[i].included)
    };
    // Parents first: a depth-first post-order over the commits in the set,
    // from the oldest (then smallest id) root; the parents of a commit are
    // visited oldest first (then smallest id).
    let mut roots: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].included).collect();
    roots.sort_by(|&a, &b| (nodes[a].time, nodes[a].id).cmp(&(nodes[b].time, nodes[b].id)));
    let mut done = vec![false; nodes.len()];
    let mut index = vec![usize::MAX; nodes.len()];
    let mut out = Vec::with_capacity(roots.len());
    let mut next: Vec<usize> = Vec::new();
    for root in roots {
        let mut stack = vec![(root, false)];
        while let Some((n, expanded)) = stack.pop() {
            let node = &nodes[n];
            if expanded {
                let parent = parents[node.parents.clone()]
                    .first()
                    .and_then(in_set)
                    .map(|p| index[p])
                    .filter(|&i| i != usize::MAX);
                index[n] = out.len();
                out.push(Commit {
                    id: node.id,
                    tree: node.tree,
                    author_time: node.author,
                    parent,
                });
                continue;
            }
            if std::mem::replace(&mut done[n], true) {
                continue;
            }
            stack.push((n, true));
            next.clear();
            next.extend(
                parents[node.parents.clone()]
                    .iter()
                    .filter_map(in_set)
                    .filter(|&p| !done[p]),
            );
            next.sort_by(|&a, &b| (nodes[b].time, nodes[b].id).cmp(&(nodes[a].time, nodes[a].id)));
            stack.extend(next.iter().map(|&p| (p, false)));
        }
    }
    Ok(out)
}

/// A commit's author time.
fn author_time(r: &gix::Repository, id: ObjectId) -> Result<i64, String> {
    use gix::prelude::FindExt;
    let mut buf = Vec::new();
    let c = r
        .objects
        .find_commit(&id, &mut buf)
        .map_err(|e| format!("commit {id}: {e}"))?;
    Ok(c.author()
        .map_err(|e| format!("commit {id}: {e}"))?
        .seconds())
}

/// An object reader for one worker ([`super::pack::Reader`]), with a cache
/// large enough to keep the bases of the delta chains being walked (and gix,
/// for what it leaves to gix, with a small pack cache of its own).
fn thread_reader(
    shared: &gix::ThreadSafeRepository,
    packs: &std::sync::Arc<super::pack::Packs>,
) -> super::pack::Reader {
    let mut r = shared.to_thread_local();
    // Each object is read once (trees read for a commit are kept by
    // `introductions`): only the pack caches help.
    r.objects.unset_object_cache();
    r.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            GIX_PACK_CACHE_BYTES,
        ))
    });
    super::pack::Reader::new(std::sync::Arc::clone(packs), r, PACK_CACHE_BYTES)
}

/// Memory for decoded objects kept per worker (a cap, not an allocation):
/// full objects and delta results alike. Larger caches cost fresh memory
/// and no fewer decompressions (bench/history.sh, 25 alternating runs:
/// 512 KiB and 1 MiB 60-65 ms, 4 MiB 65 ms, 16 MiB 80 ms).
const PACK_CACHE_BYTES: usize = 1 << 20;

/// gix's own cache, for the objects it reads (outside the packs the reader
/// resolves itself).
const GIX_PACK_CACHE_BYTES: usize = 1 << 20;

/// For the commits `range` (indices into `commits`), newest first: every
/// blob a commit adds or changes against its first parent in the range (the
/// whole tree without one), with the earliest such commit and, within it,
/// the smallest path. Names that cannot be a path are left out.
///
/// Two versions of a tree usually differ in a few entries: the bytes both
/// share at the start and at the end are skipped with a comparison of
/// bytes, and only the entries in between are read. The trees read for a
/// commit's parent are kept for the next commit (newest first: that parent).
fn introductions(
    r: &mut super::pack::Reader,
    commits: &[Commit],
    range: std::ops::Range<usize>,
) -> Result<OidMap<FirstSeen>, String> {
    let mut out: OidMap<FirstSeen> = OidMap::default();
    let mut trees = TreeCache::default();
    let empty: std::rc::Rc<[u8]> = std::rc::Rc::from(&[][..]);
    let hash = r.repo().object_hash();
    // (parent's tree at this path, this commit's tree, path)
    let mut stack: Vec<(Option<ObjectId>, ObjectId, String)> = Vec::new();
    for ci in range.rev() {
        let c = &commits[ci];
        stack.push((c.parent.map(|p| commits[p].tree), c.tree, String::new()));
        while let Some((old, new, prefix)) = stack.pop() {
            if old == Some(new) {
                continue;
            }
            let new_bytes = trees.get(r, new)?;
            let old_bytes = match old {
                Some(o) => trees.get(r, o)?,
                None => empty.clone(),
            };
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                }
            };
            changed_entries(&old_bytes, &new_bytes, hash, |old, e| {
                // Names that cannot be a path leave out everything below them.
                let Some(name) = path_name(e.filename) else {
                    return;
                };
                if e.mode.is_tree() {
                    stack.push((old, e.oid.to_owned(), join(name)));
                    return;
                }
                if !e.mode.is_blob() {
                    return;
                }
                match out.entry(e.oid.to_owned()) {
                    Entry::Vacant(v) => {
                        v.insert(FirstSeen {
                            commit: ci,
                            path: join(name),
                        });
                    }
                    Entry::Occupied(mut o) => {
                        let f = o.get_mut();
                        // Newest first: an earlier commit replaces a later one.
                        if ci < f.commit {
                            *f = FirstSeen {
                                commit: ci,
                                path: join(name),
                            };
                        } else if ci == f.commit {
                            let path = join(name);
                            if path < f.path {
                                f.path = path;
                            }
                        }
                    }
                }
            })
            .map_err(|()| format!("tree {new}: cannot be decoded"))?;
        }
        trees.next_commit();
    }
    Ok(out)
}

/// A hash map keyed by object id (the id is its own hash).
type OidMap<V> = gix::hashtable::HashMap<ObjectId, V>;
type OidSet = gix::hashtable::HashSet<ObjectId>;

/// A commit as read: committer time, parents, tree, author time (when read).
type Info = (i64, Vec<ObjectId>, ObjectId, Option<i64>);

/// A commit reached by the walk of [`commits`].
struct Node {
    id: ObjectId,
    /// Committer time.
    time: i64,
    tree: ObjectId,
    author: Option<i64>,
    /// Its parents' run in the walk's list of parents.
    parents: std::ops::Range<usize>,
    /// Committed at or after `--since` (all, without it).
    included: bool,
}

/// The trees read for the current and the previous commit, by id.
#[derive(Default)]
struct TreeCache {
    current: OidMap<std::rc::Rc<[u8]>>,
    previous: OidMap<std::rc::Rc<[u8]>>,
}

impl TreeCache {
    fn get(
        &mut self,
        r: &mut super::pack::Reader,
        id: ObjectId,
    ) -> Result<std::rc::Rc<[u8]>, String> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let t = match self.previous.remove(&id) {
            Some(t) => t,
            None => {
                let (kind, data) = r.read(&id).map_err(|e| format!("tree {id}: {e}"))?;
                if kind != gix::object::Kind::Tree {
                    return Err(format!("tree {id}: a {kind} where a tree was expected"));
                }
                data
            }
        };
        self.current.insert(id, t.clone());
        Ok(t)
    }

    /// What was read for this commit is what the next one (its parent) may need.
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// A tree entry name as a path component: UTF-8, and each of its parts
/// between slashes safe to join (as the whole path is judged).
fn path_name(name: &gix::bstr::BStr) -> Option<&str> {
    let s = std::str::from_utf8(name).ok()?;
    s.split('/')
        .all(|n| super::safe_name(n.into()).is_some())
        .then_some(s)
}

/// Calls `changed` with each entry of tree `new` that tree `old` does not
/// hold with the same id and mode, and the id `old` has under that name
/// when both are trees. Entries are in git's order (a tree's name sorts as
/// if it ended in `/`); bytes both trees share at the start and, after a
/// change, to the end are skipped unread. `Err` when a tree cannot be decoded.
fn changed_entries<'a>(
    old: &'a [u8],
    new: &'a [u8],
    hash: gix::hash::Kind,
    mut changed: impl FnMut(Option<ObjectId>, gix::objs::tree::EntryRef<'a>),
) -> Result<(), ()> {
    use gix::objs::TreeRefIter;
    // The last entry boundary within the bytes both start with: up to
    // there both trees hold the same entries.
    // An entry is `<mode> <name>\0<id>`: its end is found from the NUL,
    // without parsing the entry (these bytes are the parent tree's own).
    let same = common_prefix(old, new);
    let id_len = hash.len_in_bytes();
    let mut start = 0;
    // (a mode and a name are a few bytes: a plain search is cheaper than memchr)
    while let Some(nul) = new[start..same].iter().position(|&b| b == 0) {
        let end = start + nul + 1 + id_len;
        if end > same {
            break;
        }
        start = end;
    }
    let (old, new) = (&old[start..], &new[start..]);
    let mut oi = TreeRefIter::from_bytes(old, hash);
    let mut ni = TreeRefIter::from_bytes(new, hash);
    let mut o = oi.next().transpose().map_err(|_| ())?;
    let mut n = ni.next().transpose().map_err(|_| ())?;
    let mut differed = false;
    while let Some(ne) = n {
        let Some(oe) = o else {
            changed(None, ne);
            n = ni.next().transpose().map_err(|_| ())?;
            continue;
        };
        match git_order(&oe, &ne) {
            std::cmp::Ordering::Less => {
                differed = true;
                o = oi.next().transpose().map_err(|_| ())?;
            }
            std::cmp::Ordering::Greater => {
                differed = true;
                changed(None, ne);
                n = ni.next().transpose().map_err(|_| ())?;
            }
            std::cmp::Ordering::Equal => {
                if oe.oid != ne.oid || oe.mode != ne.mode {
                    differed = true;
                    let both_trees = oe.mode.is_tree() && ne.mode.is_tree();
                    changed(both_trees.then(|| oe.oid.to_owned()), ne);
                }
                if differed {
                    // After a change the rest is often the same bytes.
                    let (orest, nrest) =
                        (oi.offset_to_next_entry(old), ni.offset_to_next_entry(new));
                    if old[orest..] == new[nrest..] {
                        return Ok(());
                    }
                    differed = false;
                }
                o = oi.next().transpose().map_err(|_| ())?;
                n = ni.next().transpose().map_err(|_| ())?;
            }
        }
    }
    Ok(())
}

/// git's order of tree entries: by name, a tree's name as if it ended in `/`.
fn git_order(
    a: &gix::objs::tree::EntryRef<'_>,
    b: &gix::objs::tree::EntryRef<'_>,
) -> std::cmp::Ordering {
    let (x, y): (&[u8], &[u8]) = (a.filename, b.filename);
    let l = x.len().min(y.len());
    x[..l].cmp(&y[..l]).then_with(|| {
        let end =
            |name: &[u8], tree: bool| name.get(l).copied().unwrap_or(if tree { b'/' } else { 0 });
        end(x, a.mode.is_tree()).cmp(&end(y, b.mode.is_tree()))
    })
}

/// How many bytes `a` and `b` share at their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Eight bytes at a time: the first differing byte is the lowest set
    // byte of their XOR (little-endian).
    let mut i = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let word = |c: &[u8]| u64::from_le_bytes(c.try_into().expect("8 bytes"));
        let d = word(x) ^ word(y);
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Scans one blob: its secrets as findings at its first path (inline
/// directives applied), skipping binary and oversized blobs.
#[allow(clippy::too_many_arguments)]
fn scan_blob(
    r: &mut super::pack::Reader,
    scanner: &crate::checks::secrets::Scanner,
    settings: &crate::config::Settings,
    limit: u64,
    index: usize,
    id: ObjectId,
    path: &str,
    display: &str,
    // A path can hold a secret too: it is shown with every finding.
    in_path: &[String],
) -> Result<BlobScan, String> {
    let skipped = |reason: String| BlobScan {
        skipped: Some(crate::engine::Skipped {
            path: format!("{display} (blob {id})"),
            reason,
        }),
        secrets: in_path.to_vec(),
        ..Default::default()
    };
    let header = r
        .repo()
        .find_header(id)
        .map_err(|e| format!("blob {id}: {e}"))?;
    if header.size() > limit {
        return Ok(skipped(format!(
            "{} bytes, over the size limit of {limit} bytes (secrets.max_file_bytes): not scanned for secrets",
            header.size()
        )));
    }
    let (kind, blob) = r.read(&id).map_err(|e| format!("blob {id}: {e}"))?;
    if kind != gix::object::Kind::Blob {
        return Err(format!("blob {id}: a {kind} where a blob was expected"));
    }
    let bytes = &blob[..];
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Ok(skipped(
            "binary (NUL byte in the first 8 KiB): not scanned for secrets".into(),
        ));
    }
    let matches = scanner.scan_path(bytes, Path::new(path));
    if matches.is_empty() {
        return Ok(BlobScan {
            secrets: in_path.to_vec(),
            ..Default::default()
        });
    }
    // The blob's literal credentials join its gate as in `check` (a config's
    // credential fields, a deployment file's credential variables): a
    // snippet of a line that holds one shows it redacted.
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let candidate = crate::discover::Candidate {
        path: Path::new(path).to_path_buf(),
        display: display.to_string(),
        kind: if crate::discover::is_config_name(name) {
            crate::discover::Kind::Config
        } else {
            crate::discover::Kind::Other
        },
        explicit: false,
        outside_root: false,
        regular: true,
        walk_error: None,
    };
    let is_config = crate::classify::is_config(&candidate, bytes);
    let config = is_config.then(|| crate::load::parse(bytes).ok()).flatten();
    let deploy_format = config
        .is_none()
        .then(|| crate::deploy::detect(name, bytes))
        .flatten();
    let deploy = deploy_format.and_then(|f| crate::deploy::parse(f, bytes).ok().map(|d| (f, d)));
    // a config or deployment file that does not parse: its literal
    // credentials are unknown, so excerpts hide every word that may be one
    let unparsed = (is_config && config.is_none()) || (deploy_format.is_some() && deploy.is_none());
    let (doc, literals) = match (&config, &deploy) {
        (Some(d), _) => (Some((d, crate::engine::DocKind::Config)), Vec::new()),
        (None, Some((f, d))) => (
            Some((d, crate::engine::DocKind::of(*f))),
            crate::deploy::literal_credentials(*f, d, display),
        ),
        _ => (None, Vec::new()),
    };
    let redactor = crate::engine::file_redactor(bytes, &matches, doc, scanner, true, literals);
    let redactor = redactor.masked(unparsed);
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
    values.extend_from_slice(in_path);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw tree of (mode, name, id byte) entries, as git writes it.
    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    fn changes(old: &[u8], new: &[u8]) -> Vec<(String, Option<u8>, u8)> {
        let mut out = Vec::new();
        changed_entries(old, new, gix::hash::Kind::Sha1, |was, e| {
            out.push((
                e.filename.to_string(),
                was.map(|w| w.as_bytes()[0]),
                e.oid.as_bytes()[0],
            ))
        })
        .unwrap();
        out
    }

    #[test]
    fn only_the_entries_that_differ_are_reported_in_git_order() {
        // git's order: a-b < a.txt < a/ (the tree) < b < z
        let old = tree(&[
            ("100644", "a-b", 1),
            ("100644", "a.txt", 2),
            ("40000", "a", 3),
            ("100644", "z", 4),
        ]);
        let new = tree(&[
            ("100644", "a-b", 1),
            ("100644", "a.txt", 9),
            ("40000", "a", 5),
            ("100644", "b", 6),
            ("100644", "z", 4),
        ]);
        assert_eq!(
            changes(&old, &new),
            [
                ("a.txt".into(), None, 9),
                ("a".into(), Some(3), 5),
                ("b".into(), None, 6)
            ]
        );
        // Nothing before: everything is new; the same bytes: nothing.
        assert_eq!(changes(&[], &old).len(), 4);
        assert!(changes(&old, &old).is_empty());
        // A mode change alone, and a file that became a directory.
        let exec = tree(&[
            ("100644", "a-b", 1),
            ("100755", "a.txt", 2),
            ("40000", "a", 3),
            ("100644", "z", 4),
        ]);
        assert_eq!(changes(&old, &exec), [("a.txt".into(), None, 2)]);
        let dir = tree(&[("40000", "a-b", 7), ("100644", "z", 4)]);
        assert_eq!(changes(&old, &dir), [("a-b".into(), None, 7)]);
        // A tree that cannot be decoded is an error, not a panic.
        let mut cut = new.clone();
        cut.truncate(new.len() - 5);
        assert!(changed_entries(&old, &cut, gix::hash::Kind::Sha1, |_, _| {}).is_err());
    }

    #[test]
    fn common_prefix_is_the_first_differing_byte() {
        let mut rng = crate::test_rng(7);
        for _ in 0..2000 {
            let len = rng(70);
            let a: Vec<u8> = (0..len).map(|_| rng(3) as u8).collect();
            let mut b = a.clone();
            b.truncate(rng(len + 1));
            if !b.is_empty() && rng(2) == 0 {
                let i = rng(b.len());
                b[i] ^= 1 << rng(8);
            }
            let naive = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            assert_eq!(common_prefix(&a, &b), naive, "{a:?} {b:?}");
            assert_eq!(common_prefix(&b, &a), naive);
        }
    }

    #[test]
    fn entries_after_a_shared_start_are_those_a_full_comparison_finds() {
        // Trees of many entries that differ in one or two places: the
        // shared start is skipped by its NULs, and the result is the one a
        // comparison of every entry gives.
        let mut rng = crate::test_rng(11);
        for _ in 0..300 {
            let n = 1 + rng(40);
            let names: Vec<String> = (0..n).map(|i| format!("f{i:03}")).collect();
            let old: Vec<(&str, &str, u8)> = names
                .iter()
                .map(|m| ("100644", m.as_str(), rng(250) as u8))
                .collect();
            let mut new = old.clone();
            for _ in 0..1 + rng(2) {
                let i = rng(n);
                new[i].2 = new[i].2.wrapping_add(1 + rng(5) as u8);
            }
            let (o, w) = (tree(&old), tree(&new));
            let want: Vec<(String, Option<u8>, u8)> = old
                .iter()
                .zip(&new)
                .filter(|(a, b)| a.2 != b.2)
                .map(|(_, b)| (b.1.to_string(), None, b.2))
                .collect();
            assert_eq!(changes(&o, &w), want);
        }
    }
}
