//! Discovery: one parallel walk over the given paths that honours `.gitignore`
//! and `--exclude`, classifying each file as an OpenClaw config or plain text.

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A config by name (`openclaw.json`, `openclaw.json5`, `*.openclaw.json`) or by a glob in clawcheck.toml.
    Config,
    /// Any other file; JSON files among them are configs when their top level has an `openclaw` key.
    Other,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// How the file is shown in output: relative to the working directory when
    /// possible, with `/` separators.
    pub display: String,
    pub kind: Kind,
    /// Named on the command line (always checked, even if ignored).
    pub explicit: bool,
    /// A symlink whose target lies outside the scanned root: never opened
    /// unless `--follow-symlinks-outside-root`.
    pub outside_root: bool,
    /// The walk saw a regular file (not a symlink): it is opened without a
    /// `stat` by path first. Anything else is `stat`ed before it is opened,
    /// so that no FIFO, socket or device is ever opened.
    pub regular: bool,
    /// The walk could not read this entry (a directory without permission,
    /// a path too long): nothing below it was seen, which is reported
    /// (OC002), never passed over.
    pub walk_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("{path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
    #[error("invalid glob `{glob}`: {message}")]
    Glob { glob: String, message: String },
}

pub struct Options<'a> {
    pub excludes: &'a [String],
    pub config_globs: &'a [String],
    pub threads: usize,
    /// Follow file symlinks that leave the scanned root.
    pub follow_symlinks_outside_root: bool,
    /// How to show a file instead of its path relative to the working
    /// directory (`None` from it: the usual way). `--staged` and
    /// `--changed-since` check copies of other versions of files and show
    /// each as the working-tree file it stands for.
    pub display: Option<&'a DisplayFn<'a>>,
}

/// See [`Options::display`].
pub type DisplayFn<'a> = dyn Fn(&Path) -> Option<String> + Sync + 'a;

pub fn is_config_name(name: &str) -> bool {
    name == "openclaw.json"
        || name == "openclaw.json5"
        || name.ends_with(".openclaw.json")
        || name.ends_with(".openclaw.json5")
}

pub fn discover(paths: &[PathBuf], opts: &Options<'_>) -> Result<Vec<Candidate>, DiscoverError> {
    let config_set = build_globset(opts.config_globs)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out: Vec<Candidate> = Vec::new();
    let mut dirs: Vec<&PathBuf> = Vec::new();
    let canonical_cwd = std::fs::canonicalize(&cwd).ok();
    for p in paths {
        let meta = std::fs::symlink_metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DiscoverError::Missing(p.display().to_string()),
            _ => DiscoverError::Unreadable {
                path: p.display().to_string(),
                message: e.to_string(),
            },
        })?;
        if meta.is_dir() || (meta.file_type().is_symlink() && p.is_dir()) {
            dirs.push(p);
        } else {
            // Explicit files are always checked, whatever their name or ignore status.
            let display = show(opts, p, &cwd);
            let kind = classify(p, &display, &config_set);
            // A file named on the command line is inside the scanned tree
            // when its target is below the working directory or its own directory.
            let outside_root =
                meta.file_type().is_symlink() && !opts.follow_symlinks_outside_root && {
                    let parent = p
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new("."));
                    let roots: Vec<PathBuf> = canonical_cwd
                        .iter()
                        .cloned()
                        .chain(std::fs::canonicalize(parent).ok())
                        .collect();
                    !target_inside(p, &roots)
                };
            out.push(Candidate {
                path: p.clone(),
                display,
                kind,
                explicit: true,
                outside_root,
                regular: false,
                walk_error: None,
            });
        }
    }
    if !dirs.is_empty() {
        let mut builder = WalkBuilder::new(dirs[0]);
        for d in &dirs[1..] {
            builder.add(d);
        }
        let mut ov = OverrideBuilder::new(std::env::current_dir().unwrap_or_default());
        ov.add("!.git/").expect("static glob");
        for g in opts.excludes {
            ov.add(&format!("!{g}")).map_err(|e| DiscoverError::Glob {
                glob: g.clone(),
                message: e.to_string(),
            })?;
        }
        let overrides = ov.build().map_err(|e| DiscoverError::Glob {
            glob: opts.excludes.join(","),
            message: e.to_string(),
        })?;
        builder
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .ignore(true)
            .parents(true)
            .follow_links(false)
            .overrides(overrides)
            .threads(opts.threads.max(1));
        let roots: Vec<PathBuf> = dirs
            .iter()
            .filter_map(|d| std::fs::canonicalize(d).ok())
            .collect();
        let found = Mutex::new(Vec::new());
        builder.build_parallel().run(|| {
            let found = &found;
            let roots = &roots;
            let config_set = &config_set;
            let cwd = &cwd;
            Box::new(move |entry| {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        if let Some(path) = error_path(&err) {
                            let display = show(opts, &path, cwd);
                            found.lock().expect("walker poisoned").push(Candidate {
                                kind: classify(&path, &display, config_set),
                                path,
                                display,
                                explicit: false,
                                outside_root: false,
                                regular: false,
                                walk_error: Some(walk_error_text(&err)),
                            });
                        }
                        return WalkState::Continue;
                    }
                };
                {
                    if let Some(t) = e.file_type().filter(|t| !t.is_dir()) {
                        let regular = t.is_file();
                        let outside_root = e.path_is_symlink()
                            && !opts.follow_symlinks_outside_root
                            && !target_inside(e.path(), roots);
                        let path = e.into_path();
                        let display = show(opts, &path, cwd);
                        let kind = classify(&path, &display, config_set);
                        found.lock().expect("walker poisoned").push(Candidate {
                            path,
                            display,
                            kind,
                            explicit: false,
                            outside_root,
                            regular,
                            walk_error: None,
                        });
                    }
                }
                WalkState::Continue
            })
        });
        out.extend(found.into_inner().expect("walker poisoned"));
    }
    out.sort_by(|a, b| a.display.cmp(&b.display).then(b.explicit.cmp(&a.explicit)));
    out.dedup_by(|a, b| a.display == b.display);
    Ok(out)
}

