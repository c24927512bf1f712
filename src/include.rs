//! OpenClaw's `$include` config composition, resolved as OpenClaw 2026.9
//! resolves it (`src/config/includes.ts`), so that the merged config is judged
//! and every value keeps the file and JSON Pointer where it was written.
//!
//! OpenClaw's semantics, mirrored here:
//! - `"$include"` may stand in any object (at any depth, also inside arrays):
//!   a string (one file) or an array of strings (files deep-merged in order,
//!   starting from `{}`).
//! - A path is relative to the directory of the file that names it; it must
//!   stay, lexically and through symlinks, inside the directory of the
//!   top-level config (OpenClaw also accepts `OPENCLAW_INCLUDE_ROOTS`, an
//!   environment variable clawcheck does not read: such an include is reported).
//! - Sibling keys of `$include` are merged over the included content, which
//!   must then be an object. Merging: objects recursively, arrays concatenate,
//!   anything else the later value wins; `__proto__`, `prototype` and
//!   `constructor` keys are dropped.
//! - An included file is a regular file of at most 2 MiB with one hard link;
//!   a chain of includes is at most 10 files deep; a file that includes one of
//!   the files that (transitively) include it is a cycle.
//!
//! Where OpenClaw stops at the first include error (the config is invalid),
//! clawcheck reports every one as a finding at the `$include` that caused it,
//! treats the failed include as `{}`, and judges the rest.

use crate::load::{self, escape_pointer_token, Document};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// OpenClaw's `MAX_INCLUDE_FILE_BYTES`.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// OpenClaw's include depth limit: a chain of at most this many included files.
pub const MAX_CHAIN: usize = 10;
/// OpenClaw's `MAX_INCLUDE_PATH_LENGTH`.
const MAX_PATH_LENGTH: usize = 4096;
/// clawcheck's own bounds on one config's include graph (OpenClaw has none:
/// a file included from many places is re-read each time, so a small graph
/// can expand exponentially). Distinct files read:
pub const MAX_FILES: usize = 64;
/// Includes resolved (a file included twice counts twice):
pub const MAX_LOADS: usize = 256;
/// Bytes of included content merged, counting repeats:
pub const MAX_TOTAL_BYTES: u64 = 4 * 1024 * 1024;

/// Where a value was written: file 0 is the config itself, file `i` is
/// `Resolved::files[i - 1]`; `pointer` is the JSON Pointer inside that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: usize,
    pub pointer: String,
}

/// A file read through `$include`.
#[derive(Debug)]
pub struct Included {
    pub path: PathBuf,
    /// Shown like any discovered file (relative to the working directory).
    pub display: String,
    pub bytes: Vec<u8>,
    /// `None` when the file does not parse (an [`Issue`] says where).
    pub doc: Option<Document>,
}

/// An include that cannot be resolved, at the `$include` (or, for a file that
/// does not parse, at the parse error in that file: `range`).
#[derive(Debug)]
pub struct Issue {
    pub at: Loc,
    pub range: Option<Range<usize>>,
    pub message: String,
}

/// The merged config and where each of its values came from.
#[derive(Debug)]
pub struct Resolved {
    pub value: Value,
    pub files: Vec<Included>,
    pub issues: Vec<Issue>,
    origins: HashMap<String, Loc>,
}

impl Resolved {
    /// Where the value at `pointer` (in the merged config) was written. A
    /// pointer that does not exist maps through its nearest existing
    /// ancestor, keeping the missing tail (so that the file's own `locate`
    /// falls back to that ancestor's place).
    pub fn origin(&self, pointer: &str) -> Loc {
        let mut p = pointer;
        loop {
            if let Some(l) = self.origins.get(p) {
                return Loc {
                    file: l.file,
                    pointer: format!("{}{}", l.pointer, &pointer[p.len()..]),
                };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return Loc {
                        file: 0,
                        pointer: pointer.to_string(),
                    }
                }
            }
        }
    }
}

/// Whether any object in `v` has a `$include` key (an explicit stack: no recursion).
pub fn has_include(v: &Value) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if m.contains_key(KEY) {
                    return true;
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    false
}

const KEY: &str = "$include";

/// A value with the place each of its parts was written.
#[derive(Debug, Clone)]
struct Node {
    loc: Loc,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Leaf(Value),
    Object(IndexMap<String, Node>),
    Array(Vec<Node>),
}

