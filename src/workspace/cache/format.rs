//! The cache file: a fixed header, the key, and the loaded state, both in
//! postcard (a compact serde format with a written specification).
//!
//! ```text
//! magic "iamscope cache\n\0"   16 bytes
//! format version               u32, little-endian
//! key length, body length      u64 each, little-endian
//! checksum                     XXH3-128 of key and body, little-endian
//! key                          postcard: Key
//! body                         postcard: the workspace (without the file
//!                              texts) and the diagnostics
//! ```
//!
//! Reading checks each in turn and says which did not hold; nothing is
//! trusted before the checksum matched, and the decoder never reads or
//! allocates past the bytes there are (postcard checks every length against
//! what is left, and serde caps what it reserves ahead).

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use super::key::Key;
use super::Miss;
use crate::model::{sharing, Workspace};
use crate::workspace::Diagnostic;

const MAGIC: &[u8; 16] = b"iamscope cache\n\0";

/// Bumped when the layout of the header changes; the body's layout is
/// covered by the build fingerprint in the key.
pub const FORMAT_VERSION: u32 = 1;

const HEADER: usize = 16 + 4 + 8 + 8 + 16;

#[derive(Serialize)]
struct BodyRef<'a> {
    workspace: &'a Workspace,
    diagnostics: &'a [Diagnostic],
}

/// What a cache file holds beside its key.
#[derive(Deserialize)]
pub struct Body {
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
}

/// The bytes of a cache file for `workspace` and `diagnostics`, loaded
/// from the files of `key`.
pub fn encode(
    key: &Key,
    workspace: &Workspace,
    diagnostics: &[Diagnostic],
) -> Result<Vec<u8>, postcard::Error> {
    let mut out = vec![0u8; HEADER];
    out = postcard::to_extend(key, out)?;
    let key_len = out.len() - HEADER;
    let body = BodyRef {
        workspace,
        diagnostics,
    };
    out = sharing::encoding(|| postcard::to_extend(&body, out))?;
    let body_len = out.len() - HEADER - key_len;
    let checksum = xxh3_128(&out[HEADER..]);
    out[..16].copy_from_slice(MAGIC);
    out[16..20].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    out[20..28].copy_from_slice(&(key_len as u64).to_le_bytes());
    out[28..36].copy_from_slice(&(body_len as u64).to_le_bytes());
    out[36..52].copy_from_slice(&checksum.to_le_bytes());
    Ok(out)
}

/// The state a cache file holds, when it is whole and was written for `now`.
#[cfg(test)]
pub fn decode(bytes: &[u8], now: &Key) -> Result<Body, Miss> {
    let (key, body) = checked_parts(bytes)?;
    let key = read_key(key)?;
    if let Some(miss) = key.mismatch(now) {
        return Err(miss);
    }
    read_body(body)
}

/// The key of a whole cache file, and its state decoded when `wanted` says
/// so of the key.
pub fn decode_if(
    bytes: &[u8],
    wanted: impl FnOnce(&Key) -> bool,
) -> Result<(Key, Option<Body>), Miss> {
    let (key, body) = checked_parts(bytes)?;
    let key = read_key(key)?;
    if !wanted(&key) {
        return Ok((key, None));
    }
    Ok((key, Some(read_body(body)?)))
}

fn read_key(bytes: &[u8]) -> Result<Key, Miss> {
    read_exactly(bytes).map_err(|e| Miss::Corrupted(format!("its key does not decode ({e})")))
}

fn read_body(bytes: &[u8]) -> Result<Body, Miss> {
    decode_body(bytes).map_err(|e| Miss::Corrupted(format!("its contents do not decode ({e})")))
}

/// The key and body of a cache file, once its header and checksum hold.
fn checked_parts(bytes: &[u8]) -> Result<(&[u8], &[u8]), Miss> {
    if !bytes.starts_with(&MAGIC[..bytes.len().min(MAGIC.len())]) {
        return Err(Miss::NotACache);
    }
    let Some(header) = bytes.get(..HEADER) else {
        return Err(Miss::Truncated);
    };
    let word = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let mut version = [0u8; 4];
    version.copy_from_slice(&header[16..20]);
    let version = u32::from_le_bytes(version);
    if version != FORMAT_VERSION {
        return Err(Miss::OtherFormat(version));
    }
    let (key_len, body_len) = (word(20), word(28));
    let mut checksum = [0u8; 16];
    checksum.copy_from_slice(&header[36..52]);
    let checksum = u128::from_le_bytes(checksum);
    let rest = &bytes[HEADER..];
    let expected = key_len.checked_add(body_len);
    match expected.map(|n| n.cmp(&(rest.len() as u64))) {
        Some(std::cmp::Ordering::Equal) => {}
        Some(std::cmp::Ordering::Greater) | None => return Err(Miss::Truncated),
        Some(std::cmp::Ordering::Less) => {
            return Err(Miss::Corrupted("it is longer than its header says".into()))
        }
    }
    if xxh3_128(rest) != checksum {
        return Err(Miss::Corrupted("its checksum does not match".into()));
    }
    // Both lengths fit in `rest`, whose length is a usize.
    Ok(rest.split_at(key_len as usize))
}

/// Decodes a body, whole or not at all. Public for the fuzz target, which
/// feeds it bytes no checksum vouches for: it must fail, never panic.
pub fn decode_body(body: &[u8]) -> Result<Body, postcard::Error> {
    sharing::decoding(|| read_exactly(body))
}

/// `T` from exactly `bytes`: bytes left over mean a damaged file.
fn read_exactly<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    let (value, rest) = postcard::take_from_bytes(bytes)?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(postcard::Error::DeserializeBadEncoding)
    }
}
