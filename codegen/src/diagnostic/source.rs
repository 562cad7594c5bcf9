//! Reading contract files safely (size, encoding, emptiness) and mapping
//! positions to `file:line:col` locations with the offending snippet.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Location};

/// Contract, schema and sample files larger than this are refused: they are
/// hand-written text, and a multi-megabyte file is a mistake, not a contract.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A file that was read and decoded.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the catalog root, `/`-separated (what diagnostics show).
    pub rel: String,
    /// Absolute path.
    pub abs: PathBuf,
    /// The text.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// Per line: only ASCII? (then a column is a byte count, and locating
    /// a column on a long line costs nothing, not the line).
    ascii_lines: Vec<bool>,
}

impl SourceFile {
    /// Build from text already in memory.
    pub fn from_text(rel: impl Into<String>, abs: PathBuf, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii_lines = line_starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = line_starts.get(i + 1).copied().unwrap_or(text.len());
                text.get(start..end).is_some_and(str::is_ascii)
            })
            .collect();
        SourceFile {
            rel: rel.into(),
            abs,
            text,
            line_starts,
            ascii_lines,
        }
    }

    /// Read `abs` from disk, refusing oversized, non-UTF-8 and (when
    /// `allow_empty` is false) empty files. The loader reads through its
    /// file source instead and calls [`SourceFile::from_bytes`].
    pub fn read(rel: &str, abs: &Path, allow_empty: bool) -> Result<SourceFile, Diagnostic> {
        let meta = std::fs::metadata(abs).map_err(|e| {
            Diagnostic::new(Code::Unreadable, format!("cannot read `{rel}`: {e}"))
                .at(Location::file(rel))
        })?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(rel, meta.len()));
        }
        let bytes = std::fs::read(abs).map_err(|e| {
            Diagnostic::new(Code::Unreadable, format!("cannot read `{rel}`: {e}"))
                .at(Location::file(rel))
        })?;
        SourceFile::from_bytes(rel, abs, bytes, allow_empty)
    }

    /// Decode a file's bytes, refusing oversized, non-UTF-8 and (when
    /// `allow_empty` is false) empty files. A byte-order mark is dropped and
    /// lone carriage returns (old Mac line endings) count as line breaks.
    pub fn from_bytes(
        rel: &str,
        abs: &Path,
        bytes: Vec<u8>,
        allow_empty: bool,
    ) -> Result<SourceFile, Diagnostic> {
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if len > MAX_FILE_BYTES {
            return Err(too_large(rel, len));
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let line = prefix.matches('\n').count() + 1;
                let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                return Err(Diagnostic::new(
                    Code::NotUtf8,
                    format!("`{rel}` is not valid UTF-8 (invalid byte at offset {valid})"),
                )
                .at(Location {
                    file: rel.to_owned(),
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                    offset: 0,
                    len: 0,
                })
                .help("save the file as UTF-8"));
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text);
        let text = lone_cr_to_lf(text);
        if !allow_empty && is_blank_yaml(&text) {
            return Err(
                Diagnostic::new(Code::EmptyFile, format!("`{rel}` is empty"))
                    .at(Location::file(rel))
                    .help("write the contract, or delete the file"),
            );
        }
        Ok(SourceFile::from_text(rel, abs.to_path_buf(), text))
    }

    /// Location of a 1-based line and 1-based character column.
    pub fn location(&self, line: usize, column: usize) -> Location {
        let offset = self.offset_of(line, column);
        Location {
            file: self.rel.clone(),
            line: u32::try_from(line.max(1)).unwrap_or(u32::MAX),
            column: u32::try_from(column.max(1)).unwrap_or(u32::MAX),
            offset,
            len: self.token_len(offset),
        }
    }

    /// Location of a 1-based line and 1-based **byte** column, as serde_json
    /// reports them (its columns count bytes, not characters); clamped to
    /// the line and to a character boundary. Line 0 (no position) is the
    /// whole file.
    pub fn location_of_byte_column(&self, line: usize, column: usize) -> Location {
        let Some(start) = line.checked_sub(1).and_then(|l| self.line_starts.get(l)) else {
            return Location::file(self.rel.clone());
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut at = start.saturating_add(column.saturating_sub(1)).min(end);
        while at > *start && !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let len = self.token_len(at);
        self.location_of_offset(at, len)
    }

    /// Location of `len` bytes at a 1-based line and column.
    pub fn location_len(&self, line: usize, column: usize, len: usize) -> Location {
        self.location_of_offset(self.offset_of(line, column), len)
    }

    /// Location of a byte offset.
    pub fn location_of_offset(&self, offset: usize, len: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let column = if self.ascii_lines.get(line_idx) == Some(&true) {
            offset.saturating_sub(start)
        } else {
            self.text
                .get(start..offset)
                .map_or(0, |s| s.chars().count())
        } + 1;
        Location {
            file: self.rel.clone(),
            line: u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            offset,
            len: len.min(self.text.len() - offset),
        }
    }

    /// Location of the first occurrence of `needle` (used to point into
    /// JSON files, whose parser gives no positions for valid documents).
    pub fn find(&self, needle: &str) -> Location {
        match self.text.find(needle) {
            Some(off) => self.location_of_offset(off, needle.len()),
            None => Location::file(self.rel.clone()),
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|s| s.trim_end_matches(['\n', '\r']))
    }

    /// Attach location and snippet to a diagnostic.
    ///
    /// The snippet is the location's line, cut to a window around the
    /// column when the line is long (minified JSON, a one-line YAML flow
    /// mapping), so each diagnostic costs its window, not its line.
    pub fn attach(&self, d: Diagnostic, loc: Location) -> Diagnostic {
        let line_start = (loc.line as usize)
            .checked_sub(1)
            .and_then(|l| self.line_starts.get(l))
            .copied()
            .unwrap_or(0);
        let snippet = self
            .line_text(loc.line as usize)
            .map(|line| snippet_window(line, loc.offset.saturating_sub(line_start)));
        let mut d = d.at(loc);
        d.snippet = snippet;
        d
    }

    fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(start) = line.checked_sub(1).and_then(|l| self.line_starts.get(l)) else {
            return self.text.len();
        };
        let rest = self.text.get(*start..).unwrap_or_default();
        let line_idx = line.saturating_sub(1);
        if self.ascii_lines.get(line_idx) == Some(&true) {
            let end = self
                .line_starts
                .get(line)
                .copied()
                .unwrap_or(self.text.len());
            return (start + column.saturating_sub(1)).min(end);
        }
        let within = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        start + within
    }

    /// Length of the token at `offset`: up to the end of the line, without a
    /// trailing comment or whitespace.
    /// At most [`MAX_TOKEN_BYTES`] (the renderers underline less anyway),
    /// so that many locations on one long line cost no more than it.
    fn token_len(&self, offset: usize) -> usize {
        let mut end = offset.saturating_add(MAX_TOKEN_BYTES).min(self.text.len());
        while end > offset && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let rest = self.text.get(offset..end).unwrap_or_default();
        let line = rest.split('\n').next().unwrap_or_default();
        let line = match line.find(" #") {
            Some(i) => line.get(..i).unwrap_or(line),
            None => line,
        };
        line.trim_end().len()
    }
}

