//! Printing diagnostics and findings for people.

use std::path::Path;

/// Colour only when stderr is a terminal and `NO_COLOR` is unset.
pub(crate) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// Load the catalog at `root`; on errors print them and return `None`.
pub(crate) fn load_or_report(root: &Path) -> Option<onex_codegen::Catalog> {
    let loaded = onex_codegen::load(root);
    if loaded.catalog.is_none() {
        eprint!("{}", loaded.diagnostics.render_human(color()));
    }
    loaded.catalog
}

/// Findings for people, with excerpts of the catalog files they point into,
/// then the waived ones with their reasons.
pub(crate) fn print_findings(
    findings: &[onex_codegen::Diagnostic],
    waived: &[onex_codegen::diagnostic::Waived],
    root: &Path,
) {
    let mut d = onex_codegen::Diagnostics::default();
    let mut read = std::collections::HashSet::new();
    for f in findings {
        if let Some(l) = &f.location
            && read.insert(l.file.as_str())
            && let Some(text) = excerpt_source(root, &l.file)
        {
            d.add_source(&l.file, text.into());
        }
        d.push(f.clone());
    }
    eprint!("{}", d.render_human(color()));
    for w in waived {
        let at = w
            .finding
            .location
            .as_ref()
            .map(|l| l.to_string())
            .unwrap_or_default();
        eprintln!(
            "waived [{}] {at}: {} (reason: {})",
            w.finding.rule.unwrap_or_default(),
            w.finding.message,
            w.reason
        );
    }
}

/// The text of a file a finding points into, for its excerpt: read once
/// per file, and only when it is still a regular file of a contract's size
/// (it was checked when the catalog was loaded, but may have been replaced
/// since; a FIFO would block the read).
fn excerpt_source(root: &Path, rel: &str) -> Option<String> {
    use std::io::Read as _;
    let limit = onex_codegen::diagnostic::source::MAX_FILE_BYTES;
    let path = root.join(rel);
    // Checked before opening (opening a FIFO blocks) and on the handle.
    if !std::fs::metadata(&path).ok()?.is_file() {
        return None;
    }
    let f = std::fs::File::open(&path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    let mut text = String::new();
    f.take(limit).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Pretty JSON.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v).map_err(|e| e.to_string())
}

/// Exit code 1 when `failed`, else 0.
pub(crate) fn exit(failed: bool) -> std::process::ExitCode {
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
