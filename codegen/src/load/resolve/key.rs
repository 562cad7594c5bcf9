//! A topic's key: a required payload field, a text field of the catalog's
//! envelope, or none where onex.yaml lets the topic's class go keyless.
use super::*;
use crate::model::KeySource;
use crate::model::payload::PayloadSchema;

/// Envelope fields a key may not be taken from: `source`, `ttl` and
/// `metadata` are not text, `partition_key` is filled from the key, and
/// `payload` is no envelope field. Every other field may.
const NOT_KEYS: &[&str] = &["source", "partition_key", "ttl", "metadata", "payload"];

/// The envelope fields a key may be taken from, in the canonical order.
fn envelope_keys() -> Vec<&'static str> {
    ENVELOPE_FIELDS
        .iter()
        .copied()
        .filter(|f| !NOT_KEYS.contains(f))
        .collect()
}

/// What [`Resolver::key`] needs to know about the topic besides its contract.
pub(super) struct KeyContext<'a> {
    pub(super) payload: &'a PayloadSchema,
    pub(super) class: &'a str,
    pub(super) cleanup: CleanupPolicy,
    pub(super) cleanup_at: Option<Location>,
    pub(super) file_loc: &'a Location,
    /// Where `key:` is written.
    pub(super) key_at: Option<Location>,
}

impl Resolver<'_, '_> {
    /// The key of a topic, or `None` after reporting why it has none.
    pub(super) fn key(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        cx: &KeyContext<'_>,
        settings: &Settings,
    ) -> Option<Key> {
        let Some(spec) = &raw.key else {
            return self.keyless(file, cx, settings);
        };
        let key = |source, path: Vec<String>, ty| Key {
            source,
            path,
            ty,
            schema_file: spec.schema.as_ref().map(|s| s.value.clone()),
            description: spec.description.clone(),
        };
        match (&spec.field, &spec.envelope) {
            (Some(f), None) => {
                let ty = self.payload_key(file, f, cx.payload)?;
                Some(key(
                    KeySource::Payload,
                    f.value.split('.').map(str::to_owned).collect(),
                    ty,
                ))
            }
            (None, Some(e)) => {
                self.envelope_key(file, e, cx.class, settings)?;
                Some(key(
                    KeySource::Envelope,
                    vec![e.value.clone()],
                    FieldType::String { format: None },
                ))
            }
            (Some(_), Some(e)) => {
                self.push(file.attach(
                    Diagnostic::new(
                        Code::InvalidValue,
                        "`key:` names both a payload field and an envelope field".to_owned(),
                    )
                    .help("keep one: `field:` for a payload field, `envelope:` for an envelope field"),
                    loc(file, e),
                ));
                None
            }
            (None, None) => {
                self.push(file.attach(
                    Diagnostic::new(Code::InvalidValue, "`key:` names no field".to_owned())
                        .help("write `key: { field: <payload field> }` or `key: { envelope: correlation_id }`; omit `key:` for records without a key where the class allows it"),
                    cx.key_at.clone().unwrap_or_else(|| cx.file_loc.clone()),
                ));
                None
            }
        }
    }

    /// No `key:`: allowed where the class says `keyless: true`, and never
    /// for a compacted topic (compaction keeps the last record per key).
    fn keyless(
        &mut self,
        file: &SourceFile,
        cx: &KeyContext<'_>,
        settings: &Settings,
    ) -> Option<Key> {
        // An unknown class is reported already (E0306).
        let class = settings.classes.get(cx.class)?;
        if !class.keyless {
            self.push(file.attach(
                Diagnostic::new(
                    Code::KeyMissing,
                    format!(
                        "the contract names no `key:`, and class `{}` requires one",
                        cx.class
                    ),
                )
                .help(format!(
                    "add `key: {{ field: <payload field> }}` (or `key: {{ envelope: correlation_id }}`); if records of this class need no order, set `keyless: true` under `classes.{}` in onex.yaml",
                    cx.class
                )),
                cx.file_loc.clone(),
            ));
            return None;
        }
        if cx.cleanup != CleanupPolicy::Delete {
            self.push(file.attach(
                Diagnostic::new(
                    Code::KeylessCompacted,
                    "a keyless topic cannot be compacted: compaction keeps the last record of each key".to_owned(),
                )
                .help("add `key:`, or set `cleanup_policy: delete`"),
                cx.cleanup_at.clone().unwrap_or_else(|| cx.file_loc.clone()),
            ));
            return None;
        }
        Some(Key {
            source: KeySource::None,
            path: Vec::new(),
            ty: FieldType::Any,
            schema_file: None,
            description: None,
        })
    }

