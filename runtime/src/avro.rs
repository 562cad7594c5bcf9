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
    let value = apache_avro::to_value(payload)
        .map_err(fail)?
        .resolve(&schema)
        .map_err(fail)?;
    apache_avro::writer::datum::GenericDatumWriter::builder(&schema)
        .build()
        .map_err(fail)?
        .write_value_to_vec(value)
        .map_err(fail)
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
    apache_avro::from_value::<P>(&value).map_err(fail)
}
