//! Payload schemas (JSON Schema, Protobuf, Avro) as one format-independent
//! field model. The catalog needs it to check keys and PII annotations, the
//! governance rules and docs read it; Rust emission goes through each
//! format's own generator, from the parse kept in [`PayloadSchema`].

use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::model::vocab::PiiLevel;

/// Which schema language a payload is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaFormat {
    /// JSON Schema (`.schema.json`, `.json`).
    JsonSchema,
    /// Protocol Buffers (`.proto`).
    Protobuf,
    /// Apache Avro (`.avsc`).
    Avro,
}

impl SchemaFormat {
    /// The format a file name implies.
    pub fn from_path(path: &str) -> Option<SchemaFormat> {
        if path.ends_with(".json") {
            Some(SchemaFormat::JsonSchema)
        } else if path.ends_with(".proto") {
            Some(SchemaFormat::Protobuf)
        } else if path.ends_with(".avsc") {
            Some(SchemaFormat::Avro)
        } else {
            None
        }
    }

    /// The schema-registry schema type (`JSON`, `PROTOBUF`, `AVRO`).
    pub fn registry_type(self) -> &'static str {
        match self {
            SchemaFormat::JsonSchema => "JSON",
            SchemaFormat::Protobuf => "PROTOBUF",
            SchemaFormat::Avro => "AVRO",
        }
    }
}

/// The type of a payload field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldType {
    /// Text; `format` as in JSON Schema (`uuid`, `date-time`, ...) or the Avro logical type.
    String {
        /// Format hint.
        format: Option<String>,
    },
    /// Whole number.
    Integer,
    /// Floating point.
    Number,
    /// `true` / `false`.
    Boolean,
    /// Raw bytes.
    Bytes,
    /// One of fixed strings.
    Enum {
        /// The allowed values.
        values: Vec<String>,
    },
    /// A list.
    Array {
        /// Item type.
        items: Box<FieldType>,
    },
    /// String-keyed map.
    Map {
        /// Value type.
        values: Box<FieldType>,
    },
    /// A nested record.
    Record(Record),
    /// Anything (no or open schema, unions, recursion).
    Any,
}

impl FieldType {
    /// Can a value of this type serve as a Kafka partition key?
    pub fn is_key_like(&self) -> bool {
        matches!(
            self,
            FieldType::String { .. }
                | FieldType::Integer
                | FieldType::Enum { .. }
                | FieldType::Bytes
        )
    }

    /// Short name for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            FieldType::String { .. } => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Bytes => "bytes",
            FieldType::Enum { .. } => "enum",
            FieldType::Array { .. } => "array",
            FieldType::Map { .. } => "map",
            FieldType::Record(_) => "object",
            FieldType::Any => "untyped value",
        }
    }
}

/// A record (JSON object, Protobuf message, Avro record).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Record {
    /// Name (message/record name, or JSON Schema `title`).
    pub name: Option<String>,
    /// Fields in schema order.
    pub fields: Vec<Field>,
    /// JSON Schema `additionalProperties: false` (a closed content model).
    pub closed: bool,
}

impl Record {
    /// Find a field by name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Field {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: FieldType,
    /// Must be present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Documentation.
    pub description: Option<String>,
    /// PII level annotated in the schema (`x-pii` in JSON Schema, `pii` attribute in Avro).
    pub pii: Option<PiiLevel>,
}

/// A parsed payload schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PayloadSchema {
    /// Format.
    pub format: SchemaFormat,
    /// File, relative to the catalog root.
    pub file: String,
    /// The payload record; without fields when the root is not a record.
    pub root: Record,
    /// The root's type when it is not a record (a JSON Schema string,
    /// array, enum or `oneOf` root; an Avro enum, array or union): the
    /// payload then has no fields to key by. `None` for record roots.
    pub root_type: Option<FieldType>,
    /// Every file the schema pulled in (the file itself and `$ref` targets).
    pub files: Vec<String>,
    /// The schema text as written (what a registry gets), shared with the
    /// loader's copy of the file.
    pub text: Arc<str>,
    /// The one parse of the file, which emission and the breaking check
    /// read (nothing downstream of the loader parses schema text again).
    pub parsed: Parsed,
}

