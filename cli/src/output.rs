//! Write or check generated files, one helper for `gen`, `docs` (with the
//! lint pages) and `schemas`: in write mode a file is written only when its
//! content changes, through a temporary file and a rename in the same
//! directory ([`onex_codegen::write_if_changed`]); in check mode nothing is
//! written and every stale, missing or (in directories the command owns)
//! superfluous file is listed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::discover::shown;

/// Write the files, or only compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed; delete superfluous files in owned directories.
    Write,
    /// Write nothing; report what differs.
    Check,
}

impl Mode {
    /// `--check` given or not.
    pub fn from_check(check: bool) -> Self {
        if check { Mode::Check } else { Mode::Write }
    }
}

/// The files a command produces, and the directories it owns (files there
/// that it does not produce are deleted).
#[derive(Debug, Default)]
pub struct Plan {
    files: Vec<(PathBuf, String)>,
    owned: Vec<PathBuf>,
}

impl Plan {
    /// An empty plan.
    pub fn new() -> Self {
        Plan::default()
    }

    /// Produce `path` with `text`.
    pub fn file(&mut self, path: PathBuf, text: String) -> &mut Self {
        self.files.push((path, text));
        self
    }

    /// Own `dir`: files directly in it that the plan does not produce are
    /// superfluous.
    pub fn own(&mut self, dir: PathBuf) -> &mut Self {
        self.owned.push(dir);
        self
    }

    /// How many files the plan produces.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the plan produces no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn superfluous(&self) -> Vec<PathBuf> {
        let produced: BTreeSet<&Path> = self.files.iter().map(|(p, _)| p.as_path()).collect();
        let mut extra = Vec::new();
        for dir in &self.owned {
            if let Ok(rd) = std::fs::read_dir(dir) {
                for e in rd.flatten() {
                    let path = e.path();
                    if path.is_file() && !produced.contains(path.as_path()) {
                        extra.push(path);
                    }
                }
            }
        }
        extra.sort();
        extra
    }

    /// Apply the plan in `mode`.
    pub fn sync(&self, mode: Mode) -> Result<Synced, String> {
        let mut out = Synced::default();
        for (path, text) in &self.files {
            match mode {
                Mode::Check => match std::fs::read(path) {
                    Ok(bytes) if bytes == text.as_bytes() => {}
                    Ok(_) => out.stale.push(shown(path)),
                    Err(_) => out.stale.push(format!("{} (missing)", shown(path))),
                },
                Mode::Write => {
                    if onex_codegen::write_if_changed(path, text).map_err(|e| e.to_string())? {
                        out.written.push(path.clone());
                    }
                }
            }
        }
        for path in self.superfluous() {
            match mode {
                Mode::Check => out
                    .stale
                    .push(format!("{} (would be deleted)", shown(&path))),
                Mode::Write => {
                    std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    out.removed.push(path);
                }
            }
        }
        Ok(out)
    }
}

/// What [`Plan::sync`] did or found.
#[derive(Debug, Default)]
pub struct Synced {
    /// Files written (write mode).
    pub written: Vec<PathBuf>,
    /// Superfluous files deleted (write mode).
    pub removed: Vec<PathBuf>,
    /// Files that differ, are missing or would be deleted (check mode), as
    /// shown to the user.
    pub stale: Vec<String>,
}

impl Synced {
    /// Print `wrote PATH` / `removed PATH` lines to stderr.
    pub fn print_changes(&self) {
        for p in &self.written {
            eprintln!("wrote {}", shown(p));
        }
        for p in &self.removed {
            eprintln!("removed {}", shown(p));
        }
    }
}
