//! One load per catalog per compiler process. Every `topic!`, `topic_name!`
//! and `#[onex::node]` in a crate names the same catalog; loading it each
//! time cost ~70 ms per call. The catalog is kept per root and reused while
//! every file and directory it was built from still has the same
//! modification time and length (rust-analyzer keeps proc-macro processes
//! alive across edits, so a stale entry must be noticed), as sqlx's macros
//! cache their offline data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use onex_codegen::{Catalog, Diagnostics};

/// What a file or directory looked like when the catalog was loaded.
type Stamp = Vec<(PathBuf, Option<SystemTime>, u64)>;

/// Loaded catalogs by canonical root.
type Entries = HashMap<PathBuf, (Stamp, Arc<Catalog>)>;

static CACHE: Mutex<Option<Entries>> = Mutex::new(None);

fn stamp(root: &Path, catalog: &Catalog) -> Stamp {
    std::iter::once(String::new())
        .chain(catalog.files.iter().cloned())
        .chain(catalog.dirs.iter().cloned())
        .map(|rel| {
            let p = root.join(&rel);
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(0, |m| m.len());
            (p, modified, len)
        })
        .collect()
}

fn still_fresh(stamp: &Stamp) -> bool {
    stamp.iter().all(|(p, modified, len)| {
        let meta = std::fs::metadata(p).ok();
        meta.as_ref().and_then(|m| m.modified().ok()) == *modified
            && meta.map_or(0, |m| m.len()) == *len
    })
}

/// The catalog at `root`, loaded once and reused while its files are unchanged.
pub(crate) fn catalog(root: &Path) -> Result<Arc<Catalog>, Diagnostics> {
    let key = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    {
        let guard = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((s, c)) = guard.as_ref().and_then(|m| m.get(&key))
            && still_fresh(s)
        {
            return Ok(Arc::clone(c));
        }
    }
    let loaded = onex_codegen::load(root);
    let Some(catalog) = loaded.catalog else {
        return Err(loaded.diagnostics);
    };
    let catalog = Arc::new(catalog);
    let s = stamp(root, &catalog);
    let mut guard = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    guard
        .get_or_insert_with(HashMap::new)
        .insert(key, (s, Arc::clone(&catalog)));
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn copy(from: &Path, to: &Path) {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }

    #[test]
    fn reuses_until_a_file_changes() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/golden-catalog");
        let dir = std::env::temp_dir().join(format!("onex-macro-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        copy(&src, &dir);
        let a = catalog(&dir).unwrap();
        let b = catalog(&dir).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "second call did not reuse the load");
        // A contract edit (a different length) is noticed.
        let topic = dir.join("shop/cmd/cancel-order/v1/topic.yaml");
        let text = std::fs::read_to_string(&topic).unwrap();
        std::fs::write(&topic, text.replace("retention: 1d", "retention: 48h")).unwrap();
        let c = catalog(&dir).unwrap();
        assert!(!Arc::ptr_eq(&a, &c), "an edited contract was not reloaded");
        let cancel = c
            .topics
            .iter()
            .find(|t| t.id.topic == "cancel-order")
            .unwrap();
        assert_eq!(cancel.retention_ms, 2 * 86_400_000);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
