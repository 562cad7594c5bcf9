//! The build.rs entry point, after prost-build's `Config`: load, generate,
//! write into `OUT_DIR`, and tell cargo exactly what was read.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Severity};
use crate::emit::{Generated, GeneratedTokens, Options, generate, generate_tokens};
use crate::load::load;
use crate::model::{Catalog, Selection};

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
    /// A catalog the caller already loaded (then `catalog` is only its root).
    loaded: Option<Catalog>,
    out_dir: Option<PathBuf>,
    options: Options,
    cargo_instructions: bool,
    /// Format what [`Builder::build`] writes (default: no; rustc does not
    /// need it, and formatting costs more than generating).
    format_output: bool,
    /// Where to cache each topic's generated code: `None` the default
    /// (the output directory for [`Builder::build`], none otherwise),
    /// `Some(None)` off.
    cache: Option<Option<PathBuf>>,
    /// Which topics and nodes to generate (default: all).
    selection: Selection,
}

impl Builder {
    /// A builder for the catalog at `catalog` (the directory holding
    /// `onex.yaml`), relative to the current directory (in build.rs: the
    /// crate's manifest directory).
    pub fn new(catalog: impl Into<PathBuf>) -> Self {
        Builder {
            catalog: catalog.into(),
            loaded: None,
            out_dir: None,
            options: Options::default(),
            cargo_instructions: true,
            format_output: false,
            cache: None,
            selection: Selection::default(),
        }
    }

    /// A builder for a catalog already loaded with [`crate::load`] (`root`
    /// is where it was loaded from, for `rerun-if-changed`). Nothing is
    /// read again.
    pub fn from_catalog(root: impl Into<PathBuf>, catalog: Catalog) -> Self {
        let mut b = Builder::new(root);
        b.loaded = Some(catalog);
        b
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

    /// Format the `onex.rs` that [`Builder::build`] writes with
    /// prettyplease, to read it (default: off; needs the `format` feature).
    /// [`Builder::generate`] formats whenever the feature is built.
    pub fn format(&mut self, on: bool) -> &mut Self {
        self.format_output = on;
        self
    }

    /// Emission threads (default 0: one per core); the output is the same
    /// for any number.
    pub fn threads(&mut self, n: usize) -> &mut Self {
        self.options.threads = n;
        self
    }

    /// Keep each topic's generated code in `dir` between runs, keyed by a
    /// hash of its inputs, so that regenerating after one contract changed
    /// runs the schema generators for that topic only; `None`: no cache.
    /// The output is the same with and without it. Default: the output
    /// directory for [`Builder::build`] (`OUT_DIR`), no cache for
    /// [`Builder::generate`]. Safe when several builds share `dir`.
    pub fn cache_dir(&mut self, dir: Option<PathBuf>) -> &mut Self {
        self.cache = Some(dir);
        self
    }

    /// Generate only the topics matching `glob` (repeatable): a glob over
    /// wire names (`{env}.acme.billing.*`) or contract paths
    /// (`billing/evt/*/v1`), plus the retry, dead-letter and reply topics
    /// they link to. `EnumOnexTopic`, `SUBJECTS` and `subjects.json` then
    /// list only these; no node is generated unless [`Builder::node`] names
    /// it. A glob that matches no topic is an error (E0801).
    pub fn topics(&mut self, glob: impl Into<String>) -> &mut Self {
        self.selection.topics.push(glob.into());
        self
    }

    /// Generate only node `name` (repeatable) and the topics it publishes
    /// and subscribes to (with their linked topics), e.g. in the service
    /// crate of that node: it then compiles its own topics only, however
    /// large the catalog. An unknown node is an error (E0801).
    pub fn node(&mut self, name: impl Into<String>) -> &mut Self {
        self.selection.nodes.push(name.into());
        self
    }

    /// Put `attribute` (as written in source, e.g. `#[derive(Hash)]`) on the
    /// generated payload types that `path` matches, as prost-build's
    /// `type_attribute` does; for JSON Schema, Protobuf and Avro payloads
    /// alike. `path` is `<payload module>::<Type>` as in the generated
    /// `payloads` module (`billing_evt_invoice_v1::Invoice`; a nested
    /// Protobuf message `module::outer::Inner`), with `*` globs
    /// (`*::Invoice`, `billing_*::*`). A path that matches no type is an
    /// error (E0803), an attribute that does not parse E0802.
    pub fn type_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        self.options
            .type_attributes
            .push((path.into(), attribute.into()));
        self
    }

