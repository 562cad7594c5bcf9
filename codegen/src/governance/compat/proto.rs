//! Protobuf on the compiled descriptors: buf's WIRE / WIRE_JSON grade rules
//! and the registry's Protobuf rules, starting at the payload message and
//! following message-typed fields (nested messages, maps, well-known types).
//! Fields are matched by number; wire-compatible scalar groups (int32, int64,
//! uint32, uint64, bool, enum; sint32, sint64; fixed32, sfixed32; fixed64,
//! sfixed64; string, bytes) are accepted, with the JSON mapping checked only
//! when records are JSON-encoded ([`Options::wire_json`]).

use std::collections::{BTreeSet, HashMap};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use super::{Direction, Finding, Options, Side, Sink};
use crate::model::payload::ProtoParse;

/// Findings for one direction (BACKWARD: new reads old).
pub fn compare(old: &ProtoParse, new: &ProtoParse, dir: Direction, opts: Options) -> Vec<Finding> {
    let mut d = Diff {
        old: Index::new(old),
        new: Index::new(new),
        seen: BTreeSet::new(),
        out: Vec::new(),
        map_field: None,
    };
    let (Some(of), Some(nf)) = (old.file_descriptor(), new.file_descriptor()) else {
        return Vec::new();
    };
    if of.package() != nf.package() {
        d.push(
            "proto-package-changed",
            "",
            Some("package"),
            Side::New,
            format!(
                "the package changed from `{}` to `{}`: every message's full name changes, and registries treat the types as different",
                of.package(),
                nf.package()
            ),
        );
    }
    if let (Some(om), Some(nm)) = (old.message_descriptor(), new.message_descriptor()) {
        let (on, nn) = (d.old.full_name_of(om.name()), d.new.full_name_of(nm.name()));
        d.message(&on, &nn, om.name());
    }
    let mut s = Sink::new(dir);
    for (rule, path, anchor, side, message) in d.out {
        let (breaks, hazard) = effect(rule, opts.wire_json);
        if hazard {
            s.hazard(rule, &path, anchor.as_deref(), side, message);
        } else if breaks.contains(&dir) {
            s.brk(rule, &path, anchor.as_deref(), side, message);
        }
    }
    s.out
}

/// (directions broken, hazard) of a rule under the binary or JSON encoding.
fn effect(rule: &str, wire_json: bool) -> (&'static [Direction], bool) {
    const BOTH: &[Direction] = &[Direction::Backward, Direction::Forward];
    const B: &[Direction] = &[Direction::Backward];
    const F: &[Direction] = &[Direction::Forward];
    match rule {
        "proto-fields-joined-oneof"
        | "proto-oneof-member-removed"
        | "proto-field-optional-to-required" => (B, false),
        "proto-fields-left-oneof"
        | "proto-oneof-member-added"
        | "proto-field-required-to-optional" => (F, false),
        "proto-field-renamed"
        | "proto-field-json-name-changed"
        | "proto-enum-value-renamed"
        | "proto-cardinality-changed-length-delimited" => {
            if wire_json {
                (BOTH, false)
            } else {
                (&[], true)
            }
        }
        "proto-field-type-json-incompatible" => (if wire_json { BOTH } else { &[] }, false),
        "proto-enum-integer-interchanged"
        | "proto-bytes-to-string"
        | "proto-field-removed-number-not-reserved"
        | "proto-enum-value-removed-number-not-reserved"
        | "proto-reserved-removed"
        | "proto-field-number-changed"
        | "proto-field-oneof-membership-changed"
        | "proto-field-default-changed" => (&[], true),
        _ => (BOTH, false),
    }
}

/// Every message and enum of a descriptor set by full name (`.pkg.Msg`).
struct Index<'a> {
    package: String,
    messages: HashMap<String, &'a DescriptorProto>,
    enums: HashMap<String, &'a EnumDescriptorProto>,
}

