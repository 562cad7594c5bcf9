//! Avro binary encoding of generated Avro payload structs (apache-avro):
//! the struct goes through serde into an Avro value, is resolved against the
//! topic's `.avsc`, and written as a datum. Schemas are parsed once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use apache_avro::Schema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::CodecError;

fn schema(text: &'static str) -> Result<Arc<Schema>, CodecError> {
    static CACHE: OnceLock<Mutex<BTreeMap<&'static str, Arc<Schema>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = map.get(text) {
        return Ok(Arc::clone(s));
    }
    let parsed = Arc::new(
        Schema::parse_str(text).map_err(|e| CodecError::Payload(format!("invalid .avsc: {e}")))?,
    );
    map.insert(text, Arc::clone(&parsed));
    Ok(parsed)
}

fn fail(e: impl std::fmt::Display) -> CodecError {
    CodecError::Payload(e.to_string())
}

/// `payload` as an Avro datum of `schema_text`.
pub fn avro_encode<P: Serialize>(
    schema_text: &'static str,
    payload: &P,
) -> Result<Vec<u8>, CodecError> {
    let schema = schema(schema_text)?;
    let names = apache_avro::schema::ResolvedSchema::try_from(&*schema).map_err(fail)?;
    let value = fixed_from_arrays(
        apache_avro::to_value(payload).map_err(fail)?,
        &schema,
        names.get_names(),
        0,
    )
    .resolve(&schema)
    .map_err(fail)?;
    apache_avro::writer::datum::GenericDatumWriter::builder(&schema)
        .build()
        .map_err(fail)?
        .write_value_to_vec(value)
        .map_err(fail)
}

/// A `fixed` (or `bytes`) field is a `Vec<u8>` in the payload struct, which
/// serde hands to Avro as an array of ints; Avro resolves an array into
/// `bytes` but not into `fixed`. This turns such arrays into the byte
/// values the schema says they are, through records, unions, arrays, maps
/// and named references (depth-bounded, as the schema's nesting is).
fn fixed_from_arrays(
    value: apache_avro::types::Value,
    schema: &Schema,
    names: &apache_avro::schema::NamesRef<'_>,
    depth: usize,
) -> apache_avro::types::Value {
    use apache_avro::schema::InnerDecimalSchema;
    use apache_avro::types::Value;
    if depth > 64 {
        return value;
    }
    let bytes = |items: &[Value]| -> Option<Vec<u8>> {
        items
            .iter()
            .map(|v| match v {
                Value::Int(i) => u8::try_from(*i).ok(),
                _ => None,
            })
            .collect()
    };
    match (schema, value) {
        (Schema::Ref { name }, v) => match names.get(name) {
            Some(s) => fixed_from_arrays(v, s, names, depth + 1),
            None => v,
        },
        (Schema::Fixed(f), Value::Array(items)) => match bytes(&items) {
            Some(b) => Value::Fixed(f.size, b),
            None => Value::Array(items),
        },
        (Schema::Decimal(d), Value::Array(items)) => match (bytes(&items), &d.inner) {
            (Some(b), InnerDecimalSchema::Fixed(f)) => Value::Fixed(f.size, b),
            (Some(b), InnerDecimalSchema::Bytes) => Value::Bytes(b),
            (None, _) => Value::Array(items),
        },
        (Schema::Bytes, Value::Array(items)) => match bytes(&items) {
            Some(b) => Value::Bytes(b),
            None => Value::Array(items),
        },
        (Schema::Record(r), Value::Record(fields)) => Value::Record(
            fields
                .into_iter()
                .map(|(name, v)| {
                    let field = r.lookup.get(&name).and_then(|&i| r.fields.get(i));
                    let v = match field {
                        Some(f) => fixed_from_arrays(v, &f.schema, names, depth + 1),
                        None => v,
                    };
                    (name, v)
                })
                .collect(),
        ),
        (Schema::Array(a), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|v| fixed_from_arrays(v, &a.items, names, depth + 1))
                .collect(),
        ),
        (Schema::Map(m), Value::Map(entries)) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, fixed_from_arrays(v, &m.types, names, depth + 1)))
                .collect(),
        ),
        // serde's `Some` is a union value: the first branch that is not
        // `null` gives the inner value's schema.
        (Schema::Union(u), Value::Union(i, inner)) => {
            let branch = u.variants().iter().find(|v| !matches!(v, Schema::Null));
            let inner = match branch {
                Some(b) if !matches!(*inner, Value::Null) => {
                    fixed_from_arrays(*inner, b, names, depth + 1)
                }
                _ => *inner,
            };
            Value::Union(i, Box::new(inner))
        }
        (_, v) => v,
    }
}

/// The way back: a `fixed` or `bytes` value read from a datum becomes the
/// array of ints a `Vec<u8>` field deserialises from (apache-avro's
/// deserializer gives neither to a sequence).
fn arrays_from_fixed(value: apache_avro::types::Value, depth: usize) -> apache_avro::types::Value {
    use apache_avro::types::Value;
    if depth > 64 {
        return value;
    }
    match value {
        Value::Fixed(_, b) | Value::Bytes(b) => {
            Value::Array(b.into_iter().map(|x| Value::Int(i32::from(x))).collect())
        }
        Value::Record(fields) => Value::Record(
            fields
                .into_iter()
                .map(|(n, v)| (n, arrays_from_fixed(v, depth + 1)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| arrays_from_fixed(v, depth + 1))
                .collect(),
        ),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, arrays_from_fixed(v, depth + 1)))
                .collect(),
        ),
        Value::Union(i, inner) => Value::Union(i, Box::new(arrays_from_fixed(*inner, depth + 1))),
        other => other,
    }
}

/// An Avro datum written with `schema_text`, as the payload struct.
pub fn avro_decode<P: DeserializeOwned>(
    schema_text: &'static str,
    bytes: &[u8],
) -> Result<P, CodecError> {
    let schema = schema(schema_text)?;
    let mut reader = bytes;
    let value = apache_avro::reader::datum::GenericDatumReader::builder(&schema)
        .build()
        .map_err(fail)?
        .read_value(&mut reader)
        .map_err(fail)?;
    apache_avro::from_value::<P>(&arrays_from_fixed(value, 0)).map_err(fail)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Hashes {
        md5: Vec<u8>,
        other: Option<Vec<u8>>,
        raw: Vec<u8>,
        list: Vec<Vec<u8>>,
    }

    const SCHEMA: &str = r#"{"type": "record", "name": "Hashes", "fields": [
        {"name": "md5", "type": {"type": "fixed", "name": "Md5", "size": 4}},
        {"name": "other", "type": ["null", "Md5"]},
        {"name": "raw", "type": "bytes"},
        {"name": "list", "type": {"type": "array", "items": "Md5"}}
    ]}"#;

    #[test]
    fn fixed_fields_round_trip() {
        let h = Hashes {
            md5: vec![1, 2, 3, 4],
            other: Some(vec![5, 6, 7, 8]),
            raw: vec![9],
            list: vec![vec![0, 0, 0, 1]],
        };
        let bytes = super::avro_encode(SCHEMA, &h).unwrap();
        assert_eq!(super::avro_decode::<Hashes>(SCHEMA, &bytes).unwrap(), h);
        let none = Hashes { other: None, ..h };
        let bytes = super::avro_encode(SCHEMA, &none).unwrap();
        assert_eq!(super::avro_decode::<Hashes>(SCHEMA, &bytes).unwrap(), none);
    }
}