fn blocked(key: &str) -> bool {
    matches!(key, "__proto__" | "prototype" | "constructor")
}

/// OpenClaw's `mergeDeep(base, override, {arrays: "concat", undefinedValues: "replace"})`.
fn merge(base: Node, over: Node) -> Node {
    match (base.kind, over.kind) {
        (Kind::Array(mut a), Kind::Array(b)) => {
            a.extend(b);
            Node {
                loc: over.loc,
                kind: Kind::Array(a),
            }
        }
        (Kind::Object(mut a), Kind::Object(b)) => {
            a.retain(|k, _| !blocked(k));
            for (k, v) in b {
                if blocked(&k) {
                    continue;
                }
                // In place: a key keeps its first position, as in a JavaScript object.
                match a.get_mut(&k) {
                    Some(cur)
                        if matches!(
                            (&cur.kind, &v.kind),
                            (Kind::Object(_), Kind::Object(_)) | (Kind::Array(_), Kind::Array(_))
                        ) =>
                    {
                        let base = std::mem::replace(cur, placeholder());
                        *cur = merge(base, v);
                    }
                    Some(cur) => *cur = sanitize(v),
                    None => {
                        a.insert(k, sanitize(v));
                    }
                }
            }
            Node {
                loc: over.loc,
                kind: Kind::Object(a),
            }
        }
        (_, kind) => Node {
            loc: over.loc,
            kind,
        },
    }
}

/// A value moved out of its slot for a moment.
fn placeholder() -> Node {
    Node {
        loc: Loc {
            file: 0,
            pointer: String::new(),
        },
        kind: Kind::Leaf(Value::Null),
    }
}

/// An include path as messages show it: at most 200 characters.
fn shorten(p: &str) -> String {
    match p.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &p[..i]),
        None => p.to_string(),
    }
}

/// OpenClaw's `sanitizePlainObject`: blocked keys dropped at every object level.
fn sanitize(mut n: Node) -> Node {
    if let Kind::Object(m) = &mut n.kind {
        m.retain(|k, _| !blocked(k));
        for v in m.values_mut() {
            let taken = std::mem::replace(v, placeholder());
            *v = sanitize(taken);
        }
    }
    n
}

/// The including file's place in a chain of includes.
struct Frame<'a> {
    file: usize,
    /// Normalised absolute path of the file (for relative includes and cycles).
    path: &'a Path,
    /// Every file from the top-level config down to this one.
    chain: &'a [PathBuf],
}

struct Resolver<'a> {
    cwd: &'a Path,
    root_dir: PathBuf,
    root_real: Option<PathBuf>,
    files: Vec<Included>,
    by_path: HashMap<PathBuf, usize>,
    issues: Vec<Issue>,
    loads: usize,
    total_bytes: u64,
}

/// Resolves every `$include` of `doc`, the config at `path` (as given on the
/// command line or found by discovery; relative to `cwd`).
pub fn resolve(doc: &Document, path: &Path, cwd: &Path) -> Resolved {
    let abs = normalise(&cwd.join(path));
    let root_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut r = Resolver {
        cwd,
        root_real: std::fs::canonicalize(&root_dir).ok(),
        root_dir,
        files: Vec::new(),
        by_path: HashMap::new(),
        issues: Vec::new(),
        loads: 0,
        total_bytes: 0,
    };
    let chain = vec![abs.clone()];
    let frame = Frame {
        file: 0,
        path: &abs,
        chain: &chain,
    };
    let node = r.process(&doc.value, String::new(), &frame, 0);
    let mut origins = HashMap::new();
    let value = flatten(node, &mut String::new(), &mut origins);
    Resolved {
        value,
        files: r.files,
        issues: r.issues,
        origins,
    }
}

/// `node` as a plain value, recording where each pointer came from.
fn flatten(node: Node, pointer: &mut String, origins: &mut HashMap<String, Loc>) -> Value {
    origins.insert(pointer.clone(), node.loc);
    let len = pointer.len();
    match node.kind {
        Kind::Leaf(v) => v,
        Kind::Object(m) => {
            let mut out = serde_json::Map::with_capacity(m.len());
            for (k, n) in m {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(&k));
                let v = flatten(n, pointer, origins);
                pointer.truncate(len);
                out.insert(k, v);
            }
            Value::Object(out)
        }
        Kind::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            for (i, n) in a.into_iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(flatten(n, pointer, origins));
                pointer.truncate(len);
            }
            Value::Array(out)
        }
    }
}

