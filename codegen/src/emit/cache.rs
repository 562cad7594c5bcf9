//! The per-topic emission cache: what one topic version renders to (its
//! payload module and its item in `topics`, as text) is stored under a hash
//! of everything that rendering reads, so that regenerating a catalog after
//! one contract changed runs the schema generators (typify, prost-build) for
//! that topic only.
//!
//! Files are content-addressed (`<sha256>.json` under
//! `<dir>/onex-parts-v1/`) and written through a temporary file and a
//! rename: two builds sharing a directory at once read either nothing or a
//! whole entry, and an entry that does not parse is a miss. The key covers
//! the topic's whole model (its `Debug` form), the catalog settings, the
//! topics its retry, dead-letter and reply links name, the emission options, and
//! the running executable (size and modification time), so a rebuilt onex
//! never reads entries of an older one. Whatever [`super::emit_topic`] reads
//! must be in the key: extend [`key`] when it reads more.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::model::{Catalog, Topic};

use super::Options;

/// Name of the folder under the cache directory (bumped when the entry
/// format changes).
const FOLDER: &str = "onex-parts-v1";

/// One topic's rendered parts: payload module, topic item, record name.
pub(super) type Parts = (String, String, Option<String>);

/// A cache directory.
#[derive(Debug)]
pub(super) struct Cache {
    dir: PathBuf,
    /// The executable's fingerprint, hashed into every key.
    exe: String,
}

/// A [`Sha256`] that `write!` can feed, so a `Debug` form is hashed
/// without being held in memory.
struct HashWriter(Sha256);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
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

    /// The key of topic `t`: a hash of everything its parts depend on.
    pub(super) fn key(&self, t: &Topic, catalog: &Catalog, options: &Options) -> String {
        let mut h = HashWriter(Sha256::new());
        // `write!` into a hasher cannot fail.
        let _ = write!(
            h,
            "{}\0{}\0{}\0{}\0{:?}\0{t:?}\0",
            env!("CARGO_PKG_VERSION"),
            self.exe,
            options.runtime_path,
            options.format,
            catalog.settings,
        );
        let targets = [
            t.retry.as_ref().and_then(|r| r.topic.as_ref()),
            t.dlt.as_ref().and_then(|d| d.topic.as_ref()),
            t.reply.as_ref().map(|r| &r.topic),
        ];
        for id in targets.into_iter().flatten() {
            let _ = write!(h, "{:?}\0", catalog.topic(id));
        }
        let digest = h.0.finalize();
        digest.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
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
