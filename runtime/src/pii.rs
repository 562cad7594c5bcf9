//! PII at run time (seed 000 "Security and Privacy": PII in the value only,
//! `high` requires envelope encryption). Fields whose contract declares
//! `encryption:` are sealed with an AEAD before they leave the process and
//! opened on the way in; a record whose key or headers would carry a `high`
//! value is refused. Keys come from a [`KeyProvider`], so production can plug
//! in a KMS while tests and local runs use [`AesGcmKeys`].

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

use crate::policy::{PiiField, PiiLevel};

/// The marker of an encrypted field value on the wire.
pub const ENCRYPTED_MARKER: &str = "$encrypted";

/// Why a PII rule stopped a record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PiiError {
    /// A field must be encrypted and no key provider is configured.
    NoKeyProvider {
        /// Field path.
        field: String,
    },
    /// The key would carry a `high` field.
    HighInKey {
        /// Field path.
        field: String,
    },
    /// A header would carry a `high` field.
    HighInHeader {
        /// Field path.
        field: String,
        /// Header name.
        header: String,
    },
    /// Field encryption is defined on JSON values only.
    Unsupported {
        /// Field path.
        field: String,
        /// Schema type of the topic.
        format: &'static str,
    },
    /// The key id is not known to the provider.
    UnknownKey(String),
    /// Sealing or opening failed (wrong key, tampered data, bad encoding).
    Crypto(String),
}

impl fmt::Display for PiiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PiiError::NoKeyProvider { field } => write!(
                f,
                "field `{field}` is PII with `encryption:` in its contract; configure a key provider (`Codec::with_keys`)"
            ),
            PiiError::HighInKey { field } => write!(
                f,
                "the record key would carry `high` PII field `{field}`; PII belongs in the value only (seed 000)"
            ),
            PiiError::HighInHeader { field, header } => write!(
                f,
                "header `{header}` would carry `high` PII field `{field}`; PII belongs in the value only (seed 000)"
            ),
            PiiError::Unsupported { field, format } => write!(
                f,
                "field `{field}` must be encrypted, and onex encrypts fields of JSON topics only (this topic is {format})"
            ),
            PiiError::UnknownKey(k) => write!(f, "key `{k}` is not known to the key provider"),
            PiiError::Crypto(e) => write!(f, "field encryption failed: {e}"),
        }
    }
}

impl std::error::Error for PiiError {}

/// An encrypted field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    /// Algorithm (`aes-256-gcm`).
    pub alg: String,
    /// Key id.
    pub key_id: String,
    /// Nonce.
    pub nonce: Vec<u8>,
    /// Ciphertext with its tag.
    pub ciphertext: Vec<u8>,
}

/// Seals and opens PII fields: a KMS in production, [`AesGcmKeys`] locally.
pub trait KeyProvider: Send + Sync + fmt::Debug {
    /// The `x-encryption-scheme` header value.
    fn scheme(&self) -> &str;
    /// Encrypt `plaintext`, binding it to `aad`.
    fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Sealed, PiiError>;
    /// Decrypt, checking `aad`.
    fn open(&self, aad: &[u8], sealed: &Sealed) -> Result<Vec<u8>, PiiError>;
}

fn sealed_to_json(s: &Sealed) -> Value {
    let mut inner = serde_json::Map::new();
    inner.insert("alg".into(), Value::String(s.alg.clone()));
    inner.insert("kid".into(), Value::String(s.key_id.clone()));
    inner.insert("iv".into(), Value::String(B64.encode(&s.nonce)));
    inner.insert("ct".into(), Value::String(B64.encode(&s.ciphertext)));
    let mut outer = serde_json::Map::new();
    outer.insert(ENCRYPTED_MARKER.into(), Value::Object(inner));
    Value::Object(outer)
}

fn sealed_from_json(v: &Value) -> Option<Result<Sealed, PiiError>> {
    let inner = v.as_object()?.get(ENCRYPTED_MARKER)?;
    let field = |k: &str| inner.get(k).and_then(Value::as_str);
    let bad = || PiiError::Crypto("malformed encrypted field".to_owned());
    Some((|| {
        Ok(Sealed {
            alg: field("alg").ok_or_else(bad)?.to_owned(),
            key_id: field("kid").ok_or_else(bad)?.to_owned(),
            nonce: B64
                .decode(field("iv").ok_or_else(bad)?)
                .map_err(|_| bad())?,
            ciphertext: B64
                .decode(field("ct").ok_or_else(bad)?)
                .map_err(|_| bad())?,
        })
    })())
}

