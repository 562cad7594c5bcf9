//! Diagnostics: every problem onex finds in the contracts, with a stable code,
//! a severity, a location and a hint. Rendered for people (miette) or as JSON.

pub mod json_path;
pub mod panics;
pub mod source;
pub mod suggest;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// How bad a diagnostic is. Errors stop generation; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The catalog is invalid; nothing is generated.
    Error,
    /// Suspicious but usable.
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $sev:ident, $summary:literal; )*) => {
        /// Stable diagnostic codes. A code never changes meaning once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable identifier, e.g. `E0501`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The default severity.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }
        }
    };
}

codes! {
    // 01xx: files and layout
    /// A file could not be read.
    Unreadable = "E0101", Error, "a file or directory could not be read";
    /// A contract file is not valid UTF-8.
    NotUtf8 = "E0102", Error, "a contract file is not valid UTF-8";
    /// A contract file is larger than the loader accepts.
    FileTooLarge = "E0103", Error, "a contract file is larger than the size limit";
    /// A contract file is empty.
    EmptyFile = "E0104", Error, "a contract file is empty";
    /// Following symlinks leads back to a directory already being walked.
    SymlinkLoop = "E0105", Error, "a symlink loop in the catalog tree";
    /// A path or reference leaves the catalog root.
    EscapesRoot = "E0106", Error, "a path or `$ref` points outside the catalog root";
    /// A file or directory that the layout does not expect.
    UnexpectedPath = "W0107", Warning, "a file or directory that the catalog layout ignores";
    /// The catalog settings file is missing.
    MissingSettings = "E0108", Error, "the catalog settings file `onex.yaml` is missing";
    /// A version directory is not `v<N>` with N >= 1.
    BadVersionDir = "E0109", Error, "a version directory is not named `v<N>` (N >= 1)";
    /// A topic directory has no `topic.yaml`.
    MissingTopicFile = "E0110", Error, "a topic version directory has no `topic.yaml`";
    /// A directory, FIFO, socket or device where a file is expected.
    NotAFile = "E0111", Error, "a directory, FIFO, socket or device where a regular file is expected";
    /// A directory tree nested deeper than the loader searches.
    TooDeep = "E0112", Error, "folders nested deeper than the loader searches";
    /// A `nodes:` glob of `onex.yaml` that cannot be used.
    BadNodeGlob = "E0113", Error, "a `nodes:` glob in `onex.yaml` is malformed";
    /// A `nodes:` glob of `onex.yaml` that matches no file.
    NodeGlobEmpty = "W0114", Warning, "a `nodes:` glob in `onex.yaml` matches no file";

    // 02xx: syntax and shape
    /// YAML that does not parse.
    YamlSyntax = "E0201", Error, "YAML syntax error";
    /// A field the format does not define.
    UnknownField = "E0202", Error, "unknown field";
    /// A value of the wrong type or form.
    InvalidValue = "E0203", Error, "a value has the wrong type or form";
    /// The same key twice in one mapping.
    DuplicateKey = "E0204", Error, "duplicate key in a mapping";
    /// JSON that does not parse.
    JsonSyntax = "E0205", Error, "JSON syntax error";

    // 03xx: identity and naming
    /// The file says something different from its path.
    IdentityMismatch = "E0301", Error, "the contract contradicts the identity given by its path";
    /// A naming convention id that the settings do not define.
    UnknownConvention = "E0302", Error, "unknown naming convention";
    /// An explicit name that does not fit its naming convention.
    ConventionMismatch = "W0303", Warning, "an explicit wire name does not follow its naming convention";
    /// A tenant that the settings do not list.
    UnknownTenant = "E0304", Error, "unknown tenant";
    /// An environment that the settings do not list.
    UnknownEnv = "E0305", Error, "unknown environment";
    /// A stream class that the settings do not define.
    UnknownClass = "E0306", Error, "unknown stream class";
    /// Two topics (or a topic and an alias) with one wire name.
    DuplicateWireName = "E0307", Error, "two topics share one wire name or alias";
    /// Two topics or nodes that map to the same Rust name.
    RustNameCollision = "E0308", Error, "two contracts map to the same Rust name";
    /// A malformed name, segment or pattern.
    InvalidName = "E0309", Error, "a malformed name, segment or naming pattern";

    // 04xx: payload schemas
    /// No payload schema was found for a topic.
    MissingSchema = "E0401", Error, "a topic has no payload schema";
    /// A payload schema that cannot be parsed.
    SchemaParse = "E0402", Error, "a payload schema cannot be parsed";
    /// A `$ref` that does not resolve.
    UnresolvedRef = "E0404", Error, "a `$ref` does not resolve";
    /// The key field is not in the payload schema.
    KeyFieldAbsent = "E0405", Error, "the key field is not a field of the payload schema";
    /// The key field is optional in the payload schema.
    KeyFieldOptional = "E0406", Error, "the key field is optional in the payload schema";
    /// The key field's type cannot be a partition key.
    KeyFieldNotKeyLike = "E0407", Error, "the key field's type cannot serve as a partition key";
    /// A PII annotation names a field that the schema lacks.
    PiiFieldAbsent = "E0408", Error, "a PII annotation names a field the schema lacks";
    /// A schema file of a format onex does not know.
    UnsupportedSchema = "E0409", Error, "a schema file of an unsupported format";
    /// A sample payload that is not valid JSON.
    SampleSyntax = "E0410", Error, "a sample payload is not valid JSON";
    /// The named Protobuf message or Avro record is not in the schema.
    SchemaRecordNotFound = "E0411", Error, "the named message or record is not in the schema";
    /// `$ref` expansion goes past the limit for one schema.
    RefExpansion = "E0412", Error, "a schema's `$ref`s expand past the size limit";
    /// A topic without `key:` whose class does not allow keyless records.
    KeyMissing = "E0413", Error, "a topic names no key, and its class requires one";
    /// A keyless topic that is compacted (compaction keeps the last record per key).
    KeylessCompacted = "E0414", Error, "a keyless topic is compacted";
    /// The envelope field a topic is keyed by is optional for its class.
    KeyEnvelopeOptional = "W0415", Warning, "the topic's key is an envelope field that is optional for its class";
    /// Two names of a payload schema that become one Rust name (fields,
    /// enum values).
    SchemaNameCollision = "E0416", Error, "two names in a payload schema become the same Rust name";

    // 05xx: nodes and topology
    /// A node channel names a topic that is not in the catalog.
    UnknownTopic = "E0501", Error, "a node channel names a topic that is not in the catalog";
    /// A node channel's key differs from the topic's key.
    ChannelKeyMismatch = "E0502", Error, "a node channel's key differs from the topic's key";
    /// A node publishes a topic its node type may not produce.
    ProducerNotAllowed = "E0503", Error, "the node's type is not an expected producer of the topic";
    /// A node subscribes a topic its node type may not consume.
    ConsumerNotAllowed = "E0504", Error, "the node's type is not an expected consumer of the topic";
    /// Two node contracts with one name.
    DuplicateNode = "E0505", Error, "two node contracts share one name";
    /// The same topic twice in one channel list.
    DuplicateChannel = "E0506", Error, "a topic appears twice in one channel list";
    /// A handler name that is not a Rust identifier, or used twice.
    InvalidHandler = "E0507", Error, "a handler name is not a unique snake_case identifier";
    /// A node type that the settings do not list.
    UnknownNodeType = "E0508", Error, "unknown node type";
    /// A channel names a topic by a legacy alias.
    LegacyAliasReference = "W0509", Warning, "a node channel names a topic by a deprecated legacy alias";
    /// A node publishes and subscribes the same topic.
    PublishesAndSubscribes = "W0510", Warning, "a node both publishes and subscribes the same topic";

    // 06xx: values and policies
    /// A duration that does not parse.
    InvalidDuration = "E0601", Error, "a duration that does not parse (e.g. `7d`, `1h`, `500ms`)";
    /// A version that is not semver.
    InvalidSemver = "E0602", Error, "a version that is not semantic (e.g. `1.2.0`)";
    /// The settings' default partition count is not in their allowed set.
    PartitionsNotAllowed = "E0603", Error, "the default partition count is not in the allowed set";
    /// An event class that has no keying rule.
    UnknownEventClass = "E0604", Error, "an event class without a keying rule";
    /// A `replaced_by` or DLT reference to a topic that is not in the catalog.
    UnknownTopicReference = "E0606", Error, "a reference to a topic that is not in the catalog";
    /// A lint level for a rule that does not exist.
    UnknownRule = "E0607", Error, "a lint level names a rule that does not exist";
    /// A topic contract sets the level of a catalog-wide rule.
    RuleNotPerContract = "E0608", Error, "a topic contract sets the level of a rule only `onex.yaml` may set";
    /// An `envelope:` field or `reply.correlation` that onex's envelope does not have.
    UnknownEnvelopeField = "E0609", Error, "an envelope field that onex's envelope does not have";

    // 08xx: generation options (`Builder`, `onex gen`)
    /// A topic glob or node name of a generation selection that matches nothing.
    UnknownSelection = "E0801", Error, "a topic glob or node name selected for generation matches nothing";
    /// An extra attribute for generated types whose path or text is malformed.
    BadAttribute = "E0802", Error, "an extra attribute for generated types is malformed";
    /// An extra attribute whose path matches no generated type or field.
    UnmatchedAttribute = "E0803", Error, "an extra attribute's path matches no generated type or field";

    // 09xx: AsyncAPI import
    /// An AsyncAPI document that cannot be read at all.
    AsyncApiUnreadable = "E0901", Error, "an AsyncAPI document that the import cannot read";
    /// Part of an AsyncAPI document that has no place in a catalog.
    AsyncApiUnmapped = "W0902", Warning, "a part of an AsyncAPI document that the import cannot map";

    // L: lint findings; the rule id says which (`cargo xtask lint --list`).
    /// A finding of a lint rule (see `Diagnostic::rule`).
    Lint = "L0001", Warning, "a lint finding; its rule id names the rule (`onex lint --explain ID`)";
    /// A breaking schema or contract change within a major version.
    Breaking = "B0001", Error, "a breaking change within a major topic version (`onex breaking`)";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in a file. `file` is relative to the catalog root, `/`-separated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// File path, relative to the catalog root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset of the start.
    #[serde(skip)]
    pub offset: usize,
    /// Length in bytes of the offending text (0 when unknown).
    #[serde(skip)]
    pub len: usize,
}

