//! Avro by the specification's Schema Resolution rules: the reader resolves
//! every writer branch, symbol and field, or the pair is incompatible (a
//! partial union match is not compatible). Named types match by unqualified
//! name or the reader's aliases, promotions int→long→float→double and
//! string↔bytes, enum defaults, field defaults and aliases, fixed sizes,
//! decimals by scale and precision; by-name references are followed.

use std::collections::{BTreeSet, HashMap};

use apache_avro::Schema;
use apache_avro::schema::{
    EnumSchema, FixedSchema, InnerDecimalSchema, Name, RecordSchema, UuidSchema,
};

use super::{Direction, Finding, Sink};
use crate::model::payload::AvroParse;

/// Findings for one direction (BACKWARD: new reads old).
pub fn compare(old: &AvroParse, new: &AvroParse, dir: Direction) -> Vec<Finding> {
    let (reader, writer) = match dir {
        Direction::Backward => (&*new.schema, &*old.schema),
        Direction::Forward => (&*old.schema, &*new.schema),
    };
    let mut c = Ctx {
        rnames: HashMap::new(),
        wnames: HashMap::new(),
        seen: BTreeSet::new(),
        sink: Sink::new(dir),
    };
    names(reader, &mut c.rnames);
    names(writer, &mut c.wnames);
    c.resolve(reader, writer, "");
    c.sink.out
}

fn names<'a>(s: &'a Schema, out: &mut HashMap<String, &'a Schema>) {
    let mut add = |n: &Name, s: &'a Schema| {
        out.entry(n.fullname(None)).or_insert(s);
    };
    match s {
        Schema::Record(r) => {
            add(&r.name, s);
            for f in &r.fields {
                names(&f.schema, out);
            }
        }
        Schema::Enum(e) => add(&e.name, s),
        Schema::Fixed(f) | Schema::Duration(f) => add(&f.name, s),
        Schema::Decimal(d) => {
            if let InnerDecimalSchema::Fixed(f) = &d.inner {
                add(&f.name, s);
            }
        }
        Schema::Uuid(UuidSchema::Fixed(f)) => add(&f.name, s),
        Schema::Array(a) => names(&a.items, out),
        Schema::Map(m) => names(&m.types, out),
        Schema::Union(u) => u.variants().iter().for_each(|v| names(v, out)),
        _ => {}
    }
}

