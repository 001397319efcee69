//! The cache format's checks that need its insides: a cache written by
//! another build, and the sharing of compiled documents.

use std::sync::Arc;

use super::format::{decode, decode_body, encode};
use super::key::Key;
use super::Miss;
use crate::workspace::{FileRead, FilesRead, LoadOptions, Source};

/// The workshop's files as a load reads them.
fn workshop_read() -> FilesRead {
    FilesRead {
        name: "workshop".into(),
        files: crate::bundled::workshop::FILES
            .iter()
            .map(|(name, text)| FileRead {
                source: Source {
                    name: name.to_string(),
                    bytes: text.as_bytes().to_vec(),
                },
                size: text.len() as u64,
                modified_ns: Some(1),
            })
            .collect(),
        skipped: Vec::new(),
    }
}

#[test]
fn a_cache_written_by_another_build_is_not_used() {
    let loaded = crate::bundled::workshop::load();
    let now = Key::of(&workshop_read(), &LoadOptions::default());
    let mut other = now.clone();
    other.build = "0.0.1 0123456789abcdef".into();
    let bytes = encode(&other, &loaded.workspace, &loaded.diagnostics).expect("encode");
    assert_eq!(
        decode(&bytes, &now).err(),
        Some(Miss::OtherBuild("0.0.1 0123456789abcdef".into()))
    );
    // The same bytes for this build are used.
    let bytes = encode(&now, &loaded.workspace, &loaded.diagnostics).expect("encode");
    let body = decode(&bytes, &now).expect("a hit");
    assert_eq!(body.diagnostics, loaded.diagnostics);
}

#[test]
fn another_limit_or_time_is_another_key() {
    let read = workshop_read();
    let now = Key::of(&read, &LoadOptions::default());
    let smaller = Key::of(
        &read,
        &LoadOptions {
            max_file_bytes: 1024,
        },
    );
    assert!(matches!(now.mismatch(&smaller), Some(Miss::Changed(_))));
    let mut touched = workshop_read();
    touched.files[1].modified_ns = Some(2);
    let touched = Key::of(&touched, &LoadOptions::default());
    assert_eq!(
        now.mismatch(&touched),
        Some(Miss::Changed(
            "sample-accounts/workshop/organization.json changed".into()
        ))
    );
    assert_eq!(now.mismatch(&now.clone()), None);
}

#[test]
fn documents_shared_before_the_cache_are_shared_after_it() {
    let mut loaded = crate::bundled::workshop::load();
    // Two places given one compiled document, as the loader does for the
    // same text (AWS managed policies repeated in every dump).
    let accounts = &mut loaded.workspace.accounts;
    let first = accounts[0]
        .roles
        .iter()
        .find_map(|r| r.trust_policy.clone())
        .expect("a trust policy");
    let mut changed = 0;
    for account in accounts.iter_mut() {
        for role in &mut account.roles {
            if let Some(trust) = &mut role.trust_policy {
                let mut named = (**trust).clone();
                named.policy = first.policy.clone();
                *trust = Arc::new(named);
                changed += 1;
            }
        }
    }
    assert!(changed >= 2);
    let key = Key::of(&workshop_read(), &LoadOptions::default());
    let bytes = encode(&key, &loaded.workspace, &loaded.diagnostics).expect("encode");
    let body = decode(&bytes, &key).expect("a hit");
    let trusts: Vec<_> = body
        .workspace
        .accounts
        .iter()
        .flat_map(|a| a.roles.iter().filter_map(|r| r.trust_policy.clone()))
        .collect();
    assert_eq!(trusts.len(), changed);
    assert!(trusts
        .windows(2)
        .all(|w| Arc::ptr_eq(&w[0].policy, &w[1].policy)));
    // The file names of places are one Arc per file, too.
    let places: Vec<_> = body.workspace.accounts[0]
        .roles
        .iter()
        .map(|r| r.place.file.clone())
        .collect();
    assert!(places.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])));
}

#[test]
fn a_body_without_its_checksum_fails_cleanly_on_any_damage() {
    let loaded = crate::bundled::workshop::load();
    let key = Key::of(&workshop_read(), &LoadOptions::default());
    let bytes = encode(&key, &loaded.workspace, &loaded.diagnostics).expect("encode");
    // The body is the tail; every cut of it, and a few flips, decode to an
    // error or to something, never a panic.
    let body_start = bytes.len() - {
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[28..36]);
        u64::from_le_bytes(len) as usize
    };
    let body = &bytes[body_start..];
    assert!(decode_body(body).is_ok());
    for cut in (0..body.len()).step_by(97) {
        assert!(decode_body(&body[..cut]).is_err());
    }
    for at in (0..body.len()).step_by(211) {
        let mut flipped = body.to_vec();
        flipped[at] ^= 0xff;
        let _ = decode_body(&flipped);
    }
}
