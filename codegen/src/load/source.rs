//! Where the loader's bytes come from: one [`FileSource`] trait that every
//! file access of the loader goes through, with a disk implementation
//! ([`DiskSource`]) and an in-memory one ([`MemorySource`]) so that tests,
//! git trees and editor buffers can feed the loader without a file system.
//!
//! Paths handed to a source are absolute and lie under [`FileSource::root`]
//! (the loader builds them by joining names onto the root); a source resolves
//! symlinks in [`FileSource::canonicalize`], and the loader reads only what
//! resolves to a regular file inside the canonical root. The kind of an entry
//! is always asked before it is opened, so a FIFO or a device is refused
//! without a blocking read.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// What a path is, after following symlinks (or, from
/// [`FileSource::symlink_kind`], before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A regular file of this many bytes.
    File(u64),
    /// A directory.
    Dir,
    /// A symbolic link (only from [`FileSource::symlink_kind`]).
    Symlink,
    /// A FIFO, socket, device or anything else that is not a regular file.
    Special(&'static str),
}

/// All file access of the loader. Implement it to load a catalog from
/// somewhere that is not a directory on disk. `Sync`: topics are loaded on
/// several threads.
pub trait FileSource: Sync {
    /// The catalog root, absolute (the directory holding `onex.yaml`).
    fn root(&self) -> &Path;
    /// The path with every symlink resolved; an error when it does not
    /// exist, dangles or loops (`ELOOP`).
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The kind of `path`, following symlinks.
    fn kind(&self, path: &Path) -> io::Result<Kind>;
    /// The kind of `path` itself, not following a final symlink.
    fn symlink_kind(&self, path: &Path) -> io::Result<Kind>;
    /// The entries of a directory, as (name, path) pairs, in any order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, PathBuf)>>;
    /// At most `limit` bytes of a regular file (the loader has checked its
    /// kind first).
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
}

/// Files on disk under a root directory.
#[derive(Clone, Debug)]
pub struct DiskSource {
    root: PathBuf,
}

impl DiskSource {
    /// A source for the catalog under `root`.
    pub fn new(root: &Path) -> DiskSource {
        DiskSource {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }
}

fn kind_of(ft: std::fs::FileType, len: u64) -> Kind {
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    if ft.is_symlink() {
        return Kind::Symlink;
    }
    if ft.is_file() {
        return Kind::File(len);
    }
    if ft.is_dir() {
        return Kind::Dir;
    }
    #[cfg(unix)]
    {
        if ft.is_fifo() {
            return Kind::Special("a FIFO");
        }
        if ft.is_socket() {
            return Kind::Special("a socket");
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Kind::Special("a device");
        }
    }
    Kind::Special("not a regular file")
}

impl FileSource for DiskSource {
    fn root(&self) -> &Path {
        &self.root
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        path.canonicalize()
    }
    fn kind(&self, path: &Path) -> io::Result<Kind> {
        let m = std::fs::metadata(path)?;
        Ok(kind_of(m.file_type(), m.len()))
    }
    fn symlink_kind(&self, path: &Path) -> io::Result<Kind> {
        let m = std::fs::symlink_metadata(path)?;
        Ok(kind_of(m.file_type(), m.len()))
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, PathBuf)>> {
        Ok(std::fs::read_dir(path)?
            .flatten()
            .map(|e| (e.file_name(), e.path()))
            .collect())
    }
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        // The kind was checked before; check again on the open handle, so a
        // file swapped for a FIFO in between is still not read from.
        let f = std::fs::File::open(path)?;
        let m = f.metadata()?;
        if !m.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        // Sized from the open handle: one `read` for the file and one
        // for its end, instead of a growing buffer's many.
        let expect = usize::try_from(m.len().min(limit)).unwrap_or(0);
        let mut out = Vec::with_capacity(expect.saturating_add(1));
        f.take(limit).read_to_end(&mut out)?;
        Ok(out)
    }
}

/// A catalog held in memory: files by `/`-separated path relative to the
/// root, plus directories (every parent of a file is a directory too).
#[derive(Clone, Debug)]
pub struct MemorySource {
    root: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    dirs: BTreeSet<String>,
}

impl MemorySource {
    /// An empty catalog under a virtual root (`/onex-memory`).
    pub fn new() -> MemorySource {
        MemorySource::with_root(Path::new("/onex-memory"))
    }

    /// An empty catalog under the given virtual root (what absolute paths
    /// in diagnostics will show).
    pub fn with_root(root: &Path) -> MemorySource {
        let mut dirs = BTreeSet::new();
        dirs.insert(String::new());
        MemorySource {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            dirs,
        }
    }

