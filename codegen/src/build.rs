//! The build.rs entry point, after prost-build's `Config`: load, generate,
//! write into `OUT_DIR`, and tell cargo exactly what was read.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Severity};
use crate::emit::{Generated, Options, generate};
use crate::load::load;

/// Why generation failed.
pub enum BuildError {
    /// The catalog (or generation) has errors.
    Diagnostics(Diagnostics),
    /// Writing the output failed.
    Io(PathBuf, std::io::Error),
    /// `OUT_DIR` is not set and no output directory was given.
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Diagnostics(d) => {
                write!(f, "onex: the contracts have errors\n{}", d.render_human(false))
            }
            BuildError::Io(p, e) => write!(f, "onex: cannot write `{}`: {e}", p.display()),
            BuildError::NoOutDir => f.write_str(
                "onex: OUT_DIR is not set; call this from build.rs, or set an output directory with `out_dir`",
            ),
        }
    }
}

// `unwrap()` in a build script prints `Debug`: make it the readable report.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}

/// Generates Rust from a contracts catalog.
///
/// In `build.rs`:
///
/// ```no_run
/// onex_codegen::Builder::new("../contracts").build().unwrap();
/// ```
///
/// and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/onex.rs"));`
#[derive(Clone, Debug)]
pub struct Builder {
    catalog: PathBuf,
    out_dir: Option<PathBuf>,
    options: Options,
    cargo_instructions: bool,
}

impl Builder {
    /// A builder for the catalog at `catalog` (the directory holding
    /// `onex.yaml`), relative to the current directory (in build.rs: the
    /// crate's manifest directory).
    pub fn new(catalog: impl Into<PathBuf>) -> Self {
        Builder {
            catalog: catalog.into(),
            out_dir: None,
            options: Options::default(),
            cargo_instructions: true,
        }
    }

    /// Where to write (default: `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Path of the runtime crate in generated code (default `::onex`).
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.options.runtime_path = path.into();
        self
    }

    /// Print `cargo:rerun-if-changed` and `cargo:warning` lines (default: on).
    pub fn cargo_instructions(&mut self, on: bool) -> &mut Self {
        self.cargo_instructions = on;
        self
    }

    /// Load and generate, without writing anything.
    pub fn generate(&self) -> Result<Generated, BuildError> {
        self.generate_with_files().map(|(g, _)| g)
    }

    fn generate_with_files(&self) -> Result<(Generated, Vec<PathBuf>), BuildError> {
        let loaded = load(&self.catalog);
        let mut watched = vec![self.catalog.clone()];
        if let Some(c) = &loaded.catalog {
            watched.extend(c.files.iter().map(|f| self.catalog.join(f)));
        } else {
            watched.extend(
                loaded
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.location.as_ref())
                    .map(|l| self.catalog.join(&l.file)),
            );
        }
        if self.cargo_instructions {
            // The catalog root is watched too (cargo scans a directory
            // recursively) so that an added or removed contract reruns the
            // script; nothing outside the catalog does.
            for p in &watched {
                println!("cargo:rerun-if-changed={}", p.display());
            }
            for d in loaded.diagnostics.sorted() {
                if d.severity == Severity::Warning {
                    let at = d
                        .location
                        .as_ref()
                        .map(|l| format!("{l}: "))
                        .unwrap_or_default();
                    println!("cargo:warning={} {at}{}", d.code, d.message);
                }
            }
        }
        let Some(catalog) = loaded.catalog else {
            return Err(BuildError::Diagnostics(loaded.diagnostics));
        };
        let generated = generate(&catalog, &self.options).map_err(BuildError::Diagnostics)?;
        Ok((generated, watched))
    }

    /// Generate and write `onex.rs` and `subjects.json` to the output
    /// directory. Files are rewritten only when their content changes.
    pub fn build(&self) -> Result<(), BuildError> {
        let out = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let (generated, _) = self.generate_with_files()?;
        for (name, text) in generated.files() {
            write_if_changed(&out.join(name), text)?;
        }
        Ok(())
    }
}

/// Generate from `catalog` into `OUT_DIR`: the one call a build.rs needs.
pub fn compile(catalog: impl AsRef<Path>) -> Result<(), BuildError> {
    Builder::new(catalog.as_ref()).build()
}

/// Write through a temporary file and a rename, and only when the content
/// differs, so that readers never see half a file and unchanged output keeps
/// its timestamp.
pub fn write_if_changed(path: &Path, text: &str) -> Result<bool, BuildError> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| BuildError::Io(dir.to_path_buf(), e))?;
    }
    let tmp = path.with_extension("onex-tmp");
    std::fs::write(&tmp, text).map_err(|e| BuildError::Io(tmp.clone(), e))?;
    std::fs::rename(&tmp, path).map_err(|e| BuildError::Io(path.to_path_buf(), e))?;
    Ok(true)
}
