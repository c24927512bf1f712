//! Reading objects from a repository's pack files with a cache that also
//! keeps the full objects delta chains start from.
//!
//! gix caches the result of each delta chain it resolves, but never the
//! undeltified object at the chain's end: every chain it cannot cut short
//! with a cached result decompresses that base again. The versions of one
//! tree form wide delta trees (a few full objects, thousands of deltas on
//! them), so reading a history's trees in commit order decompressed the
//! same full trees thousands of times (a third of `history`'s instructions,
//! callgrind, bench/history.sh). This reader resolves OFS_DELTA chains of
//! the repository's own packs itself, keeping bases and results alike in a
//! byte-capped LRU per worker; anything else (loose objects, REF_DELTA,
//! alternates, replaced objects) is read by gix.

use gix::odb::pack;
use gix::ObjectId;
use std::num::NonZeroUsize;
use std::rc::Rc;
use std::sync::Arc;

/// The packs of a repository's object directory, opened once and shared by
/// the workers; `None` when gix must read everything (replace refs).
pub struct Packs {
    bundles: Vec<pack::Bundle>,
}

impl Packs {
    /// The `*.idx`/`*.pack` pairs in `objects/pack` (one that cannot be
    /// opened is left to gix).
    pub fn open(repo: &gix::Repository) -> Arc<Packs> {
        let replaced = repo.objects.store_ref().replacements().next().is_some();
        let mut bundles = Vec::new();
        if !replaced {
            let dir = repo.objects.store_ref().path().join("pack");
            let mut idx: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            idx.sort();
            for p in idx {
                if let Ok(b) = pack::Bundle::at(&p, repo.object_hash()) {
                    bundles.push(b);
                }
            }
        }
        Arc::new(Packs { bundles })
    }
}

/// Longest delta chain followed (git writes at most 4095 by default; 50 is
/// usual); a longer one is read by gix.
const MAX_CHAIN: usize = 10_000;

/// Largest object (base, intermediate or result) decoded here; a larger one
/// is read by gix.
const MAX_OBJECT: u64 = super::MAX_BLOB_BYTES;

/// The cache's weight of an object: its bytes.
struct Bytes;

impl clru::WeightScale<(u32, u64), (gix::object::Kind, Rc<[u8]>)> for Bytes {
    fn weight(&self, _: &(u32, u64), v: &(gix::object::Kind, Rc<[u8]>)) -> usize {
        v.1.len()
    }
}

/// Keyed by (pack, offset), hashed with foldhash (SipHash was a twentieth
/// of the run), seeded per process: offsets come from the repository.
type Cache =
    clru::CLruCache<(u32, u64), (gix::object::Kind, Rc<[u8]>), foldhash::fast::RandomState, Bytes>;

/// One worker's reader: the shared packs, its own cache, and gix for the rest.
pub struct Reader {
    packs: Arc<Packs>,
    repo: gix::Repository,
    cache: Cache,
    inflate: gix_zlib::Inflate,
    delta: Vec<u8>,
    buf: Vec<u8>,
}

/// Why a chain was left to gix.
struct ToGix;

/// An object: its kind and bytes (shared with the cache).
pub type Object = (gix::object::Kind, Rc<[u8]>);

impl Reader {
    pub fn new(packs: Arc<Packs>, repo: gix::Repository, cache_bytes: usize) -> Reader {
        let cap = NonZeroUsize::new(cache_bytes.max(1)).expect("at least 1");
        Reader {
            packs,
            repo,
            cache: clru::CLruCache::with_config(
                clru::CLruCacheConfig::new(cap)
                    .with_hasher(foldhash::fast::RandomState::default())
                    .with_scale(Bytes),
            ),
            inflate: Default::default(),
            delta: Vec::new(),
            buf: Vec::new(),
        }
    }

    pub fn repo(&self) -> &gix::Repository {
        &self.repo
    }

    /// The object `id`: its kind and bytes.
    pub fn read(&mut self, id: &ObjectId) -> Result<Object, String> {
        for (i, b) in self.packs.bundles.iter().enumerate() {
            if let Some(e) = b.index.lookup(id) {
                let offset = b.index.pack_offset_at_index(e);
                match self.decode(i, offset) {
                    Ok(Ok(o)) => return Ok(o),
                    Ok(Err(ToGix)) => break,
                    Err(e) => return Err(format!("object {id}: {e}")),
                }
            }
        }
        use gix::prelude::FindExt;
        let data = self
            .repo
            .objects
            .find(id, &mut self.buf)
            .map_err(|e| format!("object {id}: {e}"))?;
        Ok((data.kind, Rc::from(data.data)))
    }

