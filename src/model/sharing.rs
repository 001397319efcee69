//! Keeping shared `Arc`s shared through serialization, for the snapshot
//! cache (`workspace::cache`).
//!
//! A fresh load hands one `Arc<Policy>` to every place with the same
//! document (AWS managed policies repeat in every account's dump), and one
//! `Arc<str>` file name to every place of a file. Serde's own `Arc` support
//! writes each reference in full and reads each back as a separate copy: a
//! cached open would then hold several times the memory of a fresh load.
//!
//! Here each distinct `Arc` is written once, where it is first met, and every
//! later reference to it as its number in the order met; reading rebuilds
//! the same sharing. The tables live in thread-locals for the length of one
//! [`encoding`] or [`decoding`] call (serde offers no other way to carry state
//! through derived impls); outside those calls every reference is written in
//! full and read as its own `Arc`, so the derives stay usable anywhere.
//!
//! The module names no type of the crate, so the model types can use it
//! without an import cycle.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `Arc`s met so far while writing: address → number, per type.
#[derive(Default)]
struct EncodeTables {
    seen: HashMap<(TypeId, usize), u32>,
    counts: HashMap<TypeId, u32>,
}

/// The `Arc`s read so far, per type, in the order written.
#[derive(Default)]
struct DecodeTables {
    sized: HashMap<TypeId, Box<dyn Any>>,
    names: Vec<Arc<str>>,
}

thread_local! {
    static ENCODE: RefCell<Option<EncodeTables>> = const { RefCell::new(None) };
    static DECODE: RefCell<Option<DecodeTables>> = const { RefCell::new(None) };
}

/// Runs `write` (a serialization on this thread) with sharing kept.
pub fn encoding<R>(write: impl FnOnce() -> R) -> R {
    let previous = ENCODE.with(|t| t.replace(Some(EncodeTables::default())));
    let result = write();
    ENCODE.with(|t| t.replace(previous));
    result
}

/// Runs `read` (a deserialization on this thread) with sharing rebuilt.
pub fn decoding<R>(read: impl FnOnce() -> R) -> R {
    let previous = DECODE.with(|t| t.replace(Some(DecodeTables::default())));
    let result = read();
    DECODE.with(|t| t.replace(previous));
    result
}

/// A reference as written: the number of an `Arc` already written, or the
/// value itself the first time.
#[derive(Deserialize)]
enum Reference<T> {
    Seen(u32),
    New(T),
}

/// The number of the `Arc` at `address` if it was written already; else
/// records it as written now. `None` outside [`encoding`].
fn already_written(kind: TypeId, address: usize) -> Option<Option<u32>> {
    ENCODE.with(|tables| {
        let mut tables = tables.borrow_mut();
        let tables = tables.as_mut()?;
        if let Some(&n) = tables.seen.get(&(kind, address)) {
            return Some(Some(n));
        }
        let count = tables.counts.entry(kind).or_insert(0);
        tables.seen.insert((kind, address), *count);
        *count += 1;
        Some(None)
    })
}

fn write_reference<S: Serializer, T: Serialize + ?Sized>(
    kind: TypeId,
    address: usize,
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match already_written(kind, address) {
        Some(Some(n)) => serializer.serialize_newtype_variant("Reference", 0, "Seen", &n),
        _ => serializer.serialize_newtype_variant("Reference", 1, "New", value),
    }
}

/// `#[serde(with = "sharing::arc")]` for an `Arc<T>` field.
pub mod arc {
    use super::*;

    pub fn serialize<S: Serializer, T: Serialize + 'static>(
        value: &Arc<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let address = Arc::as_ptr(value) as usize;
        write_reference(TypeId::of::<T>(), address, value.as_ref(), serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned + 'static>(
        deserializer: D,
    ) -> Result<Arc<T>, D::Error> {
        let reference = Reference::<T>::deserialize(deserializer)?;
        DECODE.with(|tables| {
            let mut tables = tables.borrow_mut();
            let table = tables.as_mut().map(|t| {
                t.sized
                    .entry(TypeId::of::<T>())
                    .or_insert_with(|| Box::new(Vec::<Arc<T>>::new()))
            });
            let table = table.and_then(|t| t.downcast_mut::<Vec<Arc<T>>>());
            match (reference, table) {
                (Reference::New(value), Some(table)) => {
                    let value = Arc::new(value);
                    table.push(value.clone());
                    Ok(value)
                }
                (Reference::New(value), None) => Ok(Arc::new(value)),
                (Reference::Seen(n), Some(table)) => table
                    .get(n as usize)
                    .cloned()
                    .ok_or_else(|| D::Error::custom("a shared reference to nothing read yet")),
                (Reference::Seen(_), None) => {
                    Err(D::Error::custom("a shared reference outside a cache read"))
                }
            }
        })
    }
}