impl Location {
    /// A location naming a whole file (line 1, column 1).
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: 1,
            column: 1,
            offset: 0,
            len: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A secondary location that helps explain a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there.
    pub message: String,
}

/// One problem found in the contracts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where; `None` only for problems with no file (e.g. a missing root).
    pub location: Option<Location>,
    /// The offending source line, when there is one.
    pub snippet: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places involved.
    pub related: Vec<Related>,
    /// The lint or breaking-change rule that produced it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// What the excerpt's underline says, when the code's summary would
    /// mislead (one code covers several kinds of problem).
    #[serde(skip)]
    pub label: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: shorten_words(message.into()),
            location: None,
            snippet: None,
            help: None,
            related: Vec::new(),
            rule: None,
            label: None,
        }
    }

    /// Say this under the excerpt instead of the code's summary.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(shorten_words(label.into()));
        self
    }

    /// Attach the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attach a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten_words(help.into()));
        self
    }

    /// Attach a help line if there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if let Some(h) = help {
            self.help = Some(shorten_words(h));
        }
        self
    }

    /// Attach a related location.
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.rule {
            Some(rule) => write!(f, "{sev}[{rule}]: {}", self.message)?,
            None => write!(f, "{sev}[{}]: {}", self.code, self.message)?,
        }
        if let Some(loc) = &self.location {
            write!(f, "\n  --> {loc}")?;
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n   | {snippet}")?;
        }
        for r in &self.related {
            write!(f, "\n  note: {}: {}", r.location, r.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A finding silenced by a contract, with its reason.
#[derive(Clone, Debug, Serialize)]
pub struct Waived {
    /// The finding.
    pub finding: Diagnostic,
    /// Why the contract allows it.
    pub reason: String,
}

/// The hint for a document nested past the parser's recursion limit.
pub const NESTING_HINT: &str = "the document nests deeper than the parser allows (about 128 levels), which no contract, schema or sample needs: flatten it (a recursive type is written once and referred to with `$ref`)";

/// Words (runs without a space) longer than this are cut in messages and
/// hints: they quote the input, and a 1 MB topic name must not become a
/// 1 MB message (nor be repeated in every related diagnostic).
pub const MAX_WORD_CHARS: usize = 256;

/// `text` with every word longer than [`MAX_WORD_CHARS`] cut to its start
/// and end around a note of its length.
pub fn shorten_words(text: String) -> String {
    if text.len() <= MAX_WORD_CHARS {
        return text;
    }
    if !text.split(' ').any(|w| w.len() > MAX_WORD_CHARS) {
        return text;
    }
    text.split(' ')
        .map(|w| {
            let n = w.chars().count();
            if n <= MAX_WORD_CHARS {
                return w.to_owned();
            }
            let head: String = w.chars().take(120).collect();
            let tail: String = w.chars().skip(n - 40).collect();
            format!("{head}…[{} bytes]…{tail}", w.len())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// All diagnostics of one run, with the texts of the files they point into
/// (so they can be rendered with source excerpts).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: BTreeMap<String, Arc<str>>,
}

impl Diagnostics {
    /// Add one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Keep a file's text so that diagnostics into it render with excerpts.
    pub fn add_source(&mut self, file: &str, text: Arc<str>) {
        self.sources.insert(file.to_owned(), text);
    }

    /// Forget a file's text (no diagnostic will point into it).
    pub fn remove_source(&mut self, file: &str) {
        self.sources.remove(file);
    }

    /// Add every diagnostic and source text of `other`, after these.
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
    }

    /// Drop the texts of files no diagnostic points into (a loaded
    /// catalog's files are otherwise all held until the report is dropped).
    pub fn keep_used_sources(&mut self) {
        let used: std::collections::BTreeSet<&str> = self
            .items
            .iter()
            .flat_map(|d| {
                d.location
                    .iter()
                    .chain(d.related.iter().map(|r| &r.location))
            })
            .map(|l| l.file.as_str())
            .collect();
        let kept = std::mem::take(&mut self.sources)
            .into_iter()
            .filter(|(f, _)| used.contains(f.as_str()))
            .collect();
        self.sources = kept;
    }

    /// The diagnostics, in a stable order: file, line, column, code.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.location.as_ref(), a.code, &a.message).cmp(&(
                b.location.as_ref(),
                b.code,
                &b.message,
            ))
        });
        v
    }

    /// Iterate in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No diagnostics at all?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Any error?
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Render for people, with source excerpts (miette's graphical handler).
    pub fn render_human(&self, color: bool) -> String {
        use miette::{GraphicalReportHandler, GraphicalTheme};
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut out = String::new();
        // Each file's lines are indexed once, so an excerpt costs the size
        // of the excerpt, not of the file before it.
        let sources: BTreeMap<String, Excerpts> = self
            .sources
            .iter()
            .map(|(name, text)| (name.clone(), Excerpts::new(name, text.clone())))
            .collect();
        for d in self.sorted() {
            let report = HumanReport::new(d, &sources);
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&d.to_string());
            }
            out.push('\n');
        }
        let errors = self.error_count();
        let warnings = self.len() - errors;
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
        out
    }

    /// Render as a JSON array (stable order).
    pub fn render_json(&self) -> String {
        serde_json::to_string_pretty(&self.sorted()).unwrap_or_else(|_| "[]".to_owned())
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

/// Adapter from a [`Diagnostic`] to miette's reporting traits.
#[derive(Debug)]
struct HumanReport {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    source: Option<Excerpts>,
    labels: Vec<miette::LabeledSpan>,
    related: Vec<HumanReport>,
}

impl HumanReport {
    fn new(d: &Diagnostic, sources: &BTreeMap<String, Excerpts>) -> Self {
        let mut source = None;
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(loc) = &d.location {
            if let Some(text) = sources.get(&loc.file) {
                source = Some(text.clone());
                labels.push(miette::LabeledSpan::new_primary_with_span(
                    Some(
                        d.label
                            .clone()
                            .unwrap_or_else(|| d.code.summary().to_owned()),
                    ),
                    text.span(loc.offset, loc.len),
                ));
            }
        }
        for r in &d.related {
            let same_file = d.location.as_ref().map(|l| &l.file) == Some(&r.location.file);
            if let (true, Some(src)) = (same_file, &source) {
                labels.push(miette::LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    src.span(r.location.offset, r.location.len),
                ));
            } else {
                let text = sources.get(&r.location.file);
                related.push(HumanReport {
                    message: format!("{}: {}", r.location, r.message),
                    code: String::new(),
                    severity: Severity::Warning,
                    help: None,
                    source: text.cloned(),
                    labels: text
                        .map(|t| {
                            vec![miette::LabeledSpan::new_primary_with_span(
                                None,
                                t.span(r.location.offset, r.location.len),
                            )]
                        })
                        .unwrap_or_default(),
                    related: Vec::new(),
                });
            }
        }
        let message = match (&d.location, &source) {
            (Some(loc), None) => format!("{} ({loc})", d.message),
            _ => d.message.clone(),
        };
        HumanReport {
            message,
            code: d
                .rule
                .map_or_else(|| d.code.as_str().to_owned(), str::to_owned),
            severity: d.severity,
            help: d.help.clone(),
            source,
            labels,
            related,
        }
    }
}

