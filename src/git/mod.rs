//! Git-aware checking, read with `gix` (no `git` process, no parsing of
//! `git log -p` text): `check --changed-since REF` and `check --staged`
//! ([`changed`]), and `clawcheck history` ([`history`]).

pub mod changed;
pub mod history;
pub mod pack;

use gix::ObjectId;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// A repository with a working tree, found upward from a path.
pub struct Repo {
    pub repo: gix::Repository,
    /// The working tree's root, canonical.
    pub root: PathBuf,
    /// The current directory, canonical: displayed paths are relative to it.
    pub cwd: PathBuf,
}

/// A file of a tree or of the index: its blob and whether it is a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blob {
    pub id: ObjectId,
    pub link: bool,
}

/// Largest blob read (the engine's own limits then apply to what is read).
pub const MAX_BLOB_BYTES: u64 = 256 << 20;

impl Repo {
    /// The repository that holds `start` (a file or directory), with a clear
    /// error outside one.
    pub fn discover(start: &Path) -> Result<Repo, String> {
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        let from = if start.is_dir() {
            start.to_path_buf()
        } else {
            start
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let repo = gix::discover(&from).map_err(|e| {
            format!(
                "{}: not inside a git repository ({e}); --changed-since, --staged and `history` read a repository",
                from.display()
            )
        })?;
        let root = repo
            .workdir()
            .ok_or_else(|| {
                format!(
                    "{}: a bare repository has no working tree to check",
                    repo.git_dir().display()
                )
            })
            .and_then(|w| std::fs::canonicalize(w).map_err(|e| format!("{}: {e}", w.display())))?;
        let mut repo = repo;
        repo.object_cache_size_if_unset(16 << 20);
        Ok(Repo { repo, root, cwd })
    }

    /// The commit `spec` names. A revision that is not there in a shallow
    /// clone names the fix (CI checkouts fetch one commit by default).
    pub fn commit(&self, spec: &str) -> Result<ObjectId, String> {
        let missing = |e: String| {
            if self.repo.is_shallow() {
                format!(
                    "`{spec}` is not in this shallow clone ({e}): fetch the history, e.g. actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`"
                )
            } else {
                format!("`{spec}`: not a commit of this repository ({e})")
            }
        };
        let id = self
            .repo
            .rev_parse_single(spec)
            .map_err(|e| missing(e.to_string()))?;
        let commit = id
            .object()
            .map_err(|e| missing(e.to_string()))?
            .peel_to_commit()
            .map_err(|e| missing(e.to_string()))?;
        Ok(commit.id)
    }

    /// The commit HEAD points to; `None` on an unborn branch.
    pub fn head(&self) -> Result<Option<ObjectId>, String> {
        let mut head = self.repo.head().map_err(|e| format!("HEAD: {e}"))?;
        match head.peel_to_commit() {
            Ok(c) => Ok(Some(c.id)),
            Err(_) if head.is_unborn() => Ok(None),
            Err(e) => Err(format!("HEAD: {e}")),
        }
    }

    /// The merge base of `base` and HEAD: what a branch changed is measured
    /// from where it left `base` (`git diff base...HEAD`); it is `base` itself
    /// when `base` is an ancestor of HEAD.
    pub fn merge_base_with_head(&self, spec: &str, base: ObjectId) -> Result<ObjectId, String> {
        let Some(head) = self.head()? else {
            return Ok(base);
        };
        self.repo
            .merge_base(base, head)
            .map(|id| id.detach())
            .map_err(|e| {
                if self.repo.is_shallow() {
                    format!(
                        "no merge base of `{spec}` and HEAD in this shallow clone ({e}): fetch the history, e.g. actions/checkout with `fetch-depth: 0`"
                    )
                } else {
                    format!("no merge base of `{spec}` and HEAD: {e}")
                }
            })
    }

    /// Every file of a commit's tree by repository path (submodules left out).
    pub fn tree_files(&self, commit: Option<ObjectId>) -> Result<BTreeMap<String, Blob>, String> {
        let mut out = BTreeMap::new();
        let Some(commit) = commit else {
            return Ok(out);
        };
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(|e| format!("commit {commit}: {e}"))?
            .tree_id()
            .map_err(|e| format!("commit {commit}: {e}"))?;
        let mut stack = vec![(String::new(), tree.detach())];
        while let Some((prefix, id)) = stack.pop() {
            let tree = self
                .repo
                .find_tree(id)
                .map_err(|e| format!("tree {id}: {e}"))?;
            let decoded = tree.decode().map_err(|e| format!("tree {id}: {e}"))?;
            for e in &decoded.entries {
                let Some(name) = safe_name(e.filename) else {
                    continue;
                };
                let path = if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                };
                if e.mode.is_tree() {
                    stack.push((path, e.oid.to_owned()));
                } else if e.mode.is_blob() || e.mode.is_link() {
                    out.insert(
                        path,
                        Blob {
                            id: e.oid.to_owned(),
                            link: e.mode.is_link(),
                        },
                    );
                }
            }
        }
        Ok(out)
    }

