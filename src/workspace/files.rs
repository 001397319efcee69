//! The JSON shapes of the three kinds of workspace file, as serde reads them.
//!
//! Field names are AWS's. Lists that are empty may be missing from real dumps,
//! so every list defaults to empty. Policy documents stay `Value`s here: they
//! may be objects (AWS CLI, boto3) or URL-encoded strings (other SDKs), and the
//! policy reader reports its problems by path.

use serde::Deserialize;
use serde_json::Value;

/// Any workspace file: its kind is told by which top-level keys it has.
#[derive(Debug, Deserialize)]
pub struct AnyFile {
    #[serde(rename = "UserDetailList")]
    pub users: Option<Vec<UserDetail>>,
    #[serde(rename = "GroupDetailList")]
    pub groups: Option<Vec<GroupDetail>>,
    #[serde(rename = "RoleDetailList")]
    pub roles: Option<Vec<RoleDetail>>,
    #[serde(rename = "Policies")]
    pub policies: Option<Vec<ManagedPolicyDetail>>,
    #[serde(rename = "ResourcePolicies")]
    pub resource_policies: Option<Vec<ResourcePolicyEntry>>,
    #[serde(rename = "Organization")]
    pub organization: Option<OrganizationFile>,
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
    pub policy: Value,
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
