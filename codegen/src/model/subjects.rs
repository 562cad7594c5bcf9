//! Schema-registry subject names of a topic under Confluent's naming
//! strategies: the one place generated code, `subjects.json`, the docs, the
//! AsyncAPI export and the breaking check take them from.

use serde::Serialize;

use crate::model::catalog::{KeySource, Topic};
#[cfg(any(feature = "protobuf", feature = "avro"))]
use crate::model::payload::Parsed;
use crate::model::payload::SchemaFormat;
use crate::model::vocab::SubjectStrategy;

/// A topic's subjects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subjects {
    /// The value subject.
    pub value: String,
    /// The key subject; `None` for a keyless topic, whose records carry no
    /// key to register a schema for.
    pub key: Option<String>,
}

impl Topic {
    /// The name the `record_name` strategies give the payload: the Avro
    /// record's or Protobuf message's full name, or a JSON Schema's `title`.
    /// `None` when the payload has none (an Avro root that is not a record,
    /// a JSON Schema without a title): its value subject then stays
    /// `<topic>-value`.
    pub fn record_name(&self) -> Option<String> {
        let p = &self.schema.payload;
        match &p.parsed {
            #[cfg(feature = "avro")]
            Parsed::Avro(a) => (!a.record.is_empty()).then(|| a.record.clone()),
            #[cfg(feature = "protobuf")]
            Parsed::Protobuf(pb) => {
                let package = pb
                    .file_descriptor()
                    .map(|f| f.package())
                    .unwrap_or_default();
                Some(if package.is_empty() {
                    pb.message.clone()
                } else {
                    format!("{package}.{}", pb.message)
                })
            }
            _ => (p.format == SchemaFormat::JsonSchema)
                .then(|| p.root.name.clone())
                .flatten(),
        }
    }

    /// The topic's subjects under `strategy` (names may hold `{env}` and
    /// `{tenant}`, as the topic's name does).
    pub fn subjects(&self, strategy: SubjectStrategy) -> Subjects {
        let topic = self.name.to_string();
        let value = match (strategy, self.record_name()) {
            (SubjectStrategy::RecordName, Some(r)) => r,
            (SubjectStrategy::TopicRecordName, Some(r)) => format!("{topic}-{r}"),
            _ => format!("{topic}-value"),
        };
        let key = (self.key.source != KeySource::None).then(|| format!("{topic}-key"));
        Subjects { value, key }
    }
}