/// Longest span a location covers, in bytes.
const MAX_TOKEN_BYTES: usize = 256;

/// Longest snippet kept whole, in bytes; longer lines are cut to about
/// this many bytes around the location, with `…` where cut.
pub const MAX_SNIPPET_BYTES: usize = 240;

/// `line`, or a window of it around byte `at` (the location's offset
/// within the line); costs the window, not the line.
fn snippet_window(line: &str, at: usize) -> String {
    if line.len() <= MAX_SNIPPET_BYTES {
        return line.to_owned();
    }
    let half = MAX_SNIPPET_BYTES / 2;
    let at = at.min(line.len());
    let mut start = at.saturating_sub(half);
    while start > 0 && !line.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start.saturating_add(MAX_SNIPPET_BYTES).min(line.len());
    while end < line.len() && !line.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::with_capacity(end - start + 8);
    if start > 0 {
        out.push('…');
    }
    out.push_str(line.get(start..end).unwrap_or_default());
    if end < line.len() {
        out.push('…');
    }
    out
}

/// The diagnostic for a file of `len` bytes, over [`MAX_FILE_BYTES`].
pub(crate) fn too_large(rel: &str, len: u64) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("`{rel}` is {len} bytes; contract files are limited to {MAX_FILE_BYTES} bytes"),
    )
    .at(Location::file(rel))
    .help("split the schema into files joined by `$ref`, or remove generated data from the catalog")
}

/// A carriage return not followed by a line feed becomes a line feed (same
/// length, so offsets are kept), so that CR-only files have lines.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n') {
            if let Some(b) = bytes.get_mut(i) {
                *b = b'\n';
            }
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes.
    String::from_utf8(bytes).unwrap_or_default()
}

/// True when the text holds nothing but whitespace, comments and document markers.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}