/// `#[serde(with = "sharing::arcs")]` for a `Vec<Arc<T>>` field.
pub mod arcs {
    use super::*;

    struct Item<'a, T>(&'a Arc<T>);

    impl<T: Serialize + 'static> Serialize for Item<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::arc::serialize(self.0, serializer)
        }
    }

    struct Owned<T>(Arc<T>);

    impl<'de, T: DeserializeOwned + 'static> Deserialize<'de> for Owned<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::arc::deserialize(deserializer).map(Owned)
        }
    }

    pub fn serialize<S: Serializer, T: Serialize + 'static>(
        values: &[Arc<T>],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(Item))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned + 'static>(
        deserializer: D,
    ) -> Result<Vec<Arc<T>>, D::Error> {
        let owned = Vec::<Owned<T>>::deserialize(deserializer)?;
        Ok(owned.into_iter().map(|o| o.0).collect())
    }

    /// `#[serde(with = "sharing::arcs::optional")]` for an `Option<Arc<T>>`.
    pub mod optional {
        use super::*;

        pub fn serialize<S: Serializer, T: Serialize + 'static>(
            value: &Option<Arc<T>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value.as_ref().map(Item).serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned + 'static>(
            deserializer: D,
        ) -> Result<Option<Arc<T>>, D::Error> {
            Ok(Option::<Owned<T>>::deserialize(deserializer)?.map(|o| o.0))
        }
    }
}

/// `#[serde(with = "sharing::name")]` for an `Arc<str>` (a file name).
pub mod name {
    use super::*;

    /// Not a sized type's id: names have their own table.
    struct NameKind;

    pub fn serialize<S: Serializer>(value: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
        let address = Arc::as_ptr(value) as *const u8 as usize;
        write_reference(
            TypeId::of::<NameKind>(),
            address,
            value.as_ref(),
            serializer,
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        let reference = Reference::<String>::deserialize(deserializer)?;
        DECODE.with(|tables| {
            let mut tables = tables.borrow_mut();
            match (reference, tables.as_mut()) {
                (Reference::New(text), Some(tables)) => {
                    let name: Arc<str> = Arc::from(text);
                    tables.names.push(name.clone());
                    Ok(name)
                }
                (Reference::New(text), None) => Ok(Arc::from(text)),
                (Reference::Seen(n), Some(tables)) => tables
                    .names
                    .get(n as usize)
                    .cloned()
                    .ok_or_else(|| D::Error::custom("a shared name not read yet")),
                (Reference::Seen(_), None) => {
                    Err(D::Error::custom("a shared name outside a cache read"))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "arcs")]
        items: Vec<Arc<String>>,
        #[serde(with = "arcs::optional")]
        maybe: Option<Arc<String>>,
        #[serde(with = "name")]
        file: Arc<str>,
        #[serde(with = "name")]
        again: Arc<str>,
    }

    fn holder() -> Holder {
        let shared = Arc::new("policy".to_string());
        let file: Arc<str> = Arc::from("a.json");
        Holder {
            items: vec![shared.clone(), Arc::new("other".into()), shared.clone()],
            maybe: Some(shared),
            file: file.clone(),
            again: file,
        }
    }

    #[test]
    fn shared_references_are_written_once_and_read_back_shared() {
        let bytes = encoding(|| postcard::to_allocvec(&holder())).expect("encode");
        let read: Holder = decoding(|| postcard::from_bytes(&bytes)).expect("decode");
        assert!(Arc::ptr_eq(&read.items[0], &read.items[2]));
        assert!(Arc::ptr_eq(
            &read.items[0],
            read.maybe.as_ref().expect("some")
        ));
        assert!(!Arc::ptr_eq(&read.items[0], &read.items[1]));
        assert!(Arc::ptr_eq(&read.file, &read.again));
        assert_eq!(read.items[1].as_str(), "other");
        // Written once: shorter than the same value without sharing.
        let unshared = postcard::to_allocvec(&holder()).expect("encode");
        assert!(bytes.len() < unshared.len());
    }

    #[test]
    fn outside_a_cache_read_every_reference_is_written_in_full() {
        let bytes = postcard::to_allocvec(&holder()).expect("encode");
        let read: Holder = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(read.items[2].as_str(), "policy");
        // A reference by number means nothing without the tables.
        let shared = encoding(|| postcard::to_allocvec(&holder())).expect("encode");
        assert!(postcard::from_bytes::<Holder>(&shared).is_err());
    }

    #[test]
    fn a_reference_to_a_value_not_read_yet_is_an_error_not_a_panic() {
        // Seen(5) as the first item of the list.
        let bytes = [1u8, 0, 5];
        let read = decoding(|| postcard::from_bytes::<Holder>(&bytes));
        assert!(read.is_err());
    }
}
