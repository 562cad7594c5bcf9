//! The per-topic emission cache: what one topic version renders to (its
//! payload module and its item in `topics`, as text) is stored under a hash
//! of everything that rendering reads, so that regenerating a catalog after
//! one contract changed runs the schema generators (typify, prost-build) for
//! that topic only.
//!
//! Files are content-addressed (`<sha256>.json` under
//! `<dir>/onex-parts-v2/`) and written through a temporary file and a
//! rename: two builds sharing a directory at once read either nothing or a
//! whole entry, and an entry that does not parse is a miss. The key covers
//! the topic's whole model (its JSON form, and a Protobuf topic's compiled
//! descriptors), the catalog settings, the topics its retry, dead-letter
//! and reply links name, the emission options, and the running executable
//! (size and modification time), so a rebuilt onex never reads entries of
//! an older one. Whatever [`super::emit_topic`] reads must be in the key:
//! extend [`Cache::keys`] when it reads more (a field `Topic`'s
//! `Serialize` skips is not hashed).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

#[cfg(feature = "protobuf")]
use crate::model::payload::Parsed;
use crate::model::{Catalog, Topic};

use super::Options;

/// Name of the folder under the cache directory (bumped when the entry
/// format changes).
const FOLDER: &str = "onex-parts-v2";

/// One topic's rendered parts: payload module, topic item, and the indices
/// of the extra attributes (options) whose paths matched its types.
pub(super) type Parts = (String, String, Vec<usize>);

/// A cache directory.
#[derive(Debug)]
pub(super) struct Cache {
    dir: PathBuf,
    /// The executable's fingerprint, hashed into every key.
    exe: String,
}

/// A [`Sha256`] that `write!` and serde_json can feed, so a topic is
/// hashed without its text being held in memory.
struct HashWriter(Sha256);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A topic's own digest: its JSON form (every field emission reads:
/// `Topic`'s `Serialize` skips only source positions), plus, for
/// Protobuf, the compiled descriptors (which the JSON form names by file
/// only). Falls back to the `Debug` form should serialising fail.
fn topic_digest(t: &Topic) -> [u8; 32] {
    let mut w = std::io::BufWriter::with_capacity(1 << 14, HashWriter(Sha256::new()));
    let json = serde_json::to_writer(&mut w, t);
    // Only Protobuf topics add to the hash below.
    #[cfg_attr(not(feature = "protobuf"), allow(unused_mut))]
    let mut h = match w.into_inner() {
        Ok(h) if json.is_ok() => h,
        _ => {
            let mut h = HashWriter(Sha256::new());
            let _ = write!(h, "debug\0{t:?}");
            h
        }
    };
    #[cfg(feature = "protobuf")]
    if let Parsed::Protobuf(p) = &t.schema.payload.parsed {
        let _ = write!(h, "\0{:?}", p.set);
    }
    h.0.finalize().into()
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Cache {
    /// The cache under `dir` (created on first write).
    pub(super) fn new(dir: &Path) -> Cache {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{mtime}", m.len())
            })
            .unwrap_or_default();
        Cache {
            dir: dir.join(FOLDER),
            exe,
        }
    }

    /// Every topic's key, in catalog order: a hash of the onex build, the
    /// options, the settings, the topic, and the topics its retry,
    /// dead-letter and reply links name. Each topic is hashed once, as its
    /// JSON form (a fraction of the cost of its `Debug` form), on `threads`
    /// threads; a linked topic contributes that same digest.
    pub(super) fn keys(&self, catalog: &Catalog, options: &Options, threads: usize) -> Vec<String> {
        let mut prefix = HashWriter(Sha256::new());
        // `write!` into a hasher cannot fail.
        let _ = write!(
            prefix,
            "{}\0{}\0{}\0{}\0{:?}\0",
            env!("CARGO_PKG_VERSION"),
            self.exe,
            options.runtime_path,
            options.format,
            catalog.settings,
        );
        let _ = write!(
            prefix,
            "{:?}\0{:?}\0",
            options.type_attributes, options.field_attributes
        );
        let chunk = catalog.topics.len().div_ceil(threads.max(1)).max(1);
        let own: Vec<[u8; 32]> = std::thread::scope(|s| {
            let workers: Vec<_> = catalog
                .topics
                .chunks(chunk)
                .map(|ts| s.spawn(move || ts.iter().map(topic_digest).collect::<Vec<_>>()))
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        catalog
            .topics
            .iter()
            .zip(&own)
            .map(|(t, digest)| {
                let mut h = prefix.0.clone();
                h.update(digest);
                let targets = [
                    t.retry.as_ref().and_then(|r| r.topic.as_ref()),
                    t.dlt.as_ref().and_then(|d| d.topic.as_ref()),
                    t.reply.as_ref().map(|r| &r.topic),
                ];
                for id in targets {
                    // A missing link and a missing topic hash apart from
                    // any digest (a panicked worker leaves `own` short:
                    // such keys only miss).
                    match id.map(|id| catalog.topics.binary_search_by(|x| x.id.cmp(id))) {
                        None => h.update(b"none"),
                        Some(Ok(i)) => h.update(own.get(i).map_or(&b"gone"[..], |d| &d[..])),
                        Some(Err(_)) => h.update(b"gone"),
                    }
                }
                hex(&h.finalize())
            })
            .collect()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The parts stored under `key`, if any (a damaged entry is a miss).
    pub(super) fn get(&self, key: &str) -> Option<Parts> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Store `parts` under `key`; failures are ignored (the cache only
    /// saves time).
    pub(super) fn put(&self, key: &str, parts: &Parts) {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let Ok(text) = serde_json::to_vec(parts) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".{key}.{}-{seq}.tmp", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, self.path(key)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Remove entries not among `used` (those of earlier catalog states),
    /// so the cache does not grow with every edit. A concurrent build that
    /// loses an entry this way only recomputes it.
    pub(super) fn prune(&self, used: &std::collections::HashSet<String>) {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            let Some(key) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            if !used.contains(key) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