/// Apply `f` to every value at dotted `path` under `root` (through arrays).
fn at_path(
    root: &mut Value,
    path: &[&str],
    f: &mut dyn FnMut(&mut Value) -> Result<(), PiiError>,
) -> Result<(), PiiError> {
    match root {
        Value::Array(items) => {
            for item in items {
                at_path(item, path, f)?;
            }
            Ok(())
        }
        Value::Object(map) => match path.split_first() {
            Some((first, rest)) => match map.get_mut(*first) {
                Some(v) if rest.is_empty() => {
                    if v.is_null() {
                        Ok(())
                    } else {
                        f(v)
                    }
                }
                Some(v) => at_path(v, rest, f),
                None => Ok(()),
            },
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn aad(event_id: &str, field: &str) -> Vec<u8> {
    format!("onex:{event_id}:{field}").into_bytes()
}

/// Seal every field of `fields` that declares `encryption:` in `payload`.
pub(crate) fn seal_fields(
    fields: &[PiiField],
    event_id: &str,
    payload: &mut Value,
    keys: Option<&dyn KeyProvider>,
) -> Result<bool, PiiError> {
    let mut any = false;
    for pf in fields.iter().filter(|f| f.encryption.is_some()) {
        let keys = keys.ok_or_else(|| PiiError::NoKeyProvider {
            field: pf.path.to_owned(),
        })?;
        let path: Vec<&str> = pf.path.split('.').collect();
        let aad = aad(event_id, pf.path);
        at_path(payload, &path, &mut |v| {
            let plain = serde_json::to_vec(v).map_err(|e| PiiError::Crypto(e.to_string()))?;
            *v = sealed_to_json(&keys.seal(&aad, &plain)?);
            any = true;
            Ok(())
        })?;
    }
    Ok(any)
}

/// Open every sealed field of `payload`.
pub(crate) fn open_fields(
    fields: &[PiiField],
    event_id: &str,
    payload: &mut Value,
    keys: Option<&dyn KeyProvider>,
) -> Result<(), PiiError> {
    for pf in fields.iter().filter(|f| f.encryption.is_some()) {
        let path: Vec<&str> = pf.path.split('.').collect();
        let aad = aad(event_id, pf.path);
        at_path(payload, &path, &mut |v| {
            let Some(sealed) = sealed_from_json(v) else {
                return Ok(());
            };
            let keys = keys.ok_or_else(|| PiiError::NoKeyProvider {
                field: pf.path.to_owned(),
            })?;
            let plain = keys.open(&aad, &sealed?)?;
            *v = serde_json::from_slice(&plain).map_err(|e| PiiError::Crypto(e.to_string()))?;
            Ok(())
        })?;
    }
    Ok(())
}

/// The text of every `high` field value of `payload`, by field path.
pub(crate) fn high_values(fields: &[PiiField], payload: &Value) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for pf in fields.iter().filter(|f| f.level == PiiLevel::High) {
        let path: Vec<&str> = pf.path.split('.').collect();
        let mut copy = payload.clone();
        let _ = at_path(&mut copy, &path, &mut |v| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !text.is_empty() {
                out.push((pf.path, text));
            }
            Ok(())
        });
    }
    out
}

/// Refuse a record whose key or headers carry a `high` value.
pub(crate) fn check_key_and_headers(
    fields: &[PiiField],
    key_field: &str,
    payload: &Value,
    key: &[u8],
    headers: &[(String, Vec<u8>)],
) -> Result<(), PiiError> {
    if let Some(f) = fields
        .iter()
        .find(|f| f.level == PiiLevel::High && f.path == key_field)
    {
        return Err(PiiError::HighInKey {
            field: f.path.to_owned(),
        });
    }
    for (field, text) in high_values(fields, payload) {
        if key == text.as_bytes() {
            return Err(PiiError::HighInKey {
                field: field.to_owned(),
            });
        }
        if let Some((h, _)) = headers.iter().find(|(_, v)| v == text.as_bytes()) {
            return Err(PiiError::HighInHeader {
                field: field.to_owned(),
                header: h.clone(),
            });
        }
    }
    Ok(())
}

/// Stands in for a redacted value in generated `Debug` output.
pub const REDACTED: &str = "<redacted: pii high>";

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// Also used by `aes_keys`' tests.
    pub(crate) const FIELDS: &[PiiField] = &[
        PiiField {
            path: "ip",
            level: PiiLevel::High,
            encryption: Some("kms-envelope"),
        },
        PiiField {
            path: "user.email",
            level: PiiLevel::High,
            encryption: Some("kms-envelope"),
        },
        PiiField {
            path: "user_id",
            level: PiiLevel::Low,
            encryption: None,
        },
    ];

    #[test]
    fn refuses_high_values_in_keys_and_headers() {
        let v = serde_json::json!({"ip": "10.0.0.1", "user_id": "u1"});
        assert!(check_key_and_headers(FIELDS, "user_id", &v, b"u1", &[]).is_ok());
        assert!(matches!(
            check_key_and_headers(FIELDS, "ip", &v, b"x", &[]),
            Err(PiiError::HighInKey { .. })
        ));
        assert!(matches!(
            check_key_and_headers(FIELDS, "user_id", &v, b"10.0.0.1", &[]),
            Err(PiiError::HighInKey { .. })
        ));
        let headers = vec![("x-actor".to_owned(), b"10.0.0.1".to_vec())];
        assert!(matches!(
            check_key_and_headers(FIELDS, "user_id", &v, b"u1", &headers),
            Err(PiiError::HighInHeader { .. })
        ));
    }
}
