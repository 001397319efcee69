//! The JSON shapes of the three kinds of workspace file, as serde reads them.
//!
//! Field names are AWS's. Lists that are empty may be missing from real dumps,
//! so every list defaults to empty. Policy documents stay raw text borrowed
//! from the file here: they may be objects (AWS CLI, boto3) or URL-encoded
//! strings (other SDKs), the policy reader reports its problems by path, and
//! the same document is printed in many places (an AWS managed policy in
//! every account's dump), so each distinct text is read once
//! ([`super::intern`]) instead of being built into a `Value` tree each time.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::file_context::FileContext;
use super::locate::{position_of, Position};
use crate::policy::JsonPath;

/// Any workspace file: its kind is told by which top-level keys it has.
#[derive(Debug, Default, Deserialize)]
pub struct AnyFile<'a> {
    #[serde(rename = "UserDetailList", borrow)]
    pub users: Option<Entries<UserDetail<'a>>>,
    #[serde(rename = "GroupDetailList", borrow)]
    pub groups: Option<Entries<GroupDetail<'a>>>,
    #[serde(rename = "RoleDetailList", borrow)]
    pub roles: Option<Entries<RoleDetail<'a>>>,
    #[serde(rename = "Policies", borrow)]
    pub policies: Option<Entries<ManagedPolicyDetail<'a>>>,
    #[serde(rename = "ResourcePolicies", borrow)]
    pub resource_policies: Option<Entries<ResourcePolicyEntry<'a>>>,
    #[serde(rename = "Organization", borrow)]
    pub organization: Option<OrganizationFile<'a>>,
}

/// The entries of a top-level list, each with its position in the file's
/// list: when an entry is set aside, the ones after it keep their place
/// (and so their line and column in messages).
#[derive(Debug)]
pub struct Entries<T> {
    items: Vec<T>,
    /// Positions in the file's list, when some entries were set aside.
    positions: Option<Vec<usize>>,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            items: Vec::new(),
            positions: None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(|items| Entries {
            items,
            positions: None,
        })
    }
}

