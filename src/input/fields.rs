//! JSON read field by field: a [`FieldSet`] reads the keys of an object it knows, [`Scalar`]
//! and [`Loose`] keep what a reader needs of a value and what kind of value it was, for the
//! error message, without building a `serde_json::Value` of every record (most of reading a
//! large file went into building and dropping them).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The fields a reader keeps of a JSON object.
pub(super) trait FieldSet<'de>: Default {
    /// Reads the value of `key` from `map` when the set keeps that field; `false` when it
    /// does not, and the value is skipped.
    fn read<M: MapAccess<'de>>(&mut self, key: &str, map: &mut M) -> Result<bool, M::Error>;
}

/// A [`FieldSet`] from a JSON object: every key it keeps, in order (as in a `Value`, a
/// repeated key keeps its last value), the rest skipped without being built.
pub(super) fn deserialize_fields<'de, T: FieldSet<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Visit<T>(PhantomData<T>);
    impl<'de, T: FieldSet<'de>> Visitor<'de> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
            let mut fields = T::default();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if !fields.read(&key, &mut map)? {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(fields)
        }
    }
    deserializer.deserialize_map(Visit(PhantomData))
}

/// A JSON value read as a `T` when it is an object, else as a [`Scalar`].
pub(super) enum Loose<'a, T> {
    Object(T),
    Scalar(Scalar<'a>),
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Loose<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Visit<T> {
            type Value = Loose<'de, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Loose::Object)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
                ScalarVisit.visit_seq(seq).map(Loose::Scalar)
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                ScalarVisit.visit_borrowed_str(text).map(Loose::Scalar)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                ScalarVisit.visit_str(text).map(Loose::Scalar)
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                ScalarVisit.visit_string(text).map(Loose::Scalar)
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
                ScalarVisit.visit_bool(value).map(Loose::Scalar)
            }
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
                ScalarVisit.visit_i64(number).map(Loose::Scalar)
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
                ScalarVisit.visit_u64(number).map(Loose::Scalar)
            }
            fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
                ScalarVisit.visit_f64(number).map(Loose::Scalar)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                ScalarVisit.visit_unit().map(Loose::Scalar)
            }
        }
        deserializer.deserialize_any(Visit(PhantomData))
    }
}

/// A field as whatever JSON it holds: a string borrowed from the input when it has no escapes,
/// a number as written, a boolean, null, or only what else it is.
#[derive(Default)]
pub(super) enum Scalar<'a> {
    #[default]
    Absent,
    Null,
    Str(Cow<'a, str>),
    Number(serde_json::Number),
    Bool(bool),
    Other(&'static str),
}

impl Scalar<'_> {
    pub(super) fn is_absent(&self) -> bool {
        matches!(self, Scalar::Absent)
    }

    pub(super) fn str(&self) -> Option<&str> {
        match self {
            Scalar::Str(text) => Some(text),
            _ => None,
        }
    }

    /// An id: a non-empty string (trimmed), or a number.
    pub(super) fn id(&self) -> Option<String> {
        match self {
            Scalar::Str(id) if !id.trim().is_empty() => Some(id.trim().to_string()),
            Scalar::Number(id) => Some(id.to_string()),
            _ => None,
        }
    }

    /// What the value is, as [`describe`](super::describe) says it.
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Scalar::Absent | Scalar::Null => "null",
            Scalar::Str(_) => "a string",
            Scalar::Number(_) => "a number",
            Scalar::Bool(_) => "a boolean",
            Scalar::Other(kind) => kind,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisit)
    }
}

struct ScalarVisit;

impl<'de> Visitor<'de> for ScalarVisit {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(text)))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(text.to_string())))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(text)))
    }
    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(number.into()))
    }
    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(number.into()))
    }
    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Scalar<'de>, E> {
        Ok(serde_json::Number::from_f64(number).map_or(Scalar::Other("a number"), Scalar::Number))
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(value))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Scalar<'de>, S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an array"))
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Scalar<'de>, M::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an object"))
    }
}