/// Longest excerpt of one line shown around a span, in bytes each side;
/// longer lines (minified JSON) are cut to a window around the span.
const EXCERPT_WINDOW: usize = 120;
/// Longest span underlined, in bytes.
const MAX_SPAN: usize = 160;

/// A file's text with its line starts, handing miette one excerpt at a time
/// (miette's own `SourceCode` for a string scans from the start of the file
/// for every label, which is quadratic over many diagnostics in one file).
#[derive(Clone, Debug)]
struct Excerpts {
    name: String,
    text: Arc<str>,
    starts: Arc<[usize]>,
    /// Per line: only ASCII? (a column is then a byte count).
    ascii: Arc<[bool]>,
}

impl Excerpts {
    fn new(name: &str, text: Arc<str>) -> Excerpts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii: Vec<bool> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                text.get(start..end).is_some_and(str::is_ascii)
            })
            .collect();
        Excerpts {
            name: name.to_owned(),
            text,
            starts: starts.into(),
            ascii: ascii.into(),
        }
    }

    /// A span clamped to the text, to one line and to [`MAX_SPAN`] bytes.
    fn span(&self, offset: usize, len: usize) -> (usize, usize) {
        let offset = self.floor(offset.min(self.text.len()));
        let line_end = self.line_end(self.line_of(offset));
        let end = self.floor(offset.saturating_add(len.min(MAX_SPAN)).min(line_end));
        (offset, end.saturating_sub(offset))
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// End of a line's text, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |s| s.saturating_sub(1));
        let start = self.starts.get(line).copied().unwrap_or(0);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end.max(start)
        }
    }

    /// The nearest char boundary at or before `i`.
    fn floor(&self, mut i: usize) -> usize {
        while i > 0 && !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// The nearest char boundary at or after `i`.
    fn ceil(&self, mut i: usize) -> usize {
        while i < self.text.len() && !self.text.is_char_boundary(i) {
            i += 1;
        }
        i.min(self.text.len())
    }
}