impl<T> Entries<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The position in the file's list of the `i`-th entry kept.
    pub fn position(&self, i: usize) -> usize {
        self.positions
            .as_ref()
            .and_then(|p| p.get(i).copied())
            .unwrap_or(i)
    }

    /// The entries with their positions in the file's list.
    pub fn indexed(self) -> impl Iterator<Item = (usize, T)> {
        let positions = self.positions;
        self.items.into_iter().enumerate().map(move |(i, item)| {
            (
                positions
                    .as_ref()
                    .and_then(|p| p.get(i).copied())
                    .unwrap_or(i),
                item,
            )
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy<'a> {
    pub policy_name: String,
    #[serde(borrow)]
    pub policy_document: &'a RawValue,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    pub policy_arn: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Boundary {
    pub permissions_boundary_arn: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagEntry {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserDetail<'a> {
    #[serde(default = "root_path")]
    pub path: String,
    pub user_name: String,
    #[serde(default)]
    pub user_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    #[serde(default, borrow)]
    pub user_policy_list: Vec<InlinePolicy<'a>>,
    #[serde(default)]
    pub group_list: Vec<String>,
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<Boundary>,
    #[serde(default)]
    pub tags: Vec<TagEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupDetail<'a> {
    #[serde(default = "root_path")]
    pub path: String,
    pub group_name: String,
    #[serde(default)]
    pub group_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    #[serde(default, borrow)]
    pub group_policy_list: Vec<InlinePolicy<'a>>,
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleLastUsed {
    pub last_used_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDetail<'a> {
    #[serde(default = "root_path")]
    pub path: String,
    pub role_name: String,
    #[serde(default)]
    pub role_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    #[serde(borrow)]
    pub assume_role_policy_document: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub role_policy_list: Vec<InlinePolicy<'a>>,
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<Boundary>,
    #[serde(default)]
    pub tags: Vec<TagEntry>,
    /// Not in the authorization dump; present when copied from `aws iam get-role`.
    pub max_session_duration: Option<u64>,
    pub role_last_used: Option<RoleLastUsed>,
    /// Read leniently (values, not typed entries): a malformed profile must
    /// not set the whole role aside.
    #[serde(default)]
    pub instance_profile_list: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersionDetail<'a> {
    #[serde(borrow)]
    pub document: &'a RawValue,
    pub version_id: String,
    #[serde(default)]
    pub is_default_version: bool,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicyDetail<'a> {
    pub policy_name: String,
    #[serde(default)]
    pub policy_id: String,
    pub arn: String,
    #[serde(default = "root_path")]
    pub path: String,
    #[serde(default)]
    pub default_version_id: String,
    pub attachment_count: Option<u64>,
    pub create_date: Option<String>,
    pub update_date: Option<String>,
    #[serde(default, borrow)]
    pub policy_version_list: Vec<PolicyVersionDetail<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourcePolicyEntry<'a> {
    pub arn: String,
    pub account_id: Option<String>,
    /// Absent for an entry that only says who owns the resource.
    #[serde(default, borrow)]
    pub policy: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdEntry {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NodeEntry {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub parent_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrgPolicyEntry<'a> {
    pub name: String,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(borrow)]
    pub policy: &'a RawValue,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationFile<'a> {
    /// `o-…`, as `aws organizations describe-organization` prints it.
    pub id: Option<String>,
    pub management_account_id: Option<String>,
    /// The older name of the same field, which `describe-organization` still
    /// prints beside `MasterAccountId`'s replacement.
    pub master_account_id: Option<String>,
    #[serde(default)]
    pub roots: Vec<IdEntry>,
    #[serde(default)]
    pub organizational_units: Vec<NodeEntry>,
    #[serde(default)]
    pub accounts: Vec<NodeEntry>,
    #[serde(default, borrow)]
    pub service_control_policies: Vec<OrgPolicyEntry<'a>>,
    #[serde(default, borrow)]
    pub resource_control_policies: Vec<OrgPolicyEntry<'a>>,
}

fn root_path() -> String {
    "/".to_string()
}

/// Reads a file whose typed reading failed, entry by entry: an entry of a
/// list that does not have the shape AWS prints (a user without `Arn`, a
/// policy version without `Document`) is set aside with an error at its
/// place, and the other entries load. `None` when the file is not an object
/// or its organization cannot be read (then the whole file is in error).
pub fn read_entry_by_entry<'a>(cx: &mut FileContext, text: &'a str) -> Option<AnyFile<'a>> {
    let mut map: std::collections::HashMap<String, &'a RawValue> =
        serde_json::from_str(text).ok()?;
    let organization = match map.remove("Organization") {
        Some(raw) => Some(serde_json::from_str(raw.get()).ok()?),
        None => None,
    };
    Some(AnyFile {
        users: lenient_list(cx, &mut map, "UserDetailList", "user"),
        groups: lenient_list(cx, &mut map, "GroupDetailList", "group"),
        roles: lenient_list(cx, &mut map, "RoleDetailList", "role"),
        policies: lenient_list(cx, &mut map, "Policies", "managed policy"),
        resource_policies: lenient_list(cx, &mut map, "ResourcePolicies", "resource policy"),
        organization,
    })
}

/// The entries of the list at `key` that read as `T`; the others reported.
fn lenient_list<'a, T: Deserialize<'a>>(
    cx: &mut FileContext,
    map: &mut std::collections::HashMap<String, &'a RawValue>,
    key: &str,
    what: &str,
) -> Option<Entries<T>> {
    let path = JsonPath::root().key(key);
    let raw = map.remove(key)?;
    let items: Vec<&'a RawValue> =
        match serde_json::from_str::<Option<Vec<&'a RawValue>>>(raw.get()) {
            Ok(Some(items)) => items,
            Ok(None) => return Some(Entries::default()),
            Err(_) => {
                cx.error(&path, format!("{key} must be a list; it is set aside"));
                return Some(Entries::default());
            }
        };
    let mut out = Vec::with_capacity(items.len());
    let mut positions = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_str::<T>(item.get()) {
            Ok(entry) => {
                out.push(entry);
                positions.push(i);
            }
            Err(e) => {
                let entry = path.index(i);
                let message = format!(
                    "this {what} cannot be read ({}); it is set aside",
                    without_location(&e)
                );
                match place_of_entry_error(cx.text(), item.get(), &e) {
                    Some(position) => cx.error_at(&entry, position, message),
                    None => cx.error(&entry, message),
                }
            }
        }
    }
    Some(Entries {
        items: out,
        positions: Some(positions),
    })
}

/// serde's message without its " at line L column C" inside the entry: the
/// diagnostic gives the place in the file instead.
fn without_location(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(bare) => bare.to_string(),
        None => message,
    }
}

/// Where in the file an entry fails to read: serde's line and column inside
/// the entry's text (a slice of the file's) turned into the file's.
fn place_of_entry_error(text: &str, entry: &str, e: &serde_json::Error) -> Option<Position> {
    if e.line() == 0 {
        return None;
    }
    let start = (entry.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    if start + entry.len() > text.len() {
        return None;
    }
    let line_start: usize = entry
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let offset = start + line_start + e.column().saturating_sub(1);
    Some(position_of(text, offset.min(text.len())))
}