    /// `key.envelope` names a text field of the catalog's envelope; a field
    /// optional for the topic's class is a warning (producers refuse to
    /// send a record without it).
    fn envelope_key(
        &mut self,
        file: &SourceFile,
        e: &Located<String>,
        class: &str,
        settings: &Settings,
    ) -> Option<()> {
        let name = e.value.as_str();
        let at = loc(file, e);
        let keys = envelope_keys();
        if !keys.contains(&name) {
            let (code, message) = if ENVELOPE_FIELDS.contains(&name) && name != "payload" {
                (
                    Code::KeyFieldNotKeyLike,
                    format!(
                        "envelope field `{name}` cannot be a key: it is not a text field of every record"
                    ),
                )
            } else {
                (
                    Code::UnknownEnvelopeField,
                    format!("`key.envelope`: `{name}` is not a field of onex's envelope"),
                )
            };
            self.push(file.attach(
                Diagnostic::new(code, message).help(
                    match did_you_mean(name, keys.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("envelope keys: {}", keys.join(", ")),
                    },
                ),
                at,
            ));
            return None;
        }
        let envelope = settings.envelope.as_ref();
        if envelope.is_some_and(|env| !env.uses(name)) {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::UnknownEnvelopeField,
                        format!(
                            "`key.envelope`: `{name}` is not a field of this catalog's envelope"
                        ),
                    )
                    .help(format!(
                        "add `{name}` under `envelope.fields` in onex.yaml (required for `{class}`)"
                    )),
                    at,
                ),
            );
            return None;
        }
        let required = match envelope {
            Some(env) => env.required(class).contains(&name),
            None => crate::model::vocab::ENVELOPE_ALWAYS.contains(&name),
        };
        if !required {
            let help = if envelope.is_some() {
                format!(
                    "set `required: true` (or add `{class}` to `required_for`) under `envelope.fields.{name}` in onex.yaml"
                )
            } else {
                format!(
                    "declare the envelope in onex.yaml with `{name}` required for `{class}` (`envelope: {{ fields: {{ {name}: {{ required_for: [{class}] }} }} }}`)"
                )
            };
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::KeyEnvelopeOptional,
                        format!(
                            "the key is envelope field `{name}`, which records of class `{class}` may omit; producers refuse to send a record without it"
                        ),
                    )
                    .help(help),
                    at,
                ),
            );
        }
        Some(())
    }

    /// `key.field` is a required, key-like field of the payload record;
    /// its type.
    fn payload_key(
        &mut self,
        file: &SourceFile,
        kf: &Located<String>,
        payload: &PayloadSchema,
    ) -> Option<FieldType> {
        let at = loc(file, kf);
        let root = &payload.root;
        if let Some(shape) = &payload.root_type {
            self.push(file.attach(
                Diagnostic::new(
                    Code::KeyFieldAbsent,
                    format!(
                        "key field `{}` is not in the payload schema: its root is {}, which has no fields",
                        kf.value,
                        shape.describe()
                    ),
                )
                .help("key by an envelope field (`key: { envelope: correlation_id }`), or omit `key:` where the class allows keyless records"),
                at,
            ));
            return None;
        }
        match field_at(root, &kf.value) {
            Err((missing, candidates)) => {
                // A suggestion names the whole key path (`customer.id`,
                // not `id`): the missing segment replaced in place.
                let segs: Vec<&str> = kf.value.split('.').collect();
                let whole = |s: &str| match segs.iter().position(|g| *g == missing) {
                    Some(i) => segs
                        .iter()
                        .enumerate()
                        .map(|(j, g)| if j == i { s } else { g })
                        .collect::<Vec<_>>()
                        .join("."),
                    None => s.to_owned(),
                };
                let help = match did_you_mean(&missing, candidates.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{}`?", whole(s)),
                    None if candidates.is_empty() => {
                        "nested key paths go through object fields only".to_owned()
                    }
                    None => format!("payload fields: {}", candidates.join(", ")),
                };
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::KeyFieldAbsent,
                            format!("key field `{}` is not in the payload schema", kf.value),
                        )
                        .help(help),
                        at,
                    ),
                );
                None
            }
            Ok(_) if optional_on_path(root, &kf.value).is_some() => {
                let seg = optional_on_path(root, &kf.value).unwrap_or_default();
                let what = if seg == kf.value.as_str() {
                    format!("key field `{}` is optional in the payload schema", kf.value)
                } else {
                    format!(
                        "key field `{}` lies under `{seg}`, which is optional in the payload schema",
                        kf.value
                    )
                };
                let help = if payload.format == crate::model::payload::SchemaFormat::Protobuf {
                    // proto3 gives message fields and `oneof` members presence:
                    // they may be unset whatever the schema says.
                    "a record without its key cannot be partitioned: key on a scalar field of the payload message itself, outside any `oneof` and not `optional` (proto3 message fields may always be unset)"
                } else {
                    "a record without its key cannot be partitioned: make the field required (and not nullable)"
                };
                self.push(
                    file.attach(Diagnostic::new(Code::KeyFieldOptional, what).help(help), at),
                );
                None
            }
            Ok(_) if avro_fixed_key(payload, &kf.value).is_some() => {
                let fixed = avro_fixed_key(payload, &kf.value).unwrap_or_default();
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::KeyFieldNotKeyLike,
                            format!(
                                "key field `{}` is of Avro type `fixed` (`{fixed}`)",
                                kf.value
                            ),
                        )
                        .help(
                            "key by a string, int, long, bytes or enum field; for raw bytes, declare the key field `\"type\": \"bytes\"`",
                        ),
                        at,
                    ),
                );
                None
            }
            Ok(f) if !f.ty.is_key_like() => {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::KeyFieldNotKeyLike,
                            format!("key field `{}` is of type {}", kf.value, f.ty.describe()),
                        )
                        .help(
                            "key by a string, integer or enum field that carries domain identity",
                        ),
                        at,
                    ),
                );
                None
            }
            Ok(f) => Some(f.ty.clone()),
        }
    }
}

/// The full name of the Avro `fixed` type of the key field at `path`, if it
/// is one: the model reads a `fixed` as bytes, but only a `bytes` field
/// has a key encoding.
#[cfg(feature = "avro")]
fn avro_fixed_key(payload: &PayloadSchema, path: &str) -> Option<String> {
    use apache_avro::Schema;
    let crate::model::payload::Parsed::Avro(avro) = &payload.parsed else {
        return None;
    };
    let mut rec = avro.root()?;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        let f = rec.fields.iter().find(|f| f.name == seg)?;
        match (&f.schema, segs.peek()) {
            (Schema::Fixed(x), None) => return Some(x.name.fullname(None)),
            (Schema::Record(r), Some(_)) => rec = r,
            _ => return None,
        }
    }
    None
}

#[cfg(not(feature = "avro"))]
fn avro_fixed_key(_: &PayloadSchema, _: &str) -> Option<String> {
    None
}