/// `path` with `.` and `..` resolved lexically (Node's `path.normalize`).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push(c);
                }
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

impl Resolver<'_> {
    /// `v`, written at `at` in `frame.file`, with its includes resolved.
    /// `depth` is the nesting of the merged value: bounded like one file's.
    fn process(&mut self, v: &Value, at: String, frame: &Frame<'_>, depth: usize) -> Node {
        let loc = Loc {
            file: frame.file,
            pointer: at,
        };
        if depth > load::MAX_DEPTH {
            self.issue(
                loc.clone(),
                format!(
                    "the merged config nests deeper than {} levels of objects and arrays: not followed",
                    load::MAX_DEPTH
                ),
            );
            return Node {
                loc,
                kind: Kind::Leaf(Value::Null),
            };
        }
        let child = |loc: &Loc, token: &str| format!("{}/{}", loc.pointer, token);
        match v {
            Value::Array(a) => {
                let items = a
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.process(x, child(&loc, &i.to_string()), frame, depth + 1))
                    .collect();
                Node {
                    loc,
                    kind: Kind::Array(items),
                }
            }
            Value::Object(m) if m.contains_key(KEY) => self.include(m, loc, frame, depth),
            Value::Object(m) => {
                let mut out = IndexMap::with_capacity(m.len());
                for (k, x) in m {
                    let n =
                        self.process(x, child(&loc, &escape_pointer_token(k)), frame, depth + 1);
                    out.insert(k.clone(), n);
                }
                Node {
                    loc,
                    kind: Kind::Object(out),
                }
            }
            _ => Node {
                loc,
                kind: Kind::Leaf(v.clone()),
            },
        }
    }

    /// An object with a `$include` key (OpenClaw's `processInclude`).
    fn include(
        &mut self,
        m: &serde_json::Map<String, Value>,
        loc: Loc,
        frame: &Frame<'_>,
        depth: usize,
    ) -> Node {
        let key_loc = Loc {
            file: frame.file,
            pointer: format!("{}/{}", loc.pointer, KEY),
        };
        let empty = |loc: &Loc| Node {
            loc: loc.clone(),
            kind: Kind::Object(IndexMap::new()),
        };
        let included = match &m[KEY] {
            Value::String(p) => self
                .load(p, key_loc.clone(), frame, depth)
                .unwrap_or_else(|| empty(&loc)),
            Value::Array(items) => {
                let mut acc = empty(&loc);
                for (i, item) in items.iter().enumerate() {
                    let at = Loc {
                        file: frame.file,
                        pointer: format!("{}/{i}", key_loc.pointer),
                    };
                    match item {
                        Value::String(p) => {
                            if let Some(n) = self.load(p, at, frame, depth) {
                                acc = merge(acc, n);
                            }
                        }
                        other => self.issue(
                            at,
                            format!(
                                "invalid `$include` array item: expected a string, got {}",
                                js_type(other)
                            ),
                        ),
                    }
                }
                acc
            }
            other => {
                self.issue(
                    key_loc,
                    format!(
                        "invalid `$include` value: expected a string or an array of strings, got {}",
                        js_type(other)
                    ),
                );
                empty(&loc)
            }
        };
        let siblings: Vec<(&String, &Value)> = m.iter().filter(|(k, _)| *k != KEY).collect();
        if siblings.is_empty() {
            // The included content stands where the `$include` was written.
            return Node {
                loc,
                kind: included.kind,
            };
        }
        let included = if matches!(included.kind, Kind::Object(_)) {
            included
        } else {
            self.issue(
                Loc {
                    file: frame.file,
                    pointer: format!("{}/{}", loc.pointer, KEY),
                },
                "keys beside `$include` require the included content to be an object (OpenClaw: \"Sibling keys require included content to be an object\")".into(),
            );
            empty(&loc)
        };
        let mut rest = IndexMap::with_capacity(siblings.len());
        for (k, x) in siblings {
            let at = format!("{}/{}", loc.pointer, escape_pointer_token(k));
            rest.insert(k.clone(), self.process(x, at, frame, depth + 1));
        }
        let merged = merge(
            included,
            Node {
                loc: loc.clone(),
                kind: Kind::Object(rest),
            },
        );
        Node {
            loc,
            kind: merged.kind,
        }
    }

    fn issue(&mut self, at: Loc, message: String) {
        self.issues.push(Issue {
            at,
            range: None,
            message,
        });
    }

    /// One included file, resolved and processed (OpenClaw's `loadFile`), or
    /// `None` after reporting why it cannot be.
    fn load(&mut self, include: &str, at: Loc, frame: &Frame<'_>, depth: usize) -> Option<Node> {
        let shown = shorten(include);
        if include.contains('\0') {
            self.issue(at, "an `$include` path must not contain NUL bytes".into());
            return None;
        }
        if include.len() >= MAX_PATH_LENGTH {
            self.issue(
                at,
                format!(
                    "`$include` path longer than OpenClaw's limit of {MAX_PATH_LENGTH} characters"
                ),
            );
            return None;
        }
        let dir = frame.path.parent().unwrap_or(Path::new("/"));
        let target = normalise(&dir.join(include));
        let display = crate::discover::display_path(&target, self.cwd);
        if !target.starts_with(&self.root_dir) {
            self.issue(
                at,
                format!(
                    "`$include` \"{shown}\" escapes the config's directory: OpenClaw refuses to load the config (\"Include path escapes config directory\") unless OPENCLAW_INCLUDE_ROOTS allows it, and clawcheck does not follow it"
                ),
            );
            return None;
        }
        let real = std::fs::canonicalize(&target).ok();
        if let (Some(real), Some(root)) = (&real, &self.root_real) {
            if !real.starts_with(root) {
                self.issue(
                    at,
                    format!(
                        "`$include` \"{shown}\" is a symlink to a file outside the config's directory: OpenClaw refuses to load the config (\"Include path resolves outside config directory (symlink)\"), and clawcheck does not follow it"
                    ),
                );
                return None;
            }
        }
        if let Some(i) = frame.chain.iter().position(|p| *p == target) {
            let cycle: Vec<String> = frame.chain[i..]
                .iter()
                .chain(std::iter::once(&target))
                .map(|p| crate::discover::display_path(p, self.cwd))
                .collect();
            self.issue(
                at,
                format!(
                    "circular `$include`: {} (OpenClaw: \"Circular include detected\")",
                    cycle.join(" -> ")
                ),
            );
            return None;
        }
        if frame.chain.len() > MAX_CHAIN {
            self.issue(
                at,
                format!(
                    "`$include` \"{shown}\" is more than {MAX_CHAIN} includes deep: OpenClaw refuses to load the config (\"Maximum include depth (10) exceeded\")"
                ),
            );
            return None;
        }
        if self.loads >= MAX_LOADS {
            self.issue(
                at,
                format!("more than {MAX_LOADS} `$include`s in one config: the rest are not followed, the config is not fully checked"),
            );
            return None;
        }
        self.loads += 1;
        let file = match self.by_path.get(&target) {
            Some(&i) => i,
            None => {
                if self.files.len() >= MAX_FILES {
                    self.issue(
                        at,
                        format!("more than {MAX_FILES} distinct files included by one config: \"{shown}\" is not followed, the config is not fully checked"),
                    );
                    return None;
                }
                let bytes = match read(&target) {
                    Ok(b) => b,
                    Err(why) => {
                        self.issue(
                            at,
                            format!("cannot read the `$include` file \"{shown}\" ({display}): {why}; OpenClaw refuses to load the config (\"Failed to read include file\")"),
                        );
                        return None;
                    }
                };
                let (doc, failure) = match load::parse(&bytes) {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(e)),
                };
                self.files.push(Included {
                    path: target.clone(),
                    display: display.clone(),
                    bytes,
                    doc,
                });
                let i = self.files.len();
                self.by_path.insert(target.clone(), i);
                if let Some(e) = failure {
                    self.issues.push(Issue {
                        at: Loc {
                            file: i,
                            pointer: String::new(),
                        },
                        range: Some(e.offset..e.end),
                        message: format!(
                            "cannot parse the `$include` file {display}: {}; OpenClaw refuses to load the config (\"Failed to parse include file\")",
                            e.message
                        ),
                    });
                }
                i
            }
        };
        let f = &self.files[file - 1];
        let doc = f.doc.as_ref()?;
        let size = f.bytes.len() as u64;
        if self.total_bytes + size > MAX_TOTAL_BYTES {
            self.issue(
                at,
                format!("more than {MAX_TOTAL_BYTES} bytes of included content in one config: \"{shown}\" is not followed, the config is not fully checked"),
            );
            return None;
        }
        self.total_bytes += size;
        // The document is owned by `self.files`; processing needs `&mut self`.
        let value = doc.value.clone();
        let mut chain = frame.chain.to_vec();
        chain.push(target.clone());
        let nested = Frame {
            file,
            path: &target,
            chain: &chain,
        };
        Some(self.process(&value, String::new(), &nested, depth))
    }
}