/// A schema file as its own format's library parsed it, once, at load.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// JSON Schema with every `$ref` inlined (recursive references become
    /// `{}`), so that generators need no file access.
    Json(Value),
    /// The `.proto` compiled by protox, with its imports.
    #[cfg(feature = "protobuf")]
    Protobuf(ProtoParse),
    /// The Avro schema as apache-avro parsed it.
    #[cfg(feature = "avro")]
    Avro(AvroParse),
}

impl Serialize for Parsed {
    /// JSON Schema and Avro as their JSON; Protobuf as its file name (a
    /// descriptor set is not JSON).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Parsed::Json(v) => v.serialize(s),
            #[cfg(feature = "protobuf")]
            Parsed::Protobuf(p) => p.file.serialize(s),
            #[cfg(feature = "avro")]
            Parsed::Avro(a) => a.schema.serialize(s),
        }
    }
}

/// A compiled `.proto`.
#[cfg(feature = "protobuf")]
#[derive(Clone, Debug, PartialEq)]
pub struct ProtoParse {
    /// The file and its imports (Google's well-known types).
    pub set: Arc<prost_types::FileDescriptorSet>,
    /// The payload file's name inside [`ProtoParse::set`].
    pub file: String,
    /// The payload message's name (unqualified).
    pub message: String,
}

#[cfg(feature = "protobuf")]
impl ProtoParse {
    /// The payload file's descriptor.
    pub fn file_descriptor(&self) -> Option<&prost_types::FileDescriptorProto> {
        self.set.file.iter().find(|f| f.name() == self.file)
    }

    /// The payload message's descriptor.
    pub fn message_descriptor(&self) -> Option<&prost_types::DescriptorProto> {
        self.file_descriptor().and_then(|f| {
            f.message_type
                .iter()
                .find(|m| m.name() == self.message)
                .or_else(|| find_nested(&f.message_type, &self.message))
        })
    }
}

#[cfg(feature = "protobuf")]
fn find_nested<'a>(
    msgs: &'a [prost_types::DescriptorProto],
    name: &str,
) -> Option<&'a prost_types::DescriptorProto> {
    msgs.iter().find_map(|m| {
        m.nested_type
            .iter()
            .find(|n| n.name() == name)
            .or_else(|| find_nested(&m.nested_type, name))
    })
}

/// A parsed `.avsc`.
#[cfg(feature = "avro")]
#[derive(Clone, Debug, PartialEq)]
pub struct AvroParse {
    /// The whole schema.
    pub schema: Arc<apache_avro::Schema>,
    /// Full name of the payload record; empty when the top-level schema is
    /// not a record (an enum, array, map, union or primitive), which is
    /// then the payload.
    pub record: String,
}

#[cfg(feature = "avro")]
impl AvroParse {
    /// The payload record (`None` for a non-record payload).
    pub fn root(&self) -> Option<&apache_avro::schema::RecordSchema> {
        if self.record.is_empty() {
            return None;
        }
        find_avro_record(&self.schema, &self.record)
    }
}

/// The Avro record named `name` (short or full name) anywhere in `s`.
#[cfg(feature = "avro")]
pub fn find_avro_record<'s>(
    s: &'s apache_avro::Schema,
    name: &str,
) -> Option<&'s apache_avro::schema::RecordSchema> {
    use apache_avro::Schema;
    match s {
        Schema::Record(r) if r.name.name() == name || r.name.fullname(None) == name => Some(r),
        Schema::Record(r) => r
            .fields
            .iter()
            .find_map(|f| find_avro_record(&f.schema, name)),
        Schema::Array(a) => find_avro_record(&a.items, name),
        Schema::Map(m) => find_avro_record(&m.types, name),
        Schema::Union(u) => u.variants().iter().find_map(|v| find_avro_record(v, name)),
        _ => None,
    }
}
