//! Enums of unit variants in generated payloads (JSON Schema `enum`s of
//! strings): the enum, its wire text both ways (`Display`, `FromStr`,
//! `TryFrom`) and serde, from one `onex::__private::string_enum!` call
//! instead of a copy of the same impls per enum. Serde behaves as
//! `#[derive(Serialize, Deserialize)]` with a `rename` per variant would:
//! a unit variant by its text (or, in formats that use them, its index).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, EnumAccess, VariantAccess, Visitor};

/// Deserialise one of `values`, named on the wire by `names` (same order),
/// the way serde's derive does for an enum of unit variants.
///
/// # Errors
///
/// The deserializer's error for anything but one of the names (or indices).
pub fn deserialize_unit_enum<'de, D, T>(
    deserializer: D,
    name: &'static str,
    names: &'static [&'static str],
    values: &'static [T],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Copy + 'static,
{
    deserializer.deserialize_enum(
        name,
        names,
        UnitEnum {
            name,
            names,
            values,
        },
    )
}

struct UnitEnum<T: 'static> {
    name: &'static str,
    names: &'static [&'static str],
    values: &'static [T],
}

impl<'de, T: Copy + 'static> Visitor<'de> for UnitEnum<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (index, variant) = data.variant_seed(Variant {
            names: self.names,
            marker: PhantomData,
        })?;
        variant.unit_variant()?;
        self.values
            .get(index)
            .copied()
            .ok_or_else(|| de::Error::custom("variant index out of range"))
    }
}

/// A variant identifier: its name, or its index.
struct Variant<'a> {
    names: &'static [&'static str],
    marker: PhantomData<&'a ()>,
}

impl<'de> de::DeserializeSeed<'de> for Variant<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Variant<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        usize::try_from(v)
            .ok()
            .filter(|i| *i < self.names.len())
            .ok_or_else(|| {
                de::Error::invalid_value(
                    de::Unexpected::Unsigned(v),
                    &format!("variant index 0 <= i < {}", self.names.len()).as_str(),
                )
            })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.names
            .iter()
            .position(|n| *n == v)
            .ok_or_else(|| de::Error::unknown_variant(v, self.names))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        match self.names.iter().position(|n| n.as_bytes() == v) {
            Some(i) => Ok(i),
            None => Err(de::Error::unknown_variant(
                &String::from_utf8_lossy(v),
                self.names,
            )),
        }
    }
}

/// An enum of unit variants with a wire text each: the enum (with the
/// derives typify gives such enums), `Display`, `FromStr`,
/// `TryFrom<&str>`/`TryFrom<String>` and serde.
#[doc(hidden)]
#[macro_export]
macro_rules! __onex_string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $ty:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $ty {
            $($(#[$vmeta])* $variant,)*
        }

        impl $ty {
            /// The wire text of this value.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = $crate::__private::error::ConversionError;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                match value {
                    $($text => ::core::result::Result::Ok(Self::$variant),)*
                    _ => ::core::result::Result::Err("invalid value".into()),
                }
            }
        }

        impl ::core::convert::TryFrom<&str> for $ty {
            type Error = $crate::__private::error::ConversionError;

            fn try_from(value: &str) -> ::core::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::core::convert::TryFrom<::std::string::String> for $ty {
            type Error = $crate::__private::error::ConversionError;

            fn try_from(value: ::std::string::String) -> ::core::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_unit_variant(stringify!($ty), *self as u32, self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_unit_enum(
                    deserializer,
                    stringify!($ty),
                    &[$($text),*],
                    &[$(Self::$variant),*],
                )
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    crate::__private::string_enum! {
        /// A test enum.
        pub enum Region { Eu = "eu-west", Us = "US" }
    }

    #[test]
    fn wire_text_both_ways() {
        assert_eq!(Region::Eu.to_string(), "eu-west");
        assert_eq!("US".parse::<Region>().unwrap(), Region::Us);
        assert_eq!(Region::try_from("eu-west").unwrap(), Region::Eu);
        assert_eq!(Region::try_from("US".to_owned()).unwrap(), Region::Us);
        assert_eq!(
            "us".parse::<Region>().map_err(|e| e.to_string()),
            Err("invalid value".to_owned())
        );
    }

    #[test]
    fn serde_as_the_derive_with_renames() {
        assert_eq!(serde_json::to_string(&Region::Eu).unwrap(), r#""eu-west""#);
        let r: Vec<Region> = serde_json::from_str(r#"["US", "eu-west"]"#).unwrap();
        assert_eq!(r, [Region::Us, Region::Eu]);
        let e = serde_json::from_str::<Region>(r#""Eu""#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown variant `Eu`, expected `eu-west` or `US` at line 1 column 4"
        );
        assert!(serde_json::from_str::<Region>("1").is_err());
    }
}
