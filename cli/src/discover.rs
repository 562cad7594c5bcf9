//! Finding the catalog: `--root DIR`, else `$ONEX_CATALOG` (both arrive as
//! the `--root` value, clap reads the variable), else the caller's default,
//! else the nearest `onex.yaml` upward from the current directory, also
//! trying `contracts/onex.yaml` in each directory, as the macros do.

use std::path::{Path, PathBuf};

use onex_codegen::SETTINGS_FILE;

/// The catalog directory. An explicit directory without `onex.yaml` but with
/// `contracts/onex.yaml` means its `contracts/`; any other explicit
/// directory is used as given (loading it reports what is wrong).
pub fn catalog_root(explicit: Option<&Path>, default: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = explicit {
        let nested = dir.join("contracts");
        if !dir.join(SETTINGS_FILE).is_file() && nested.join(SETTINGS_FILE).is_file() {
            return Ok(nested);
        }
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = default {
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| format!("the current directory: {e}"))?;
    discover(&cwd)
}

/// The nearest directory at or above `start` holding `onex.yaml`, or its
/// `contracts/` holding one.
pub fn discover(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        let nested = dir.join("contracts");
        if nested.join(SETTINGS_FILE).is_file() {
            return Ok(nested);
        }
    }
    Err(format!(
        "no catalog found: `--root` not given, `ONEX_CATALOG` not set, and no `{SETTINGS_FILE}` or `contracts/{SETTINGS_FILE}` in `{}` or any directory above it; pass `--root DIR` or set `ONEX_CATALOG`",
        start.display()
    ))
}

/// `path` for messages: relative to the current directory when below it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