/// Reads an included file under OpenClaw's guards: a regular file of at most
/// [`MAX_FILE_BYTES`] with a single hard link.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    let guard = || {
        format!("OpenClaw's include guards want a regular file of at most {MAX_FILE_BYTES} bytes with no other hard link")
    };
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return Err(guard());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(guard());
        }
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(guard());
    }
    Ok(buf)
}

/// JavaScript's `typeof` of a JSON value, as OpenClaw's messages name it.
fn js_type(v: &Value) -> &'static str {
    match v {
        Value::Null | Value::Array(_) | Value::Object(_) => "object",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: &Value, file: usize, p: &str) -> Node {
        let loc = Loc {
            file,
            pointer: p.to_string(),
        };
        let kind = match v {
            Value::Object(m) => Kind::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), node(x, file, &format!("{p}/{k}"))))
                    .collect(),
            ),
            Value::Array(a) => Kind::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| node(x, file, &format!("{p}/{i}")))
                    .collect(),
            ),
            _ => Kind::Leaf(v.clone()),
        };
        Node { loc, kind }
    }

    /// OpenClaw's deepMerge: objects recursively, arrays concatenated, the
    /// later scalar wins, prototype keys dropped; origins follow the values.
    #[test]
    fn merge_is_openclaws_deep_merge() {
        let a = json!({"g": {"bind": "lan", "port": 1}, "list": [1, 2], "x": {"y": 1}, "constructor": 1});
        let b = json!({"g": {"bind": "loopback"}, "list": [3], "x": 5});
        let mut origins = HashMap::new();
        let v = flatten(
            merge(node(&a, 1, ""), node(&b, 0, "")),
            &mut String::new(),
            &mut origins,
        );
        assert_eq!(
            v,
            json!({"g": {"bind": "loopback", "port": 1}, "list": [1, 2, 3], "x": 5})
        );
        assert_eq!(
            origins["/g/port"],
            Loc {
                file: 1,
                pointer: "/g/port".into()
            }
        );
        assert_eq!(
            origins["/g/bind"],
            Loc {
                file: 0,
                pointer: "/g/bind".into()
            }
        );
        assert_eq!(
            origins["/list/2"],
            Loc {
                file: 0,
                pointer: "/list/0".into()
            }
        );
        assert_eq!(
            origins["/list/1"],
            Loc {
                file: 1,
                pointer: "/list/1".into()
            }
        );
    }

    #[test]
    fn origin_of_a_missing_pointer_keeps_its_tail() {
        let mut origins = HashMap::new();
        let value = flatten(
            node(&json!({"g": {}}), 2, "/inc"),
            &mut String::new(),
            &mut origins,
        );
        let r = Resolved {
            value,
            files: Vec::new(),
            issues: Vec::new(),
            origins,
        };
        assert_eq!(
            r.origin("/g/auth/mode"),
            Loc {
                file: 2,
                pointer: "/inc/g/auth/mode".into()
            }
        );
    }

    #[test]
    fn normalise_is_lexical() {
        assert_eq!(
            normalise(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalise(Path::new("/a/../../x")), PathBuf::from("/x"));
    }

    #[test]
    fn has_include_finds_nested_keys() {
        assert!(has_include(&json!({"a": [{"$include": "x"}]})));
        assert!(!has_include(&json!({"a": ["$include"]})));
    }
}