/// The path a walk error is about, when it is one that hides what the path
/// holds: a directory or file that could not be read (an I/O error other
/// than "not found", which is a file removed during the walk). A line of a
/// `.gitignore` that is not a glob is not one: that file is still read.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    fn io_hides(err: &ignore::Error) -> bool {
        match err {
            ignore::Error::Io(e) => e.kind() != std::io::ErrorKind::NotFound,
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => io_hides(err),
            _ => false,
        }
    }
    match err {
        ignore::Error::WithPath { path, err } if io_hides(err) => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        _ => None,
    }
}

/// What went wrong, without the path (the finding names the path).
fn walk_error_text(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_text(err),
        ignore::Error::Partial(errs) => errs.first().map_or_else(String::new, walk_error_text),
        other => other.to_string(),
    }
}

/// Whether the symlink `path` resolves (through every link) to a place below
/// one of `roots` (canonical paths). A dangling or unresolvable link is not.
fn target_inside(path: &Path, roots: &[PathBuf]) -> bool {
    std::fs::canonicalize(path).is_ok_and(|t| roots.iter().any(|r| t.starts_with(r)))
}

fn build_globset(globs: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| DiscoverError::Glob {
            glob: g.clone(),
            message: e.to_string(),
        })?);
    }
    b.build().map_err(|e| DiscoverError::Glob {
        glob: globs.join(","),
        message: e.to_string(),
    })
}

fn classify(path: &Path, display: &str, globs: &GlobSet) -> Kind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_config_name(name) || (!globs.is_empty() && globs.is_match(display)) {
        Kind::Config
    } else {
        Kind::Other
    }
}

fn show(opts: &Options<'_>, path: &Path, cwd: &Path) -> String {
    opts.display
        .and_then(|d| d(path))
        .unwrap_or_else(|| display_path(path, cwd))
}

/// `path` relative to `cwd` when it lies below it, `/`-separated, without `./`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let s = parts.join("/");
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names() {
        assert!(is_config_name("openclaw.json"));
        assert!(is_config_name("openclaw.json5"));
        assert!(is_config_name("prod.openclaw.json"));
        assert!(!is_config_name("package.json"));
    }

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let cwd = Path::new("/repo");
        assert_eq!(display_path(Path::new("./a/b.json"), cwd), "a/b.json");
        assert_eq!(display_path(Path::new("/repo/a/b.json"), cwd), "a/b.json");
        assert_eq!(display_path(Path::new("/elsewhere/x"), cwd), "/elsewhere/x");
    }
}
