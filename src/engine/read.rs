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

pub(super) fn read_bytes<'a>(
    path: &Path,
    len: u64,
    buf: &'a mut Vec<u8>,
) -> std::io::Result<Bytes<'a>> {
    if len >= MMAP_THRESHOLD {
        let f = std::fs::File::open(path)?;
        // SAFETY: the map is read-only and private to this process; a file
        // truncated while we scan it can fault, the same trade-off ripgrep makes
        // for large files.
        if let Ok(m) = unsafe { memmap2::Mmap::map(&f) } {
            return Ok(Bytes::Mapped(m));
        }
    }
    use std::io::Read;
    buf.clear();
    // the whole file in one allocation (and one read) when its size is true
    buf.reserve(len.min(MMAP_THRESHOLD) as usize + 1);
    // Bounded even when the size lied (a file that grows, a /proc file).
    std::fs::File::open(path)?
        .take(len.max(MMAP_THRESHOLD) + 1)
        .read_to_end(buf)?;
    // Do not keep a large buffer alive after an unusually large file.
    if buf.capacity() > 2 * MMAP_THRESHOLD as usize && buf.len() < MMAP_THRESHOLD as usize {
        buf.shrink_to(MMAP_THRESHOLD as usize);
    }
    Ok(Bytes::Buffer(buf))
}

pub(super) fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}