    /// The object at `offset` of pack `p`, its delta chain resolved from the
    /// nearest cached object (or the full object at its end).
    fn decode(&mut self, p: usize, offset: u64) -> Result<Result<Object, ToGix>, String> {
        use pack::data::entry::Header;
        let packs = Arc::clone(&self.packs);
        let data = &packs.bundles[p].pack;
        let key = |o: u64| (p as u32, o);
        let mut chain: Vec<pack::data::Entry> = Vec::new();
        let mut cursor = data.entry(offset).map_err(|e| e.to_string())?;
        let (kind, mut bytes) = loop {
            if let Some(hit) = self.cache.get(&key(cursor.pack_offset())) {
                break hit.clone();
            }
            match cursor.header {
                Header::OfsDelta { base_distance } => {
                    if chain.len() >= MAX_CHAIN || cursor.decompressed_size > MAX_OBJECT {
                        return Ok(Err(ToGix));
                    }
                    let base = cursor
                        .checked_base_pack_offset(base_distance)
                        .ok_or("a delta base before the start of the pack")?;
                    chain.push(cursor);
                    cursor = data.entry(base).map_err(|e| e.to_string())?;
                }
                Header::RefDelta { .. } => return Ok(Err(ToGix)),
                _ => {
                    let kind = cursor.header.as_kind().expect("not a delta");
                    if cursor.decompressed_size > MAX_OBJECT {
                        return Ok(Err(ToGix));
                    }
                    let mut out = vec![0; cursor.decompressed_size as usize];
                    data.decompress_entry(&cursor, &mut self.inflate, &mut out)
                        .map_err(|e| e.to_string())?;
                    let out: Rc<[u8]> = Rc::from(out);
                    put(&mut self.cache, key(cursor.pack_offset()), kind, &out);
                    break (kind, out);
                }
            }
        };
        for e in chain.iter().rev() {
            self.delta.clear();
            self.delta.resize(e.decompressed_size as usize, 0);
            data.decompress_entry(e, &mut self.inflate, &mut self.delta)
                .map_err(|e| e.to_string())?;
            let out = apply(&bytes, &self.delta, MAX_OBJECT)?;
            let out: Rc<[u8]> = match out {
                Some(o) => Rc::from(o),
                None => return Ok(Err(ToGix)),
            };
            put(&mut self.cache, key(e.pack_offset()), kind, &out);
            bytes = out;
        }
        Ok(Ok((kind, bytes)))
    }
}

fn put(cache: &mut Cache, key: (u32, u64), kind: gix::object::Kind, bytes: &Rc<[u8]>) {
    // one larger than the whole cache is not kept
    let _ = cache.put_with_weight(key, (kind, Rc::clone(bytes)));
}