impl miette::SourceCode for Excerpts {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let len = self.text.len();
        let off = span.offset().min(len);
        let end = off.saturating_add(span.len()).min(len);
        let l0 = self.line_of(off);
        let l1 = self.line_of(end.saturating_sub(1).max(off));
        let last_line = self.starts.len().saturating_sub(1);
        let mut first = l0.saturating_sub(before);
        let mut last = l1.saturating_add(after).min(last_line);
        let long = (first..=last).any(|l| {
            self.line_end(l) - self.starts.get(l).copied().unwrap_or(0) > 2 * EXCERPT_WINDOW
        });
        let line_start = self.starts.get(l0).copied().unwrap_or(0);
        let (data_start, data_end) = if long {
            // Only the span's own line, cut to a window around the span.
            first = l0;
            last = l0;
            let start = if before == 0 {
                off
            } else {
                self.floor(off.saturating_sub(EXCERPT_WINDOW).max(line_start))
            };
            let stop = self.ceil(end.saturating_add(EXCERPT_WINDOW).min(self.line_end(l0)));
            (start, stop.max(start))
        } else {
            let start = if before == 0 {
                off
            } else {
                self.starts.get(first).copied().unwrap_or(0)
            };
            (start, self.line_end(last).max(start))
        };
        let column = if self.ascii.get(l0) == Some(&true) {
            data_start.saturating_sub(line_start)
        } else {
            self.text
                .get(line_start..data_start)
                .map_or(0, |s| s.chars().count())
        };
        let data = self
            .text
            .get(data_start..data_end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            (data_start, data.len()).into(),
            first,
            column,
            last - first + 1,
        )))
    }
}

impl fmt::Display for HumanReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanReport {}

impl miette::Diagnostic for HumanReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(&self.code))
        }
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning if self.code.is_empty() => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}