    /// Add (or replace) a file at `rel` (`/`-separated), creating its parents.
    pub fn file(&mut self, rel: &str, bytes: impl Into<Vec<u8>>) -> &mut Self {
        let rel = rel.trim_matches('/').to_owned();
        self.add_parents(&rel);
        self.files.insert(rel, bytes.into());
        self
    }

    /// Add an (empty) directory at `rel`, creating its parents.
    pub fn dir(&mut self, rel: &str) -> &mut Self {
        let rel = rel.trim_matches('/').to_owned();
        self.add_parents(&rel);
        self.dirs.insert(rel);
        self
    }

    /// Remove a file or a directory with everything below it.
    pub fn remove(&mut self, rel: &str) -> &mut Self {
        let rel = rel.trim_matches('/');
        let prefix = format!("{rel}/");
        self.files
            .retain(|k, _| k != rel && !k.starts_with(&prefix));
        self.dirs.retain(|k| k != rel && !k.starts_with(&prefix));
        self
    }

    /// Every file below `dir` on disk (hidden entries included), as a
    /// memory source rooted at `dir`. Symlinks are followed.
    pub fn from_dir(dir: &Path) -> io::Result<MemorySource> {
        let mut m = MemorySource::with_root(dir);
        fn walk(m: &mut MemorySource, base: &Path, rel: &str) -> io::Result<()> {
            for e in std::fs::read_dir(base.join(rel))? {
                let e = e?;
                let name = e.file_name().to_string_lossy().into_owned();
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                let meta = std::fs::metadata(e.path())?;
                if meta.is_dir() {
                    m.dir(&child);
                    walk(m, base, &child)?;
                } else if meta.is_file() {
                    m.file(&child, std::fs::read(e.path())?);
                }
            }
            Ok(())
        }
        walk(&mut m, dir, "")?;
        Ok(m)
    }

    fn add_parents(&mut self, rel: &str) {
        let mut at = rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            self.dirs.insert(parent.to_owned());
            at = parent;
        }
    }

    /// `path` relative to the root, lexically normalised; `None` outside it.
    fn rel(&self, path: &Path) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in path.strip_prefix(&self.root).ok()?.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(parts.join("/"))
    }

    fn abs(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    fn entry(&self, path: &Path) -> io::Result<(String, Kind)> {
        let not_found = || io::Error::new(io::ErrorKind::NotFound, "no such file or directory");
        let rel = self.rel(path).ok_or_else(not_found)?;
        if let Some(bytes) = self.files.get(&rel) {
            let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
            return Ok((rel, Kind::File(len)));
        }
        if self.dirs.contains(&rel) {
            return Ok((rel, Kind::Dir));
        }
        Err(not_found())
    }
}

impl Default for MemorySource {
    fn default() -> Self {
        MemorySource::new()
    }
}

impl FileSource for MemorySource {
    fn root(&self) -> &Path {
        &self.root
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let (rel, _) = self.entry(path)?;
        Ok(self.abs(&rel))
    }
    fn kind(&self, path: &Path) -> io::Result<Kind> {
        Ok(self.entry(path)?.1)
    }
    fn symlink_kind(&self, path: &Path) -> io::Result<Kind> {
        self.kind(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, PathBuf)>> {
        let (rel, kind) = self.entry(path)?;
        if kind != Kind::Dir {
            return Err(io::Error::other("not a directory"));
        }
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let direct = |k: &String| {
            k.strip_prefix(prefix.as_str())
                .filter(|rest| !rest.is_empty() && !rest.contains('/'))
                .map(str::to_owned)
        };
        let names: BTreeSet<String> = self
            .files
            .keys()
            .filter_map(direct)
            .chain(self.dirs.iter().filter_map(direct))
            .collect();
        Ok(names
            .into_iter()
            .map(|n| {
                let p = self.abs(&format!("{prefix}{n}"));
                (OsString::from(n), p)
            })
            .collect())
    }
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let (rel, _) = self.entry(path)?;
        let bytes = self
            .files
            .get(&rel)
            .ok_or_else(|| io::Error::other("not a regular file"))?;
        let n = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        Ok(bytes.get(..n).unwrap_or_default().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_lists_and_reads() {
        let mut m = MemorySource::new();
        m.file("a/b.txt", "hi").dir("c");
        let root = m.root().to_path_buf();
        let mut names: Vec<_> = m
            .read_dir(&root)
            .unwrap_or_default()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        names.sort();
        assert_eq!(names, ["a", "c"]);
        assert_eq!(m.kind(&root.join("a/b.txt")).ok(), Some(Kind::File(2)));
        assert_eq!(m.kind(&root.join("a/../c")).ok(), Some(Kind::Dir));
        assert!(m.kind(&root.join("../x")).is_err());
        assert_eq!(m.read(&root.join("a/b.txt"), 1).ok(), Some(b"h".to_vec()));
    }
}
