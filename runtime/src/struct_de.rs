//! `Deserialize` and `Serialize` for generated payload structs, from one
//! `onex::__private::serde_struct!` call per struct instead of serde's
//! derives (`Serialize` below).
//!
//! serde's derive writes, per struct, a field enum with its own visitor and
//! `Deserialize` impl, a sequence visitor and a map visitor, each with code
//! per field: some 470 lines for a synthetic payload, more than half of all
//! the code rustc type-checks in a generated crate. Here a struct gets one
//! map visitor, a `match` arm and a local per field, and everything else is
//! generic code in this module, type-checked once. Behaviour is the derive's
//! for the attributes generated payloads use: keys matched by wire name
//! (unknown ones ignored), duplicate keys rejected, an absent `Option` field
//! read as `None` unless the field is required, `default`, and the
//! `Option<Option<T>>` fields that keep `null` apart from absent. A struct
//! reads from a map only (JSON objects, Avro records), not from a sequence.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};

/// Reads a map key as the index of a field: by wire name through `index`
/// (a `match` on the names, which the compiler turns into a few integer
/// comparisons; a scan of `names` cost serde_json decoding twice the
/// derive's time), `usize::MAX` for any other key.
#[derive(Clone, Copy, Debug)]
pub struct FieldIndex {
    /// The fields' wire names, in order.
    pub names: &'static [&'static str],
    /// A wire name's index in `names`, or `usize::MAX`.
    pub index: fn(&str) -> usize,
}

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok((self.index)(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(v).map_or(usize::MAX, self.index))
    }

    // As serde's derive: formats that name fields by number.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        Ok(usize::try_from(v)
            .ok()
            .filter(|&i| i < self.names.len())
            .unwrap_or(usize::MAX))
    }
}

/// Skips the value of a key that names no field.
///
/// # Errors
/// The deserializer's, for a malformed value.
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads a field's value into its slot; a second value for it is an error.
///
/// # Errors
/// A duplicate field, or the deserializer's error for the value.
#[inline]
pub fn read<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    fill(slot, name, || map.next_value())
}

/// Reads an `Option<Option<T>>` field: present (`null` too) is `Some(_)`.
///
/// # Errors
/// A duplicate field, or the deserializer's error for the value.
#[inline]
pub fn read_double<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<Option<T>>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    fill(slot, name, || map.next_value::<Option<T>>().map(Some))
}

/// Puts `value()` into an empty slot; a full one means a duplicate key.
#[inline]
fn fill<V, E: de::Error>(
    slot: &mut Option<V>,
    name: &'static str,
    value: impl FnOnce() -> Result<V, E>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(value()?);
    Ok(())
}

/// A field's value, or for an absent field what serde's derive gives: `None`
/// for an `Option`, else a missing-field error.
///
/// # Errors
/// An absent field that is not an `Option`.
#[inline]
pub fn plain<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// A field's value; absent is an error even for an `Option` (a required
/// property that may be `null`).
///
/// # Errors
/// An absent field.
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| de::Error::missing_field(name))
}

/// A field's value, or its type's default when absent (`#[serde(default)]`).
///
/// # Errors
/// Never; `Result` for the macro's sake.
#[inline]
pub fn or_default<T: Default, E>(slot: Option<T>, _name: &'static str) -> Result<T, E> {
    Ok(slot.unwrap_or_default())
}

/// An `Option<Option<T>>` field (read by [`read_double`]): absent is `None`.
///
/// # Errors
/// Never; `Result` for the macro's sake.
#[inline]
pub fn double<T, E>(
    slot: Option<Option<Option<T>>>,
    _name: &'static str,
) -> Result<Option<Option<T>>, E> {
    Ok(slot.flatten())
}

/// The value of an absent field: `None` to an `Option`, a missing-field
/// error to anything else (serde's derive does the same).
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// `serde_struct!`'s fields written always (no `skip_serializing_if`).
pub mod always {
    use serde::Serialize;
    use serde::ser::SerializeStruct;

    /// How many entries the field writes: one.
    #[inline]
    #[must_use]
    pub fn count<T: ?Sized>(_value: &T) -> usize {
        1
    }

    /// Writes the field.
    ///
    /// # Errors
    /// The serializer's.
    #[inline]
    pub fn field<S: SerializeStruct, T: Serialize + ?Sized>(
        s: &mut S,
        name: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        s.serialize_field(name, value)
    }
}

/// `serde_struct!`'s `Option` fields skipped when `None`
/// (`skip_serializing_if = "Option::is_none"`).
pub mod if_some {
    use serde::Serialize;
    use serde::ser::SerializeStruct;

    /// How many entries the field writes: one if it is `Some`.
    #[inline]
    #[must_use]
    pub fn count<T>(value: &Option<T>) -> usize {
        usize::from(value.is_some())
    }