impl<'a> Index<'a> {
    fn new(p: &'a ProtoParse) -> Index<'a> {
        let mut ix = Index {
            package: p
                .file_descriptor()
                .map(|f| f.package().to_owned())
                .unwrap_or_default(),
            messages: HashMap::new(),
            enums: HashMap::new(),
        };
        for f in &p.set.file {
            ix.file(f);
        }
        ix
    }

    fn file(&mut self, f: &'a FileDescriptorProto) {
        let prefix = if f.package().is_empty() {
            String::new()
        } else {
            format!(".{}", f.package())
        };
        for e in &f.enum_type {
            self.enums.insert(format!("{prefix}.{}", e.name()), e);
        }
        self.messages_in(&prefix, &f.message_type);
    }

    fn messages_in(&mut self, prefix: &str, msgs: &'a [DescriptorProto]) {
        for m in msgs {
            let full = format!("{prefix}.{}", m.name());
            for e in &m.enum_type {
                self.enums.insert(format!("{full}.{}", e.name()), e);
            }
            self.messages_in(&full, &m.nested_type);
            self.messages.insert(full, m);
        }
    }

    /// The full name of the payload message (top-level or nested).
    fn full_name_of(&self, name: &str) -> String {
        let top = if self.package.is_empty() {
            format!(".{name}")
        } else {
            format!(".{}.{name}", self.package)
        };
        if self.messages.contains_key(&top) {
            return top;
        }
        self.messages
            .keys()
            .find(|k| {
                k.rsplit('.').next() == Some(name) && k.starts_with(&format!(".{}", self.package))
            })
            .cloned()
            .unwrap_or(top)
    }

    /// A type name without the file's package (so a package move is one
    /// finding, not one per field).
    fn relative<'n>(&self, full: &'n str) -> &'n str {
        let prefix = format!(".{}.", self.package);
        full.strip_prefix(&prefix).unwrap_or(full)
    }

    fn is_map(&self, f: &FieldDescriptorProto) -> bool {
        f.r#type() == Type::Message
            && self
                .messages
                .get(f.type_name())
                .and_then(|m| m.options.as_ref())
                .is_some_and(|o| o.map_entry())
    }

    /// A field's type as written (`int32`, `Status`, `map<string, int32>`).
    fn type_name(&self, f: &FieldDescriptorProto) -> String {
        match f.r#type() {
            Type::Message | Type::Enum | Type::Group => {
                if self.is_map(f)
                    && let Some(m) = self.messages.get(f.type_name())
                {
                    let kv: Vec<String> = m.field.iter().map(|x| self.type_name(x)).collect();
                    return format!("map<{}>", kv.join(", "));
                }
                self.relative(f.type_name()).to_owned()
            }
            t => scalar(t).to_owned(),
        }
    }
}

fn scalar(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

/// Wire-compatibility group.
fn group(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 | Type::Bool | Type::Enum => 0,
        Type::Sint32 | Type::Sint64 => 1,
        Type::Fixed32 | Type::Sfixed32 => 2,
        Type::Fixed64 | Type::Sfixed64 => 3,
        Type::Float => 4,
        Type::Double => 5,
        Type::String | Type::Bytes => 6,
        Type::Message | Type::Group => 7,
    }
}

/// JSON mapping class.
fn json_class(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Uint32 | Type::Sint32 | Type::Fixed32 | Type::Sfixed32 => 0,
        Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64 => 1,
        Type::Bool => 2,
        Type::Enum => 3,
        Type::String => 4,
        Type::Bytes => 5,
        Type::Float | Type::Double => 6,
        Type::Message | Type::Group => 7,
    }
}

fn packable(t: Type) -> bool {
    !matches!(t, Type::String | Type::Bytes | Type::Message | Type::Group)
}

/// The real (not proto3-synthetic) oneof a field belongs to.
fn oneof<'m>(m: &'m DescriptorProto, f: &FieldDescriptorProto) -> Option<&'m str> {
    if f.proto3_optional() {
        return None;
    }
    let i = usize::try_from(f.oneof_index?).ok()?;
    m.oneof_decl.get(i).map(|o| o.name())
}

fn reserved(m: &DescriptorProto, n: i32) -> bool {
    m.reserved_range
        .iter()
        .any(|r| r.start() <= n && n < r.end())
}

type Raw = (&'static str, String, Option<String>, Side, String);

struct Diff<'a> {
    old: Index<'a>,
    new: Index<'a>,
    seen: BTreeSet<(String, String)>,
    out: Vec<Raw>,
    /// Inside a map entry (`key`, `value` are not in the source text): the
    /// map field's name, to anchor findings on.
    map_field: Option<String>,
}

