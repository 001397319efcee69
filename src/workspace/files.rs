//! The JSON shapes of the three kinds of workspace file, as serde reads them.
//!
//! Field names are AWS's. Lists that are empty may be missing from real dumps,
//! so every list defaults to empty. Policy documents stay `Value`s here: they
//! may be objects (AWS CLI, boto3) or URL-encoded strings (other SDKs), and the
//! policy reader reports its problems by path.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::file_context::FileContext;
use super::locate::{locate_span, position_of, Position};
use crate::policy::JsonPath;

/// Any workspace file: its kind is told by which top-level keys it has.
#[derive(Debug, Default, Deserialize)]
pub struct AnyFile {
    #[serde(rename = "UserDetailList")]
    pub users: Option<Entries<UserDetail>>,
    #[serde(rename = "GroupDetailList")]
    pub groups: Option<Entries<GroupDetail>>,
    #[serde(rename = "RoleDetailList")]
    pub roles: Option<Entries<RoleDetail>>,
    #[serde(rename = "Policies")]
    pub policies: Option<Entries<ManagedPolicyDetail>>,
    #[serde(rename = "ResourcePolicies")]
    pub resource_policies: Option<Entries<ResourcePolicyEntry>>,
    #[serde(rename = "Organization")]
    pub organization: Option<OrganizationFile>,
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
pub struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: Value,
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
pub struct UserDetail {
    #[serde(default = "root_path")]
    pub path: String,
    pub user_name: String,
    #[serde(default)]
    pub user_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    #[serde(default)]
    pub user_policy_list: Vec<InlinePolicy>,
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
pub struct GroupDetail {
    #[serde(default = "root_path")]
    pub path: String,
    pub group_name: String,
    #[serde(default)]
    pub group_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    #[serde(default)]
    pub group_policy_list: Vec<InlinePolicy>,
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
pub struct RoleDetail {
    #[serde(default = "root_path")]
    pub path: String,
    pub role_name: String,
    #[serde(default)]
    pub role_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    pub assume_role_policy_document: Option<Value>,
    #[serde(default)]
    pub role_policy_list: Vec<InlinePolicy>,
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
pub struct PolicyVersionDetail {
    pub document: Value,
    pub version_id: String,
    #[serde(default)]
    pub is_default_version: bool,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicyDetail {
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
    #[serde(default)]
    pub policy_version_list: Vec<PolicyVersionDetail>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourcePolicyEntry {
    pub arn: String,
    pub account_id: Option<String>,
    /// Absent for an entry that only says who owns the resource.
    #[serde(default)]
    pub policy: Option<Value>,
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
pub struct OrgPolicyEntry {
    pub name: String,
    #[serde(default)]
    pub targets: Vec<String>,
    pub policy: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationFile {
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
    #[serde(default)]
    pub service_control_policies: Vec<OrgPolicyEntry>,
    #[serde(default)]
    pub resource_control_policies: Vec<OrgPolicyEntry>,
}

fn root_path() -> String {
    "/".to_string()
}

/// Reads a file whose typed reading failed, entry by entry: an entry of a
/// list that does not have the shape AWS prints (a user without `Arn`, a
/// policy version without `Document`) is set aside with an error at its
/// place, and the other entries load. `None` when the file is not an object
/// or its organization cannot be read (then the whole file is in error).
pub fn read_entry_by_entry(cx: &mut FileContext, text: &str) -> Option<AnyFile> {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    let organization = match map.remove("Organization") {
        Some(value) => Some(serde_json::from_value(value).ok()?),
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
fn lenient_list<T: DeserializeOwned>(
    cx: &mut FileContext,
    map: &mut serde_json::Map<String, Value>,
    key: &str,
    what: &str,
) -> Option<Entries<T>> {
    let path = JsonPath::root().key(key);
    let items = match map.remove(key)? {
        Value::Array(items) => items,
        Value::Null => return Some(Entries::default()),
        _ => {
            cx.error(&path, format!("{key} must be a list; it is set aside"));
            return Some(Entries::default());
        }
    };
    let mut out = Vec::with_capacity(items.len());
    let mut positions = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<T>(item) {
            Ok(entry) => {
                out.push(entry);
                positions.push(i);
            }
            Err(e) => {
                let entry = path.index(i);
                let message = format!("this {what} cannot be read ({e}); it is set aside");
                match place_of_entry_error::<T>(cx.text(), &entry) {
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

/// Where in the file an entry fails to read: its text read again on its
/// own, serde's line and column inside it turned into the file's.
fn place_of_entry_error<T: DeserializeOwned>(text: &str, entry: &JsonPath) -> Option<Position> {
    let span = locate_span(text, entry)?;
    let slice = text.get(span.clone())?;
    let e = serde_json::from_str::<T>(slice).err()?;
    if e.line() == 0 {
        return None;
    }
    let line_start: usize = slice
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let offset = span.start + line_start + e.column().saturating_sub(1);
    Some(position_of(text, offset.min(text.len())))
}