/// A schema reduced to what resolution looks at.
#[derive(Clone, Copy)]
enum B<'a> {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(&'a Schema),
    Map(&'a Schema),
    Union(&'a [Schema]),
    Record(&'a RecordSchema),
    Enum(&'a EnumSchema),
    Fixed(&'a FixedSchema),
}

/// The logical type on top, if any: name and (precision, scale) for decimals.
type Logical = Option<(&'static str, Option<(usize, usize)>)>;

fn base(s: &Schema) -> (B<'_>, Logical) {
    match s {
        Schema::Null => (B::Null, None),
        Schema::Boolean => (B::Boolean, None),
        Schema::Int => (B::Int, None),
        Schema::Long => (B::Long, None),
        Schema::Float => (B::Float, None),
        Schema::Double => (B::Double, None),
        Schema::Bytes => (B::Bytes, None),
        Schema::String => (B::String, None),
        Schema::Array(a) => (B::Array(&a.items), None),
        Schema::Map(m) => (B::Map(&m.types), None),
        Schema::Union(u) => (B::Union(u.variants()), None),
        Schema::Record(r) => (B::Record(r), None),
        Schema::Enum(e) => (B::Enum(e), None),
        Schema::Fixed(f) => (B::Fixed(f), None),
        Schema::Decimal(d) => {
            let l = Some(("decimal", Some((d.precision, d.scale))));
            match &d.inner {
                InnerDecimalSchema::Bytes => (B::Bytes, l),
                InnerDecimalSchema::Fixed(f) => (B::Fixed(f), l),
            }
        }
        Schema::BigDecimal => (B::Bytes, Some(("big-decimal", None))),
        Schema::Uuid(UuidSchema::String) => (B::String, Some(("uuid", None))),
        Schema::Uuid(UuidSchema::Bytes) => (B::Bytes, Some(("uuid", None))),
        Schema::Uuid(UuidSchema::Fixed(f)) => (B::Fixed(f), Some(("uuid", None))),
        Schema::Date => (B::Int, Some(("date", None))),
        Schema::TimeMillis => (B::Int, Some(("time-millis", None))),
        Schema::TimeMicros => (B::Long, Some(("time-micros", None))),
        Schema::TimestampMillis => (B::Long, Some(("timestamp-millis", None))),
        Schema::TimestampMicros => (B::Long, Some(("timestamp-micros", None))),
        Schema::TimestampNanos => (B::Long, Some(("timestamp-nanos", None))),
        Schema::LocalTimestampMillis => (B::Long, Some(("local-timestamp-millis", None))),
        Schema::LocalTimestampMicros => (B::Long, Some(("local-timestamp-micros", None))),
        Schema::LocalTimestampNanos => (B::Long, Some(("local-timestamp-nanos", None))),
        Schema::Duration(f) => (B::Fixed(f), Some(("duration", None))),
        // Refs are followed by the caller; an unknown one reads as null.
        Schema::Ref { .. } => (B::Null, None),
    }
}

fn kind(b: &B<'_>) -> &'static str {
    match b {
        B::Null => "null",
        B::Boolean => "boolean",
        B::Int => "int",
        B::Long => "long",
        B::Float => "float",
        B::Double => "double",
        B::Bytes => "bytes",
        B::String => "string",
        B::Array(_) => "array",
        B::Map(_) => "map",
        B::Union(_) => "union",
        B::Record(_) => "record",
        B::Enum(_) => "enum",
        B::Fixed(_) => "fixed",
    }
}

fn describe(b: &B<'_>) -> String {
    match b {
        B::Record(r) => format!("record `{}`", r.name.name()),
        B::Enum(e) => format!("enum `{}`", e.name.name()),
        B::Fixed(f) => format!("fixed `{}` ({} bytes)", f.name.name(), f.size),
        B::Union(u) => format!("a union of {}", u.len()),
        other => kind(other).to_owned(),
    }
}

/// Numeric rank for promotions.
fn rank(b: &B<'_>) -> Option<u8> {
    match b {
        B::Int => Some(0),
        B::Long => Some(1),
        B::Float => Some(2),
        B::Double => Some(3),
        _ => None,
    }
}

/// The writer's primitive is promotable to the reader's (or the same).
fn promotable(reader: &B<'_>, writer: &B<'_>) -> bool {
    match (rank(reader), rank(writer)) {
        (Some(r), Some(w)) => r >= w,
        _ => matches!(
            (reader, writer),
            (B::Null, B::Null)
                | (B::Boolean, B::Boolean)
                | (B::String | B::Bytes, B::String | B::Bytes)
        ),
    }
}

/// Does the reader accept a named type with the writer's name?
fn name_ok(
    reader: &Name,
    aliases: Option<&Vec<apache_avro::schema::Alias>>,
    writer: &Name,
) -> bool {
    reader.name() == writer.name()
        || aliases.is_some_and(|a| a.iter().any(|a| a.name() == writer.name()))
}

struct Ctx<'a> {
    rnames: HashMap<String, &'a Schema>,
    wnames: HashMap<String, &'a Schema>,
    seen: BTreeSet<(String, String)>,
    sink: Sink,
}

fn deref<'a>(s: &'a Schema, names: &HashMap<String, &'a Schema>) -> &'a Schema {
    match s {
        Schema::Ref { name } => names.get(&name.fullname(None)).copied().unwrap_or(s),
        other => other,
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The name to anchor a finding on: the path's last field (without the
/// `[]` / `{}` of array items and map values), else `root` (the type's name,
/// for a schema that is not a record).
fn last<'p>(path: &'p str, root: &'p str) -> Option<&'p str> {
    let seg = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches(['[', ']', '{', '}']);
    Some(if seg.is_empty() { root } else { seg })
}

impl<'a> Ctx<'a> {
    /// Would the reader branch be picked for the writer's value (same kind
    /// and name, or a promotion)?
    fn matches(&self, r: &'a Schema, w: &'a Schema) -> bool {
        let (r, w) = (deref(r, &self.rnames), deref(w, &self.wnames));
        let ((rb, _), (wb, _)) = (base(r), base(w));
        match (rb, wb) {
            (B::Record(a), B::Record(b)) => name_ok(&a.name, a.aliases.as_ref(), &b.name),
            (B::Enum(a), B::Enum(b)) => name_ok(&a.name, a.aliases.as_ref(), &b.name),
            (B::Fixed(a), B::Fixed(b)) => name_ok(&a.name, a.aliases.as_ref(), &b.name),
            (B::Array(_), B::Array(_)) | (B::Map(_), B::Map(_)) => true,
            (a, b) => promotable(&a, &b),
        }
    }

    /// Numeric types on both sides that are not promotable this way round.
    fn numeric_clash(&self, r: &'a Schema, w: &'a Schema) -> bool {
        let (r, w) = (deref(r, &self.rnames), deref(w, &self.wnames));
        rank(&base(r).0).is_some() && rank(&base(w).0).is_some()
    }

    fn numeric(&mut self, r: &B<'_>, w: &B<'_>, path: &str) {
        let rule = self.sink.by_dir("avro-type-demoted", "avro-type-promoted");
        let (role_r, role_w) = self.sink.dir.roles();
        let side = self.sink.reader_side();
        self.sink.brk(
            rule,
            path,
            last(path, kind(r)),
            side,
            format!(
                "`{}` is {} in one version and {} in the other: {role_r} reads it as {} and cannot narrow the {} values of {role_w}",
                display(path),
                kind(w),
                kind(r),
                kind(r),
                kind(w)
            ),
        );
    }

    fn changed(&mut self, r: &B<'_>, w: &B<'_>, path: &str) {
        let (role_r, role_w) = self.sink.dir.roles();
        let side = self.sink.reader_side();
        self.sink.brk(
            "avro-type-changed",
            path,
            last(path, kind(r)),
            side,
            format!(
                "`{}` changed between {} and {}: {role_r} ({}) cannot resolve {role_w} ({})",
                display(path),
                describe(w),
                describe(r),
                describe(r),
                describe(w)
            ),
        );
    }

    fn branch_unreadable(&mut self, w: &B<'_>, path: &str) {
        let rule = self
            .sink
            .by_dir("avro-union-branch-removed", "avro-union-branch-added");
        let (role_r, role_w) = self.sink.dir.roles();
        let side = self.sink.writer_side();
        self.sink.brk(
            rule,
            path,
            last(path, kind(w)),
            side,
            format!(
                "`{}`: {role_w} may hold a {} value, which no branch of {role_r} can read (a union must resolve every branch)",
                display(path),
                describe(w)
            ),
        );
    }

    fn resolve(&mut self, r: &'a Schema, w: &'a Schema, path: &str) {
        let (r, w) = (deref(r, &self.rnames), deref(w, &self.wnames));
        let ((rb, rl), (wb, wl)) = (base(r), base(w));
        if let B::Union(ws) = wb {
            for wv in ws {
                match rb {
                    B::Union(rs) => {
                        if let Some(rv) = rs.iter().find(|rv| self.matches(rv, wv)) {
                            self.resolve(rv, wv, path);
                        } else if let Some(rv) = rs.iter().find(|rv| self.numeric_clash(rv, wv)) {
                            let (rvb, wvb) = (
                                base(deref(rv, &self.rnames)).0,
                                base(deref(wv, &self.wnames)).0,
                            );
                            self.numeric(&rvb, &wvb, path);
                        } else {
                            let wvb = base(deref(wv, &self.wnames)).0;
                            self.branch_unreadable(&wvb, path);
                        }
                    }
                    _ => {
                        if self.matches(r, wv) {
                            self.resolve(r, wv, path);
                        } else if self.numeric_clash(r, wv) {
                            let wvb = base(deref(wv, &self.wnames)).0;
                            self.numeric(&rb, &wvb, path);
                        } else {
                            let wvb = base(deref(wv, &self.wnames)).0;
                            self.branch_unreadable(&wvb, path);
                        }
                    }
                }
            }
            return;
        }
        if let B::Union(rs) = rb {
            if let Some(rv) = rs.iter().find(|rv| self.matches(rv, w)) {
                self.resolve(rv, w, path);
            } else if let Some(rv) = rs.iter().find(|rv| self.numeric_clash(rv, w)) {
                let rvb = base(deref(rv, &self.rnames)).0;
                self.numeric(&rvb, &wb, path);
            } else {
                self.changed(&rb, &wb, path);
            }
            return;
        }
        self.logical(rl, wl, path);
        match (rb, wb) {
            (B::Record(a), B::Record(b)) => {
                self.name(&a.name, a.aliases.as_ref(), &b.name, path);
                let key = (
                    format!("{:?}", self.sink.dir) + &a.name.fullname(None),
                    b.name.fullname(None),
                );
                if !self.seen.insert(key) {
                    return;
                }
                self.record(a, b, path);
            }
            (B::Enum(a), B::Enum(b)) => {
                self.name(&a.name, a.aliases.as_ref(), &b.name, path);
                let missing: Vec<&String> = b
                    .symbols
                    .iter()
                    .filter(|s| !a.symbols.contains(s))
                    .collect();
                if !missing.is_empty() && a.default.is_none() {
                    let rule = self
                        .sink
                        .by_dir("avro-enum-symbol-removed", "avro-enum-symbol-added");
                    let (role_r, role_w) = self.sink.dir.roles();
                    let list = missing
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let side = self.sink.writer_side();
                    self.sink.brk(
                        rule,
                        path,
                        missing.first().map(|s| s.as_str()),
                        side,
                        format!(
                            "enum `{}` ({}): {role_w} may hold {list}, which {role_r} does not list and has no `default` to fall back to",
                            a.name.name(),
                            display(path)
                        ),
                    );
                }
            }
            (B::Fixed(a), B::Fixed(b)) => {
                self.name(&a.name, a.aliases.as_ref(), &b.name, path);
                if a.size != b.size {
                    let (role_r, role_w) = self.sink.dir.roles();
                    let side = self.sink.reader_side();
                    self.sink.brk(
                        "avro-fixed-size-changed",
                        path,
                        Some("size"),
                        side,
                        format!(
                            "fixed `{}` ({}) is {} bytes in {role_w} and {} bytes in {role_r}: the value is misread",
                            a.name.name(),
                            display(path),
                            b.size,
                            a.size
                        ),
                    );
                }
            }
            (B::Array(a), B::Array(b)) => self.resolve(a, b, &format!("{path}[]")),
            (B::Map(a), B::Map(b)) => self.resolve(a, b, &format!("{path}{{}}")),
            (a, b) if promotable(&a, &b) => {}
            (a, b) if rank(&a).is_some() && rank(&b).is_some() => self.numeric(&a, &b, path),
            (a, b) => self.changed(&a, &b, path),
        }
    }

    fn logical(&mut self, r: Logical, w: Logical, path: &str) {
        match (r, w) {
            (Some(("decimal", a)), Some(("decimal", b))) if a != b => {
                let side = self.sink.reader_side();
                let fmt = |d: Option<(usize, usize)>| {
                    d.map_or(String::new(), |(p, s)| format!("decimal({p}, {s})"))
                };
                self.sink.brk(
                    "avro-decimal-changed",
                    path,
                    Some("scale"),
                    side,
                    format!(
                        "`{}` changed from {} to {}: decimals match only with equal precision and scale, so every stored amount would be read at the other scale",
                        display(path),
                        fmt(b),
                        fmt(a)
                    ),
                );
            }
            (Some((a, _)), Some((b, _))) if a != b => {
                let side = self.sink.reader_side();
                self.sink.hazard(
                    "avro-logical-type-changed",
                    path,
                    Some(a),
                    side,
                    format!(
                        "`{}` changed its logical type between `{b}` and `{a}`: records resolve, but the same number means another quantity",
                        display(path)
                    ),
                );
            }
            _ => {}
        }
    }

    fn name(
        &mut self,
        r: &Name,
        aliases: Option<&Vec<apache_avro::schema::Alias>>,
        w: &Name,
        path: &str,
    ) {
        if name_ok(r, aliases, w) {
            return;
        }
        let rule = self
            .sink
            .by_dir("avro-name-changed-no-alias", "avro-name-changed");
        let (role_r, role_w) = self.sink.dir.roles();
        let side = self.sink.reader_side();
        let hint = match self.sink.dir {
            Direction::Backward => format!(
                " (add `\"aliases\": [\"{}\"]` to keep reading them)",
                w.name()
            ),
            Direction::Forward => {
                " (aliases only help the reader, and the old reader does not know the new name)"
                    .to_owned()
            }
        };
        self.sink.brk(
            rule,
            path,
            Some(r.name()),
            side,
            format!(
                "`{}` is named `{}` in {role_w} and `{}` in {role_r}: named types resolve by name or the reader's aliases{hint}",
                if path.is_empty() { r.name() } else { path },
                w.name(),
                r.name()
            ),
        );
    }

    fn record(&mut self, r: &'a RecordSchema, w: &'a RecordSchema, path: &str) {
        for rf in &r.fields {
            let p = join(path, &rf.name);
            let wf = w.fields.iter().find(|wf| wf.name == rf.name).or_else(|| {
                rf.aliases
                    .iter()
                    .find_map(|a| w.fields.iter().find(|wf| &wf.name == a))
            });
            match wf {
                Some(wf) => self.resolve(&rf.schema, &wf.schema, &p),
                None if rf.default.is_none() => {
                    let (role_r, role_w) = self.sink.dir.roles();
                    let (rule, side) = match self.sink.dir {
                        Direction::Backward => {
                            ("avro-field-added-without-default", super::Side::New)
                        }
                        Direction::Forward => {
                            ("avro-field-removed-without-default", super::Side::Old)
                        }
                    };
                    self.sink.brk(
                        rule,
                        &p,
                        Some(&rf.name),
                        side,
                        format!(
                            "field `{p}` is in {role_r} without a `default` and not in {role_w}: they have no value for it and there is nothing to fill in"
                        ),
                    );
                }
                None => {}
            }
        }
    }
}

fn display(path: &str) -> &str {
    if path.is_empty() { "the payload" } else { path }
}
