//! [`AesGcmKeys`]: the local AES-256-GCM key provider for PII fields
//! (feature `pii`); a KMS-backed [`KeyProvider`] needs no feature.

use std::collections::BTreeMap;
use std::fmt;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};

use crate::pii::{KeyProvider, PiiError, Sealed};

/// AES-256-GCM (RustCrypto `aes-gcm`) with named keys: new values are sealed
/// with the current key; any known key opens (rotation).
#[derive(Clone)]
pub struct AesGcmKeys {
    current: String,
    keys: BTreeMap<String, Key<Aes256Gcm>>,
}

impl fmt::Debug for AesGcmKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesGcmKeys")
            .field("current", &self.current)
            .field("keys", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl AesGcmKeys {
    /// Keys with `key` (32 bytes) as the current key `key_id`.
    pub fn new(key_id: impl Into<String>, key: [u8; 32]) -> Self {
        let key_id = key_id.into();
        let mut keys = BTreeMap::new();
        keys.insert(key_id.clone(), Key::<Aes256Gcm>::from(key));
        AesGcmKeys {
            current: key_id,
            keys,
        }
    }

    /// A fresh random key (local runs and tests).
    pub fn generate(key_id: impl Into<String>) -> Self {
        let key = Aes256Gcm::generate_key(OsRng);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(key.as_slice());
        AesGcmKeys::new(key_id, bytes)
    }

    /// Also accept `key` (an older key) when opening.
    pub fn with_key(mut self, key_id: impl Into<String>, key: [u8; 32]) -> Self {
        self.keys.insert(key_id.into(), Key::<Aes256Gcm>::from(key));
        self
    }
}

impl KeyProvider for AesGcmKeys {
    fn scheme(&self) -> &str {
        "aes-256-gcm"
    }

    fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Sealed, PiiError> {
        let key = self
            .keys
            .get(&self.current)
            .ok_or_else(|| PiiError::UnknownKey(self.current.clone()))?;
        let cipher = Aes256Gcm::new(key);
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|e| PiiError::Crypto(e.to_string()))?;
        Ok(Sealed {
            alg: self.scheme().to_owned(),
            key_id: self.current.clone(),
            nonce: nonce.to_vec(),
            ciphertext,
        })
    }

    fn open(&self, aad: &[u8], sealed: &Sealed) -> Result<Vec<u8>, PiiError> {
        let key = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| PiiError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.nonce.len() != 12 {
            return Err(PiiError::Crypto("nonce must be 12 bytes".to_owned()));
        }
        let cipher = Aes256Gcm::new(key);
        cipher
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad,
                },
            )
            .map_err(|_| {
                PiiError::Crypto("cannot open the value (wrong key or tampered data)".to_owned())
            })
    }
}

// Sealing and opening through `pii` with this provider.
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::AesGcmKeys;
    use crate::pii::tests::FIELDS;
    use crate::pii::{open_fields, seal_fields};

    #[test]
    fn seals_and_opens_nested_fields_and_binds_them_to_the_event() {
        let keys = AesGcmKeys::generate("k1");
        let original =
            serde_json::json!({"ip": "10.0.0.1", "user": {"email": "a@b.c"}, "user_id": "u1"});
        let mut v = original.clone();
        assert!(seal_fields(FIELDS, "e1", &mut v, Some(&keys)).unwrap());
        let text = v.to_string();
        assert!(
            !text.contains("10.0.0.1") && !text.contains("a@b.c"),
            "{text}"
        );
        assert!(text.contains("u1"));
        // Another event id (AAD) does not open it.
        let mut moved = v.clone();
        assert!(open_fields(FIELDS, "e2", &mut moved, Some(&keys)).is_err());
        // Another key does not open it.
        let mut other = v.clone();
        assert!(open_fields(FIELDS, "e1", &mut other, Some(&AesGcmKeys::generate("k1"))).is_err());
        open_fields(FIELDS, "e1", &mut v, Some(&keys)).unwrap();
        assert_eq!(v, original);
    }
}
