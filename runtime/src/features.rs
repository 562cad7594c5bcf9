//! One clear error when generated code needs a runtime feature the
//! consuming crate did not enable: generated code calls these macros once
//! per payload format its catalog uses, and without the feature they expand
//! to a `compile_error!` that names it (instead of dozens of errors about
//! `prost` or `avro_encode` missing from `onex::__private`).

/// Expands to nothing with the `protobuf` feature, else to an error.
#[doc(hidden)]
#[macro_export]
#[cfg(feature = "protobuf")]
macro_rules! __onex_require_protobuf {
    () => {};
}

/// Expands to nothing with the `protobuf` feature, else to an error.
#[doc(hidden)]
#[macro_export]
#[cfg(not(feature = "protobuf"))]
macro_rules! __onex_require_protobuf {
    () => {
        ::core::compile_error!(
            "this catalog has Protobuf payloads: enable the `protobuf` feature of `onex` (`onex = { version = \"..\", features = [\"protobuf\"] }` in Cargo.toml)"
        );
    };
}

/// Expands to nothing with the `avro` feature, else to an error.
#[doc(hidden)]
#[macro_export]
#[cfg(feature = "avro")]
macro_rules! __onex_require_avro {
    () => {};
}

/// Expands to nothing with the `avro` feature, else to an error.
#[doc(hidden)]
#[macro_export]
#[cfg(not(feature = "avro"))]
macro_rules! __onex_require_avro {
    () => {
        ::core::compile_error!(
            "this catalog has Avro payloads: enable the `avro` feature of `onex` (`onex = { version = \"..\", features = [\"avro\"] }` in Cargo.toml)"
        );
    };
}