    /// Writes the field if it is `Some`, else tells the serializer it is skipped.
    ///
    /// # Errors
    /// The serializer's.
    #[inline]
    pub fn field<S: SerializeStruct, T: Serialize>(
        s: &mut S,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        if value.is_some() {
            s.serialize_field(name, value)
        } else {
            s.skip_field(name)
        }
    }
}

/// serde's `Deserialize` and/or `Serialize` for a struct with named fields:
/// `serde_struct! { de ser Name { index field = "wire name" read write, ... } }`
/// (`de`, `ser` or both say which impls), where `index` counts from 0 in
/// field order, `read` is `plain`, `required`, `or_default` or `double` and
/// `write` is `always` or `if_some` (the functions and modules of those
/// names). Fields are read from a map only, keys by wire name; written in
/// order.
#[doc(hidden)]
#[macro_export]
macro_rules! __onex_serde_struct {
    (de ser $ty:ident { $($body:tt)* }) => {
        $crate::__onex_serde_struct!(@de $ty { $($body)* });
        $crate::__onex_serde_struct!(@ser $ty { $($body)* });
    };
    (de $ty:ident { $($body:tt)* }) => {
        $crate::__onex_serde_struct!(@de $ty { $($body)* });
    };
    (ser $ty:ident { $($body:tt)* }) => {
        $crate::__onex_serde_struct!(@ser $ty { $($body)* });
    };
    (@de $ty:ident {
        $($index:literal $field:ident = $wire:literal $read:ident $write:ident),* $(,)?
    }) => {
        const _: () = {
            use $crate::__private::struct_de as __de;
            use $crate::__private::serde as __serde;
            const FIELDS: &[&str] = &[$($wire),*];
            fn __field(name: &::core::primitive::str) -> ::core::primitive::usize {
                match name {
                    $($wire => $index,)*
                    _ => ::core::primitive::usize::MAX,
                }
            }
            struct __Visitor;
            impl<'de> __serde::de::Visitor<'de> for __Visitor {
                type Value = $ty;
                fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(::core::concat!("struct ", ::core::stringify!($ty)))
                }
                // `?` written as `match`: no `From` to select per field. The
                // type parameter is `__A`: a payload type may be called `A`.
                fn visit_map<__A: __serde::de::MapAccess<'de>>(
                    self,
                    mut map: __A,
                ) -> ::core::result::Result<$ty, __A::Error> {
                    $(let mut $field = ::core::option::Option::None;)*
                    loop {
                        let key = __de::FieldIndex { names: FIELDS, index: __field };
                        let i = match map.next_key_seed(key) {
                            ::core::result::Result::Ok(::core::option::Option::Some(i)) => i,
                            ::core::result::Result::Ok(::core::option::Option::None) => break,
                            ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                        };
                        let read = $crate::__onex_serde_struct!(@read map i; $($index $field $wire $read),*);
                        if let ::core::result::Result::Err(e) = read {
                            return ::core::result::Result::Err(e);
                        }
                    }
                    ::core::result::Result::Ok($ty {
                        $($field: match __de::$read::<_, __A::Error>($field, $wire) {
                            ::core::result::Result::Ok(v) => v,
                            ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                        },)*
                    })
                }
            }
            impl<'de> __serde::Deserialize<'de> for $ty {
                fn deserialize<D: __serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::core::result::Result<Self, D::Error> {
                    deserializer.deserialize_struct(::core::stringify!($ty), FIELDS, __Visitor)
                }
            }
        };
    };
    (@read $map:ident $i:ident; $($index:literal $field:ident $wire:literal $read:ident),*) => {
        match $i {
            $($index => $crate::__onex_serde_struct!(@one $read $map $field $wire),)*
            _ => __de::skip_value(&mut $map),
        }
    };
    (@one double $map:ident $field:ident $wire:literal) => {
        __de::read_double(&mut $map, &mut $field, $wire)
    };
    (@one $read:ident $map:ident $field:ident $wire:literal) => {
        __de::read(&mut $map, &mut $field, $wire)
    };
    (@ser $ty:ident {
        $($index:literal $field:ident = $wire:literal $read:ident $write:ident),* $(,)?
    }) => {
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use $crate::__private::serde::ser::SerializeStruct as _;
                // (`mut` is unused for a struct without fields.)
                #[allow(unused_mut)]
                let mut s = serializer.serialize_struct(
                    ::core::stringify!($ty),
                    0 $(+ $crate::__private::struct_de::$write::count(&self.$field))*,
                )?;
                $($crate::__private::struct_de::$write::field(&mut s, $wire, &self.$field)?;)*
                s.end()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    //! The macros against serde's derives on the same struct: every input
    //! gives the same value or an error with the same message, and the
    //! same JSON back.
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct DerivedInner {
        n: u8,
    }

    #[derive(Deserialize, Serialize)]
    struct Twin {
        id: String,
        #[serde(rename = "item-id", skip_serializing_if = "Option::is_none")]
        item_id: Option<i64>,
        #[serde(deserialize_with = "Option::deserialize")]
        nullable: Option<String>,
        #[serde(
            default,
            deserialize_with = "crate::__private::double_option",
            skip_serializing_if = "Option::is_none"
        )]
        tri: Option<Option<String>>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        labels: Option<Vec<String>>,
        r#type: DerivedInner,
    }

    #[derive(Debug, PartialEq)]
    struct Lean {
        id: String,
        item_id: Option<i64>,
        nullable: Option<String>,
        tri: Option<Option<String>>,
        tags: Vec<String>,
        labels: Option<Vec<String>>,
        r#type: Inner,
    }

    #[derive(Debug, PartialEq)]
    struct Inner {
        n: u8,
    }

    crate::__private::serde_struct! {
        de ser Lean {
            0 id = "id" plain always,
            1 item_id = "item-id" plain if_some,
            2 nullable = "nullable" required always,
            3 tri = "tri" double if_some,
            4 tags = "tags" or_default always,
            5 labels = "labels" plain if_some,
            6 r#type = "type" plain always,
        }
    }

    crate::__private::serde_struct! { de ser Inner { 0 n = "n" plain always } }

    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::__private::serde_struct! { de ser Empty {} }

    #[test]
    fn an_empty_struct_reads_any_object() {
        let e: Result<Empty, _> = serde_json::from_str(r#"{"x":[1,{"y":null}],"z":2}"#);
        assert_eq!(e.ok(), Some(Empty {}));
        assert_eq!(serde_json::to_string(&Empty {}).ok().as_deref(), Some("{}"));
    }

    /// `json` read by serde's derive on a twin of `Lean`.
    fn derived(json: &str) -> Result<Lean, String> {
        serde_json::from_str::<Twin>(json)
            .map(|t| Lean {
                id: t.id,
                item_id: t.item_id,
                nullable: t.nullable,
                tri: t.tri,
                tags: t.tags,
                labels: t.labels,
                r#type: Inner { n: t.r#type.n },
            })
            .map_err(|e| {
                e.to_string()
                    .replace("Twin", "Lean")
                    .replace("DerivedInner", "Inner")
            })
    }

    #[test]
    fn reads_as_serde_derive_does() {
        let cases = [
            r#"{"id":"a","nullable":null,"type":{"n":1}}"#,
            r#"{"id":"a","item-id":7,"nullable":"x","tri":null,"tags":["t"],"labels":[],"type":{"n":1}}"#,
            r#"{"id":"a","nullable":"x","tri":"v","labels":null,"type":{"n":1},"extra":[1,{"z":2}]}"#,
            r#"{"id":"a","type":{"n":1}}"#,
            r#"{"nullable":null,"type":{"n":1}}"#,
            r#"{"id":"a","id":"b","nullable":null,"type":{"n":1}}"#,
            r#"{"id":"a","tri":null,"tri":null,"nullable":null,"type":{"n":1}}"#,
            r#"{"id":"a","nullable":null,"type":{"n":300}}"#,
            r#"{"id":1,"nullable":null,"type":{"n":1}}"#,
            r#"{"id":"a","nullable":null,"type":{}}"#,
            r#"{"id":"a","nullable":null,"type":{"n":1},"item_id":5}"#,
            r#"["a",1,null,null,[],null,{"n":1}]"#,
            r#"null"#,
            r#"{"id":"a","nullable":null,"type":{"n":1}"#,
        ];
        for json in cases {
            let lean = serde_json::from_str::<Lean>(json).map_err(|e| e.to_string());
            let derived = derived(json);
            match (&lean, &derived) {
                (Ok(l), Ok(d)) => {
                    assert_eq!(l, d, "{json}");
                    // Written back as the derive writes it.
                    let twin: Twin = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(
                        serde_json::to_string(l).ok(),
                        serde_json::to_string(&twin).ok(),
                        "{json}"
                    );
                }
                (Err(l), Err(d)) if json.starts_with('[') => {
                    // serde's derive reads a struct from a sequence too;
                    // generated payloads are objects (or Avro records).
                    assert!(l.contains("invalid type: sequence"), "{json}: {l} / {d}");
                }
                (Err(l), Err(d)) => assert_eq!(l, d, "{json}"),
                (Err(l), Ok(_)) if json.starts_with('[') => {
                    assert!(l.contains("invalid type: sequence"), "{json}: {l}");
                }
                _ => panic!("{json}: lean {lean:?}, derive {derived:?}"),
            }
        }
    }

    #[test]
    fn absent_null_and_value_stay_apart() {
        let read = |tri: &str| {
            let json = format!(r#"{{"id":"a","nullable":null,"type":{{"n":1}}{tri}}}"#);
            serde_json::from_str::<Lean>(&json).map(|l| l.tri)
        };
        assert_eq!(read("").ok(), Some(None));
        assert_eq!(read(r#","tri":null"#).ok(), Some(Some(None)));
        assert_eq!(read(r#","tri":"v""#).ok(), Some(Some(Some("v".to_owned()))));
    }
}