    /// Put `attribute` on the fields of generated payload structs that
    /// `path` matches: `<payload module>::<Type>.<field>` (the Rust field
    /// name, without `r#`), with `*` globs, e.g.
    /// `("*::Invoice.memo", "#[serde(skip_serializing_if = \"Option::is_none\")]")`.
    pub fn field_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        self.options
            .field_attributes
            .push((path.into(), attribute.into()));
        self
    }

    /// Print `cargo:rerun-if-changed` and `cargo:warning` lines (default: on).
    pub fn cargo_instructions(&mut self, on: bool) -> &mut Self {
        self.cargo_instructions = on;
        self
    }

    /// Load and generate. Writes nothing and prints nothing (not even
    /// cargo instructions).
    pub fn generate(&self) -> Result<Generated, BuildError> {
        let catalog = self.catalog()?;
        let mut options = self.options.clone();
        options.cache_dir = self.cache.clone().flatten();
        generate(&catalog, &options).map_err(BuildError::Diagnostics)
    }

    /// Load and generate tokens (unformatted; for proc macros). Writes and
    /// prints nothing.
    pub fn generate_tokens(&self) -> Result<GeneratedTokens, BuildError> {
        let catalog = self.catalog()?;
        generate_tokens(&catalog, &self.options).map_err(BuildError::Diagnostics)
    }

    /// The catalog, with the selection applied.
    fn catalog(&self) -> Result<Catalog, BuildError> {
        let catalog = match &self.loaded {
            Some(c) => c.clone(),
            None => {
                let loaded = load(&self.catalog);
                loaded
                    .catalog
                    .ok_or(BuildError::Diagnostics(loaded.diagnostics))?
            }
        };
        catalog
            .select(&self.selection)
            .map_err(BuildError::Diagnostics)
    }

    /// Generate and write `onex.rs` and `subjects.json` to the output
    /// directory (files are rewritten only when their content changes), and,
    /// unless turned off, print cargo's `rerun-if-changed` for every file
    /// read and the catalog root, and a `cargo:warning` per warning.
    pub fn build(&self) -> Result<(), BuildError> {
        crate::diagnostic::panics::quiet_expected_panics();
        let out = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let (catalog, diagnostics) = match &self.loaded {
            Some(c) => (Some(c.clone()), crate::diagnostic::Diagnostics::default()),
            None => {
                let l = load(&self.catalog);
                (l.catalog, l.diagnostics)
            }
        };
        if self.cargo_instructions {
            // The catalog root is watched too (cargo scans a directory
            // recursively) so that an added or removed contract reruns the
            // script; nothing outside the catalog is.
            let mut watched = vec![self.catalog.clone()];
            match &catalog {
                Some(c) => watched.extend(c.files.iter().map(|f| self.catalog.join(f))),
                None => watched.extend(
                    diagnostics
                        .iter()
                        .filter_map(|d| d.location.as_ref())
                        .map(|l| self.catalog.join(&l.file)),
                ),
            }
            for p in &watched {
                println!("cargo:rerun-if-changed={}", p.display());
            }
            for d in diagnostics.sorted() {
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
        let Some(catalog) = catalog else {
            return Err(BuildError::Diagnostics(diagnostics));
        };
        let catalog = catalog
            .select(&self.selection)
            .map_err(BuildError::Diagnostics)?;
        let mut options = self.options.clone();
        options.format = self.format_output && cfg!(feature = "format");
        options.cache_dir = self.cache.clone().unwrap_or_else(|| Some(out.clone()));
        let generated = generate(&catalog, &options).map_err(BuildError::Diagnostics)?;
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
    // A name of this process's own, so that two builds writing the same file
    // at once never write through the same temporary file.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("onex-tmp-{}-{seq}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| BuildError::Io(tmp.clone(), e))?;
    std::fs::rename(&tmp, path).map_err(|e| BuildError::Io(path.to_path_buf(), e))?;
    Ok(true)
}