    /// Every file of the index (stage 0: what the next commit holds).
    pub fn index_files(&self) -> Result<BTreeMap<String, Blob>, String> {
        let index = self
            .repo
            .index_or_empty()
            .map_err(|e| format!("cannot read the index: {e}"))?;
        let mut out = BTreeMap::new();
        for e in index.entries() {
            if e.stage_raw() != 0 {
                continue;
            }
            let link = e.mode == gix::index::entry::Mode::SYMLINK;
            if !(e.mode.is_submodule() || e.mode == gix::index::entry::Mode::DIR) {
                let path = e.path(&index);
                if let Ok(p) = std::str::from_utf8(path) {
                    if p.split('/').all(|c| safe_name(c.into()).is_some()) {
                        out.insert(p.to_string(), Blob { id: e.id, link });
                    }
                }
            }
        }
        Ok(out)
    }

    /// A blob's bytes, refused past [`MAX_BLOB_BYTES`].
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>, String> {
        let header = self
            .repo
            .find_header(id)
            .map_err(|e| format!("blob {id}: {e}"))?;
        if header.size() > MAX_BLOB_BYTES {
            return Err(format!(
                "blob {id}: {} bytes, over the {MAX_BLOB_BYTES}-byte limit",
                header.size()
            ));
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| format!("blob {id}: {e}"))?;
        Ok(blob.detach().data)
    }

    /// The repository path of `path` (relative to the current directory or
    /// absolute), lexically: `None` outside the working tree.
    pub fn repo_path(&self, path: &Path) -> Option<String> {
        let abs = normalise(&self.cwd.join(path));
        let rel = abs.strip_prefix(&self.root).ok()?;
        let parts: Vec<&str> = rel
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<_>>()?;
        Some(parts.join("/"))
    }

    /// How the engine shows the working-tree file at repository path `p`.
    pub fn display(&self, p: &str) -> String {
        crate::discover::display_path(&self.root.join(p), &self.cwd)
    }
}

/// A tree entry name that is safe to join to a directory: not empty, `.`,
/// `..` or `.git`, no separator or NUL (a hostile tree can hold any of them).
fn safe_name(name: &gix::bstr::BStr) -> Option<&str> {
    let s = std::str::from_utf8(name).ok()?;
    let bad = s.is_empty()
        || s == "."
        || s == ".."
        || s.eq_ignore_ascii_case(".git")
        || s.contains(['/', '\\', '\0']);
    (!bad).then_some(s)
}

/// `path` without `.` and with `..` applied (no file system access).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Files written below a temporary directory, laid out as in the working
/// tree, so that the engine checks another version of them (a base commit,
/// the index) exactly as it checks the working tree; [`Snapshot::display`]
/// shows each as the working-tree file it stands for.
pub struct Snapshot {
    pub dir: tempfile::TempDir,
    root: PathBuf,
    cwd: PathBuf,
}

impl Snapshot {
    pub fn new(repo: &Repo) -> Result<Snapshot, String> {
        let dir = tempfile::Builder::new()
            .prefix("clawcheck-git-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        Ok(Snapshot {
            dir,
            root: repo.root.clone(),
            cwd: repo.cwd.clone(),
        })
    }

    /// Writes `bytes` as repository path `p` (its components are checked
    /// names: nothing is written outside the directory).
    pub fn write(&self, p: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.dir.path().join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{p}: {e}"))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{p}: {e}"))
    }

    /// The snapshot's stand-in for a path the user named: a directory is
    /// created (empty when nothing of it was written) so that the walk finds
    /// what was written below it; a file is named only when it was written.
    pub fn map_path(&self, repo: &Repo, user: &Path) -> Option<PathBuf> {
        let p = repo.repo_path(user)?;
        let target = self.dir.path().join(&p);
        if target.is_file() {
            return Some(target);
        }
        let is_dir = p.is_empty() || repo.root.join(&p).is_dir() || user.is_dir();
        if is_dir {
            std::fs::create_dir_all(&target).ok()?;
            return Some(target);
        }
        None
    }

    /// The display name of a snapshot file: the one its working-tree
    /// counterpart has.
    pub fn display(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(self.dir.path()).ok()?;
        Some(crate::discover::display_path(
            &self.root.join(rel),
            &self.cwd,
        ))
    }
}

/// Short commit id as git prints it.
pub fn short(id: &ObjectId) -> String {
    id.to_hex_with_len(12).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_tree_names_are_never_joined() {
        for bad in ["", ".", "..", ".git", ".GIT", "a/b", "a\\b", "a\0b"] {
            assert_eq!(safe_name(bad.into()), None, "{bad:?}");
        }
        assert_eq!(safe_name("openclaw.json".into()), Some("openclaw.json"));
        assert_eq!(safe_name("..x".into()), Some("..x"));
    }

    #[test]
    fn normalise_is_lexical() {
        assert_eq!(
            normalise(Path::new("/r/a/./b/../c")),
            PathBuf::from("/r/a/c")
        );
    }
}