/// A size in git's delta header: 7 bits a byte, least significant first.
fn varint(d: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut v: u64 = 0;
    let mut shift = 0;
    loop {
        let b = *d.get(*at).ok_or("a delta header cut short")?;
        *at += 1;
        if shift > 63 {
            return Err("a delta header size too large".into());
        }
        v |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
}

/// Applies git delta `d` to `base`; `None` when the result is over `max`.
/// Every copy is checked against the base, and the result against the size
/// the delta declares.
pub fn apply(base: &[u8], d: &[u8], max: u64) -> Result<Option<Vec<u8>>, String> {
    let mut at = 0;
    let base_size = varint(d, &mut at)?;
    if base_size != base.len() as u64 {
        return Err("a delta whose base size does not match its base".into());
    }
    let size = varint(d, &mut at)?;
    if size > max {
        return Ok(None);
    }
    let size = size as usize;
    let mut out = Vec::with_capacity(size);
    while at < d.len() {
        let op = d[at];
        at += 1;
        if op & 0x80 != 0 {
            let mut field = |bits: u8, shifts: &[u32]| -> Result<usize, String> {
                let mut v = 0usize;
                for (i, s) in shifts.iter().enumerate() {
                    if bits & (1 << i) != 0 {
                        let b = *d.get(at).ok_or("a delta copy cut short")?;
                        at += 1;
                        v |= usize::from(b) << s;
                    }
                }
                Ok(v)
            };
            let offset = field(op & 0x0f, &[0, 8, 16, 24])?;
            let mut len = field((op >> 4) & 0x07, &[0, 8, 16])?;
            if len == 0 {
                len = 0x10000;
            }
            let end = offset
                .checked_add(len)
                .filter(|&e| e <= base.len())
                .ok_or("a delta copy past the end of its base")?;
            if out.len() + len > size {
                return Err("a delta that writes past its declared size".into());
            }
            out.extend_from_slice(&base[offset..end]);
        } else if op != 0 {
            let len = usize::from(op);
            let bytes = d.get(at..at + len).ok_or("a delta insert cut short")?;
            if out.len() + len > size {
                return Err("a delta that writes past its declared size".into());
            }
            out.extend_from_slice(bytes);
            at += len;
        } else {
            return Err("a delta with a reserved instruction".into());
        }
    }
    if out.len() != size {
        return Err("a delta shorter than its declared size".into());
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(base: usize, size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for mut v in [base, size] {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
        }
        out
    }

    #[test]
    fn a_delta_copies_and_inserts() {
        let base = b"hello, world";
        let mut d = header(base.len(), 11);
        d.extend_from_slice(&[0x80 | 0x01 | 0x10, 7, 5]); // copy 5 from 7: "world"
        d.extend_from_slice(&[6, b' ', b'h', b'e', b'l', b'l', b'o']); // insert " hello"
        assert_eq!(apply(base, &d, 100).unwrap().unwrap(), b"world hello");
        // over the limit: not decoded
        assert_eq!(apply(base, &d, 10).unwrap(), None);
    }

    #[test]
    fn a_corrupt_delta_is_an_error_never_a_panic() {
        let base = b"0123456789";
        let cases: Vec<Vec<u8>> = vec![
            vec![],                                                   // no header
            header(9, 1),                                             // wrong base size
            [header(10, 5), vec![0x80 | 0x01 | 0x10, 8, 5]].concat(), // copy past the base
            [header(10, 2), vec![0x80 | 0x10, 5]].concat(),           // writes past the size
            [header(10, 3), vec![5, b'a']].concat(),                  // insert cut short
            [header(10, 1), vec![0]].concat(),                        // reserved op
            [header(10, 4), vec![2, b'a', b'b']].concat(),            // shorter than declared
            [header(10, 1), vec![0x80 | 0x01]].concat(),              // copy cut short
            vec![0xff; 12],                                           // endless size
        ];
        for d in cases {
            assert!(apply(base, &d, 1 << 20).is_err(), "{d:?}");
        }
        // a copy of size 0 means 0x10000
        let big = vec![7u8; 0x10000];
        let d = [header(big.len(), 0x10000), vec![0x80]].concat();
        assert_eq!(apply(&big, &d, 1 << 20).unwrap().unwrap(), big);
    }

    /// Every object of a repository built here (packed with deltas, loose
    /// ones too) reads back as gix reads it.
    #[test]
    fn every_object_reads_as_gix_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let git = |args: &[&str]| crate::test_git(d, args);
        git(&["init", "-q"]);
        let mut text = String::new();
        for c in 0..60 {
            for f in 0..4 {
                text.push_str(&format!("commit {c} file {f} line\n"));
                std::fs::write(d.join(format!("f{f}.txt")), &text).unwrap();
            }
            git(&["add", "."]);
            git(&["commit", "-q", "-m", &format!("c{c}")]);
            if c == 40 {
                git(&["gc", "-q", "--aggressive"]);
            }
        }
        let repo = gix::open(d).unwrap();
        let packs = Packs::open(&repo);
        assert!(!packs.bundles.is_empty());
        let mut reader = Reader::new(packs, repo.clone(), 64 << 10);
        let ids: Vec<ObjectId> = repo
            .objects
            .iter()
            .unwrap()
            .filter_map(Result::ok)
            .collect();
        // 60 commits, each with a tree and 4 blobs; those of the first 41
        // packed (with deltas: each file grows by a line), the rest loose
        assert_eq!(ids.len(), 360);
        let packed = ids
            .iter()
            .filter(|id| {
                reader
                    .packs
                    .bundles
                    .iter()
                    .any(|b| b.index.lookup(*id).is_some())
            })
            .count();
        assert!(packed >= 41 * 6, "{packed}");
        // twice: from an empty cache, then from a warm one
        for _ in 0..2 {
            for id in &ids {
                let (kind, bytes) = reader.read(id).unwrap();
                let o = repo.find_object(*id).unwrap();
                assert_eq!(kind, o.kind, "{id}");
                assert_eq!(&bytes[..], &o.data[..], "{id}");
            }
        }
    }
}