impl Diff<'_> {
    fn push(
        &mut self,
        rule: &'static str,
        path: &str,
        anchor: Option<&str>,
        side: Side,
        message: String,
    ) {
        let anchor = self.map_field.clone().or(anchor.map(str::to_owned));
        self.out
            .push((rule, path.to_owned(), anchor, side, message));
    }

    fn message(&mut self, on: &str, nn: &str, path: &str) {
        if !self.seen.insert((on.to_owned(), nn.to_owned())) {
            return;
        }
        let (Some(om), Some(nm)) = (
            self.old.messages.get(on).copied(),
            self.new.messages.get(nn).copied(),
        ) else {
            return;
        };
        let saved = self.map_field.take();
        if nm.options.as_ref().and_then(|o| o.map_entry) == Some(true) {
            self.map_field = path.rsplit('.').next().map(str::to_owned);
        }
        self.message_fields(om, nm, path);
        self.map_field = saved;
    }

    fn message_fields(&mut self, om: &DescriptorProto, nm: &DescriptorProto, path: &str) {
        for of in &om.field {
            let p = format!("{path}.{}", of.name());
            match nm.field.iter().find(|f| f.number() == of.number()) {
                Some(nf) => self.field(om, nm, of, nf, &p),
                None => self.removed(om, nm, of, &p),
            }
        }
        for nf in &nm.field {
            if om.field.iter().any(|f| f.number() == nf.number()) {
                continue;
            }
            let p = format!("{path}.{}", nf.name());
            if nf.label() == Label::Required {
                self.push(
                    "proto-required-field-added",
                    &p,
                    Some(nf.name()),
                    Side::New,
                    format!("required field `{p}` (number {}) was added: old records lack it and fail the new reader; required-ness is fixed in both directions", nf.number()),
                );
            }
            if let Some(o) = oneof(nm, nf)
                && om.oneof_decl.iter().any(|d| d.name() == o)
                && om.field.iter().any(|f| oneof(om, f) == Some(o))
            {
                self.push(
                    "proto-oneof-member-added",
                    &p,
                    Some(nf.name()),
                    Side::New,
                    format!("`{p}` was added to oneof `{o}`: a new record that sets it reads, to consumers on the old schema, as if `{o}` were unset"),
                );
            }
        }
        // Oneof regrouping.
        for (m, other, rule, side) in [
            (nm, om, "proto-fields-joined-oneof", Side::New),
            (om, nm, "proto-fields-left-oneof", Side::Old),
        ] {
            for decl in &m.oneof_decl {
                let members: Vec<&FieldDescriptorProto> = m
                    .field
                    .iter()
                    .filter(|f| oneof(m, f) == Some(decl.name()))
                    .filter(|f| other.field.iter().any(|g| g.number() == f.number()))
                    .collect();
                let before: Vec<Option<&str>> = members
                    .iter()
                    .filter_map(|f| other.field.iter().find(|g| g.number() == f.number()))
                    .map(|g| oneof(other, g))
                    .collect();
                let split = before.len() >= 2
                    && (before.iter().any(Option::is_none)
                        || before.windows(2).any(|w| w.first() != w.last()));
                if split {
                    let names: Vec<&str> = members.iter().map(|f| f.name()).collect();
                    let what = if rule == "proto-fields-joined-oneof" {
                        format!(
                            "fields {} were independent and are now members of oneof `{}`: an old record that set several of them is read by the new schema with only the last one kept",
                            names.join(", "),
                            decl.name()
                        )
                    } else {
                        format!(
                            "fields {} of oneof `{}` are now independent: a new record may set several, and consumers on the old schema keep only one",
                            names.join(", "),
                            decl.name()
                        )
                    };
                    self.push(
                        rule,
                        &format!("{path}.{}", decl.name()),
                        Some(decl.name()),
                        side,
                        what,
                    );
                }
            }
        }
        // Reservations given up.
        for r in &om.reserved_range {
            let kept = nm
                .reserved_range
                .iter()
                .any(|x| x.start() <= r.start() && r.end() <= x.end());
            if !kept {
                self.push("proto-reserved-removed", path, Some("reserved"), Side::Old, format!("`{path}` no longer reserves numbers {}..{}: nothing stops reuse with another type", r.start(), r.end() - 1));
            }
        }
        for n in &om.reserved_name {
            if !nm.reserved_name.contains(n) {
                self.push(
                    "proto-reserved-removed",
                    path,
                    Some(n),
                    Side::Old,
                    format!("`{path}` no longer reserves the name `{n}`"),
                );
            }
        }
    }

    fn removed(
        &mut self,
        om: &DescriptorProto,
        nm: &DescriptorProto,
        of: &FieldDescriptorProto,
        p: &str,
    ) {
        if of.label() == Label::Required {
            self.push(
                "proto-required-field-removed",
                p,
                Some(of.name()),
                Side::Old,
                format!("required field `{p}` (number {}) was removed: new records lack it and fail consumers on the old schema", of.number()),
            );
        }
        if let Some(o) = oneof(om, of)
            && nm.field.iter().any(|f| oneof(nm, f) == Some(o))
        {
            self.push(
                "proto-oneof-member-removed",
                p,
                Some(of.name()),
                Side::Old,
                format!("`{p}` was removed from oneof `{o}`: an old record that set it reads, to the new schema, as if `{o}` were unset"),
            );
        }
        if let Some(moved) = nm.field.iter().find(|f| {
            f.name() == of.name() && f.r#type() == of.r#type() && f.type_name() == of.type_name()
        }) {
            self.push(
                "proto-field-number-changed",
                p,
                Some(of.name()),
                Side::New,
                format!("`{p}` moved from number {} to {}: to the binary format a removal plus an addition, so old values are not seen by the new schema and new ones not by the old", of.number(), moved.number()),
            );
        }
        if !reserved(nm, of.number()) {
            self.push(
                "proto-field-removed-number-not-reserved",
                p,
                Some(of.name()),
                Side::Old,
                format!("`{p}` was deleted without `reserved {};` (and `reserved \"{}\";`): a later version may reuse the number with another type", of.number(), of.name()),
            );
        }
    }

    fn field(
        &mut self,
        _om: &DescriptorProto,
        _nm: &DescriptorProto,
        of: &FieldDescriptorProto,
        nf: &FieldDescriptorProto,
        p: &str,
    ) {
        let (ot, nt) = (of.r#type(), nf.r#type());
        let (otn, ntn) = (self.old.type_name(of), self.new.type_name(nf));
        let same_group = group(ot) == group(nt);
        if of.name() != nf.name() {
            if same_group && otn == ntn {
                self.push(
                    "proto-field-renamed",
                    p,
                    Some(nf.name()),
                    Side::New,
                    format!("field number {} was `{}` and is now `{}`: binary records are unaffected, JSON records carry the other name", of.number(), of.name(), nf.name()),
                );
            } else {
                self.push(
                    "proto-field-number-reused",
                    p,
                    Some(nf.name()),
                    Side::New,
                    format!("field number {} was `{} {}` and is now `{} {}`: each side decodes the other's bytes under that number as its own field", of.number(), otn, of.name(), ntn, nf.name()),
                );
                return;
            }
        } else if of.json_name() != nf.json_name() {
            self.push(
                "proto-field-json-name-changed",
                p,
                Some("json_name"),
                Side::New,
                format!("the JSON name of `{p}` changed from `{}` to `{}`: JSON records carry a key the other side does not know", of.json_name(), nf.json_name()),
            );
        }
        // proto2 required-ness: a parser rejects a message without a
        // required field, so the side that requires it breaks.
        match (of.label(), nf.label()) {
            (Label::Required, Label::Optional) => self.push(
                "proto-field-required-to-optional",
                p,
                Some(nf.name()),
                Side::New,
                format!("`{p}` (number {}) changed from required to optional: a new record may omit it and consumers on the old schema fail to parse it", nf.number()),
            ),
            (Label::Optional, Label::Required) => self.push(
                "proto-field-optional-to-required",
                p,
                Some(nf.name()),
                Side::New,
                format!("`{p}` (number {}) changed from optional to required: an old record may lack it and the new schema fails to parse it", nf.number()),
            ),
            _ => {}
        }
        // Cardinality.
        let (orep, nrep) = (of.label() == Label::Repeated, nf.label() == Label::Repeated);
        let (omap, nmap) = (self.old.is_map(of), self.new.is_map(nf));
        if omap != nmap {
            self.push(
                "proto-field-type-incompatible",
                p,
                Some(nf.name()),
                Side::New,
                format!("`{p}` changed from `{otn}` to `{ntn}`: a map and a repeated message are different types"),
            );
            return;
        }
        if orep != nrep {
            let card = |r: bool| if r { "repeated" } else { "singular" };
            if packable(ot) && packable(nt) {
                self.push(
                    "proto-cardinality-changed-numeric",
                    p,
                    Some(nf.name()),
                    Side::New,
                    format!("`{p}` changed from {} {otn} to {} {ntn}: repeated numeric fields are packed, which a singular reader does not parse", card(orep), card(nrep)),
                );
            } else {
                self.push(
                    "proto-cardinality-changed-length-delimited",
                    p,
                    Some(nf.name()),
                    Side::New,
                    format!("`{p}` changed from {} {otn} to {} {ntn}: binary readers survive (a singular reader keeps the last value), the JSON mapping (value vs array) does not", card(orep), card(nrep)),
                );
            }
        }
        if of.default_value != nf.default_value {
            self.push(
                "proto-field-default-changed",
                p,
                Some("default"),
                Side::New,
                format!("the default of `{p}` changed from {} to {}: records that omit it read differently on each side", of.default_value.as_deref().unwrap_or("none"), nf.default_value.as_deref().unwrap_or("none")),
            );
        }
        // Oneof membership.
        let (oo, no) = (oneof(_om, of), oneof(_nm, nf));
        if oo != no {
            self.push(
                "proto-field-oneof-membership-changed",
                p,
                Some(nf.name()),
                Side::New,
                format!(
                    "`{p}` moved from {} to {}",
                    oo.map_or("no oneof".to_owned(), |o| format!("oneof `{o}`")),
                    no.map_or("no oneof".to_owned(), |o| format!("oneof `{o}`"))
                ),
            );
        }
        // Type.
        if !same_group {
            self.push(
                "proto-field-type-incompatible",
                p,
                Some(nf.name()),
                Side::New,
                format!("`{p}` changed type from `{otn}` to `{ntn}`, which are not wire compatible: each side misreads the other's bytes"),
            );
            return;
        }
        match (ot, nt) {
            (Type::Message | Type::Group, Type::Message | Type::Group) => {
                let (on, nn) = (
                    self.old.relative(of.type_name()).to_owned(),
                    self.new.relative(nf.type_name()).to_owned(),
                );
                if on != nn && !(omap && nmap) {
                    self.push(
                        "proto-field-message-type-changed",
                        p,
                        Some(nf.name()),
                        Side::New,
                        format!("`{p}` changed its message type from `{on}` to `{nn}`: records of one message type are not taken for records of another"),
                    );
                    return;
                }
                let (a, b) = (of.type_name().to_owned(), nf.type_name().to_owned());
                self.message(&a, &b, p);
            }
            (Type::Enum, Type::Enum) => {
                self.enum_values(of.type_name(), nf.type_name(), p);
            }
            _ if ot != nt => {
                if json_class(ot) != json_class(nt) {
                    self.push(
                        "proto-field-type-json-incompatible",
                        p,
                        Some(nf.name()),
                        Side::New,
                        format!("`{p}` changed from `{otn}` to `{ntn}`: wire compatible, but their JSON mappings differ"),
                    );
                }
                if (ot == Type::Enum) != (nt == Type::Enum) {
                    self.push(
                        "proto-enum-integer-interchanged",
                        p,
                        Some(nf.name()),
                        Side::New,
                        format!("`{p}` changed from `{otn}` to `{ntn}`: wire compatible, but an integer outside the enum's values is kept as an unknown enum value"),
                    );
                }
                if ot == Type::Bytes && nt == Type::String {
                    self.push(
                        "proto-bytes-to-string",
                        p,
                        Some(nf.name()),
                        Side::New,
                        format!("`{p}` changed from bytes to string: compatible only while every old value is valid UTF-8"),
                    );
                }
            }
            _ => {}
        }
    }

    fn enum_values(&mut self, oe: &str, ne: &str, p: &str) {
        let (Some(oe), Some(ne)) = (
            self.old.enums.get(oe).copied(),
            self.new.enums.get(ne).copied(),
        ) else {
            return;
        };
        for ov in &oe.value {
            match ne.value.iter().find(|v| v.number() == ov.number()) {
                Some(nv) if nv.name() != ov.name() => self.push(
                    "proto-enum-value-renamed",
                    p,
                    Some(nv.name()),
                    Side::New,
                    format!("enum `{}` value {} was `{}` and is now `{}`: binary records carry the number, JSON records the name", ne.name(), ov.number(), ov.name(), nv.name()),
                ),
                Some(_) => {}
                None => {
                    let kept = ne.reserved_range.iter().any(|r| r.start() <= ov.number() && ov.number() <= r.end());
                    if !kept {
                        self.push(
                            "proto-enum-value-removed-number-not-reserved",
                            p,
                            Some(ne.name()),
                            Side::Old,
                            format!("enum `{}` lost `{} = {}` without reserving the number: a later version may reuse it with another meaning", oe.name(), ov.name(), ov.number()),
                        );
                    }
                }
            }
        }
    }
}
