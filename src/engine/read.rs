//! Reading a file once: into a reused buffer, or memory-mapped when large.

use super::*;

/// Per-thread state: the compiled policies and a read buffer reused across files.
pub(super) struct Worker {
    pub(super) policies: PolicySet,
    pub(super) buf: Vec<u8>,
}

/// File contents: read into the worker's buffer, or memory-mapped when large.
pub(super) enum Bytes<'a> {
    Buffer(&'a [u8]),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Buffer(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

pub(super) const MMAP_THRESHOLD: u64 = 4 * 1024 * 1024;

/// `path` opened, with its metadata, when it is a regular file; `None` when
/// it is not. What the walk did not see as a regular file (`walked_regular`
/// false: a symlink, a path named on the command line) is `stat`ed by path
/// first, so that no FIFO, socket or device is ever opened. Every file is
/// opened without blocking and judged by the `stat` of what was opened: a
/// FIFO swapped in after the walk does not hang the open and is not read,
/// and where the walk saw a regular file a symlink swapped in since is not
/// followed (the open fails).
pub(super) fn open_regular(
    path: &Path,
    walked_regular: bool,
) -> std::io::Result<Option<(std::fs::File, std::fs::Metadata)>> {
    if !walked_regular && !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK | if walked_regular { libc::O_NOFOLLOW } else { 0 });
    }
    let f = o.open(path)?;
    let meta = f.metadata()?;
    Ok(meta.is_file().then_some((f, meta)))
}

/// The contents of `file` (a regular file of `len` bytes by its `stat`).
pub(super) fn read_bytes(
    file: std::fs::File,
    len: u64,
    buf: &mut Vec<u8>,
) -> std::io::Result<Bytes<'_>> {
    if len >= MMAP_THRESHOLD {
        // SAFETY: the map is read-only and private to this process; a file
        // truncated while we scan it can fault, the same trade-off ripgrep makes
        // for large files.
        if let Ok(m) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(Bytes::Mapped(m));
        }
    }
    use std::io::Read;
    buf.clear();
    // the whole file in one allocation (and one read) when its size is true
    buf.reserve(len.min(MMAP_THRESHOLD) as usize + 1);
    // Bounded even when the size lied (a file that grows, a /proc file).
    file.take(len.max(MMAP_THRESHOLD) + 1).read_to_end(buf)?;
    // Do not keep a large buffer alive after an unusually large file.
    if buf.capacity() > 2 * MMAP_THRESHOLD as usize && buf.len() < MMAP_THRESHOLD as usize {
        buf.shrink_to(MMAP_THRESHOLD as usize);
    }
    Ok(Bytes::Buffer(buf))
}

pub(super) fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A FIFO put where the walk saw a regular file is opened without
    /// blocking (no writer ever comes) and is not read.
    #[test]
    fn a_fifo_is_opened_without_blocking_and_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(open_regular(&fifo, true).unwrap().is_none());
        // and one the walk did not see as a regular file is not even opened
        assert!(open_regular(&fifo, false).unwrap().is_none());
        let file = dir.path().join("plain.txt");
        std::fs::write(&file, b"abc").unwrap();
        let (f, meta) = open_regular(&file, true).unwrap().expect("a regular file");
        let mut buf = Vec::new();
        assert_eq!(&*read_bytes(f, meta.len(), &mut buf).unwrap(), b"abc");
    }

    /// A symlink swapped in where the walk saw a regular file is not followed.
    #[test]
    fn a_symlink_swapped_in_after_the_walk_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("outside.txt");
        std::fs::write(&target, b"secret").unwrap();
        let link = dir.path().join("config.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(open_regular(&link, true).is_err());
        // a symlink the walk saw (and judged inside the root) is followed
        assert!(open_regular(&link, false).unwrap().is_some());
    }
}
