//! The generated organization in the layout cloud-copilot's iam-collect
//! writes (its docs/Storage.md): each generated file turned into the small
//! files of a store, with paths relative to the store's root. Pure: the
//! example writes them.
//!
//! Folder names are what iam-collect makes of an ARN: the service, the
//! region, `aws` for AWS-owned resources, the resource type, then the rest
//! of the resource URL-encoded, all lower-cased.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

use super::GeneratedFile;

/// The organization id the store is written under: the generated
/// organization file has none (`o-` and 10 to 32 letters or digits).
pub const ORGANIZATION_ID: &str = "o-generated01";

/// One file of the store: its path under the store's root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What JavaScript's `encodeURIComponent` leaves as is.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

fn folder(rest: &str) -> String {
    utf8_percent_encode(rest, COMPONENT)
        .to_string()
        .to_lowercase()
}

/// The store files of one generated file (an account dump, the organization
/// or the resource policies); a file of another kind gives none.
pub fn store_files(file: &GeneratedFile) -> Result<Vec<StoreFile>, serde_json::Error> {
    let value: Value = serde_json::from_slice(&file.bytes)?;
    let mut out = Writer::default();
    if let Some(org) = value.get("Organization") {
        out.organization(org);
    } else if let Some(list) = value.get("ResourcePolicies").and_then(Value::as_array) {
        for entry in list {
            out.resource_policy(entry);
        }
    } else {
        out.account(&value);
    }
    Ok(out.files)
}

#[derive(Default)]
struct Writer {
    files: Vec<StoreFile>,
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `account` and the resource of an ARN (`arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`).
fn arn_parts(arn: &str) -> Option<(&str, &str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    Some((service, region, account, resource))
}

impl Writer {
    fn put(&mut self, path: String, value: &Value) {
        // Empty content is not stored (iam-collect's saveOrDeleteFile).
        let empty = match value {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        if !empty {
            let bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
            self.files.push(StoreFile { path, bytes });
        }
    }

    /// `aws/aws/accounts/ACCOUNT/iam/TYPE/…/` for an IAM ARN.
    fn iam_dir(arn: &str) -> Option<String> {
        let (_, _, account, resource) = arn_parts(arn)?;
        let (kind, rest) = resource.split_once('/')?;
        let owner = if account == "aws" { "aws/" } else { "" };
        let holder = if account == "aws" { "" } else { account };
        Some(format!("{holder}/iam/{owner}{kind}/{}", folder(rest)))
    }

    fn account(&mut self, dump: &Value) {
        let mut group_arns = BTreeMap::new();
        for g in list(dump, "GroupDetailList") {
            group_arns.insert(text(g, "GroupName"), text(g, "Arn"));
        }
        // The account of the dump, for AWS managed policies it uses.
        let own = list(dump, "UserDetailList")
            .iter()
            .chain(list(dump, "RoleDetailList"))
            .filter_map(|e| arn_parts(text(e, "Arn")).map(|p| p.2.to_string()))
            .next()
            .unwrap_or_default();
        let base = "aws/aws/accounts";
        for u in list(dump, "UserDetailList") {
            let Some(dir) = Self::iam_dir(text(u, "Arn")) else {
                continue;
            };
            let dir = format!("{base}/{dir}");
            let groups: Vec<&str> = list(u, "GroupList")
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|g| group_arns.get(g).copied())
                .collect();
            self.put(
                format!("{dir}/metadata.json"),
                &json!({
                    "arn": text(u, "Arn"), "path": text(u, "Path"), "id": text(u, "UserId"),
                    "name": text(u, "UserName"), "created": u.get("CreateDate"),
                    "permissionBoundary": u.pointer("/PermissionsBoundary/PermissionsBoundaryArn"),
                }),
            );
            self.put(format!("{dir}/groups.json"), &json!(groups));
            self.entity_policies(&dir, u, "UserPolicyList");
            self.put(format!("{dir}/tags.json"), &tags(u));
        }
        for g in list(dump, "GroupDetailList") {
            let Some(dir) = Self::iam_dir(text(g, "Arn")) else {
                continue;
            };
            let dir = format!("{base}/{dir}");
            self.put(
                format!("{dir}/metadata.json"),
                &json!({
                    "arn": text(g, "Arn"), "path": text(g, "Path"), "id": text(g, "GroupId"),
                    "name": text(g, "GroupName"), "created": g.get("CreateDate"),
                }),
            );
            self.entity_policies(&dir, g, "GroupPolicyList");
        }
        for r in list(dump, "RoleDetailList") {
            let Some(dir) = Self::iam_dir(text(r, "Arn")) else {
                continue;
            };
            let dir = format!("{base}/{dir}");
            self.put(
                format!("{dir}/metadata.json"),
                &json!({
                    "arn": text(r, "Arn"), "path": text(r, "Path"), "id": text(r, "RoleId"),
                    "name": text(r, "RoleName"), "created": r.get("CreateDate"),
                    "permissionBoundary": r.pointer("/PermissionsBoundary/PermissionsBoundaryArn"),
                }),
            );
            if let Some(trust) = r.get("AssumeRolePolicyDocument") {
                self.put(format!("{dir}/trust-policy.json"), trust);
            }
            self.entity_policies(&dir, r, "RolePolicyList");
            self.put(format!("{dir}/tags.json"), &tags(r));
        }
        for p in list(dump, "Policies") {
            let arn = text(p, "Arn");
            let Some(dir) = Self::iam_dir(arn) else {
                continue;
            };
            let dir = if dir.starts_with('/') {
                format!("{base}/{own}{dir}")
            } else {
                format!("{base}/{dir}")
            };
            self.put(
                format!("{dir}/metadata.json"),
                &json!({
                    "arn": arn, "name": text(p, "PolicyName"), "id": text(p, "PolicyId"),
                    "path": text(p, "Path"), "defaultVersionId": text(p, "DefaultVersionId"),
                }),
            );
            let default = list(p, "PolicyVersionList").iter().find(|v| {
                v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true)
                    || text(v, "VersionId") == text(p, "DefaultVersionId")
            });
            if let Some(document) = default.and_then(|v| v.get("Document")) {
                self.put(format!("{dir}/current-policy.json"), document);
            }
        }
    }

    fn entity_policies(&mut self, dir: &str, entity: &Value, inline_key: &str) {
        let inline: Vec<Value> = list(entity, inline_key)
            .iter()
            .map(|p| json!({"PolicyName": text(p, "PolicyName"), "PolicyDocument": p.get("PolicyDocument")}))
            .collect();
        self.put(format!("{dir}/inline-policies.json"), &json!(inline));
        let managed: Vec<&str> = list(entity, "AttachedManagedPolicies")
            .iter()
            .map(|p| text(p, "PolicyArn"))
            .collect();
        self.put(format!("{dir}/managed-policies.json"), &json!(managed));
    }

    fn resource_policy(&mut self, entry: &Value) {
        let arn = text(entry, "Arn");
        let Some((service, region, account, resource)) = arn_parts(arn) else {
            return;
        };
        let owner = entry
            .get("AccountId")
            .and_then(Value::as_str)
            .unwrap_or(account);
        let (kind, id) = match resource.split_once(['/', ':']) {
            Some((kind, id)) => (Some(kind), id),
            None => (None, resource),
        };
        let mut dir = format!("aws/aws/accounts/{owner}/{service}");
        for part in [Some(region), kind]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
        {
            dir.push('/');
            dir.push_str(&part.to_lowercase());
        }
        dir.push('/');
        dir.push_str(&folder(id));
        self.put(
            format!("{dir}/metadata.json"),
            &json!({"arn": arn, "name": id}),
        );
        if let Some(policy) = entry.get("Policy") {
            self.put(format!("{dir}/policy.json"), policy);
        }
    }

    fn organization(&mut self, org: &Value) {
        let dir = format!("aws/aws/organizations/{ORGANIZATION_ID}");
        let management = text(org, "ManagementAccountId");
        let root = list(org, "Roots")
            .first()
            .map(|r| text(r, "Id"))
            .unwrap_or_default();
        self.put(
            format!("{dir}/metadata.json"),
            &json!({
                "id": ORGANIZATION_ID, "rootOu": root, "rootAccountId": management,
            }),
        );
        // Attachments by target, from each policy's targets.
        let mut attached: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for (key, folder_name, kind) in [
            ("ServiceControlPolicies", "scps", "service_control_policy"),
            ("ResourceControlPolicies", "rcps", "resource_control_policy"),
        ] {
            for (i, p) in list(org, key).iter().enumerate() {
                let id = format!("p-generated{i:03}");
                let arn = format!(
                    "arn:aws:organizations::{management}:policy/{ORGANIZATION_ID}/{kind}/{id}"
                );
                let policy_dir = format!("{dir}/{folder_name}/{id}");
                self.put(
                    format!("{policy_dir}/metadata.json"),
                    &json!({"arn": arn, "name": text(p, "Name")}),
                );
                if let Some(document) = p.get("Policy") {
                    self.put(format!("{policy_dir}/policy.json"), document);
                }
                for target in list(p, "Targets").iter().filter_map(Value::as_str) {
                    let entry = attached.entry(target).or_default();
                    if folder_name == "scps" {
                        entry.0.push(arn.clone());
                    } else {
                        entry.1.push(arn.clone());
                    }
                }
            }
        }
        let lists = |target: &str| attached.get(target).cloned().unwrap_or_default();
        let mut ous = Map::new();
        let (scps, rcps) = lists(root);
        ous.insert(root.to_string(), json!({"scps": scps, "rcps": rcps}));
        for ou in list(org, "OrganizationalUnits") {
            let id = text(ou, "Id");
            let (scps, rcps) = lists(id);
            ous.insert(
                id.to_string(),
                json!({"parent": text(ou, "ParentId"), "scps": scps, "rcps": rcps}),
            );
            self.put(
                format!("{dir}/ous/{}/metadata.json", id.to_lowercase()),
                &json!({"name": text(ou, "Name")}),
            );
        }
        self.put(format!("{dir}/ous.json"), &Value::Object(ous));
        let mut accounts = Map::new();
        for a in list(org, "Accounts") {
            let id = text(a, "Id");
            let (scps, rcps) = lists(id);
            accounts.insert(
                id.to_string(),
                json!({"ou": text(a, "ParentId"), "scps": scps, "rcps": rcps}),
            );
            self.put(
                format!("aws/aws/accounts/{id}/organization.json"),
                &json!({"organizationId": ORGANIZATION_ID}),
            );
        }
        self.put(format!("{dir}/accounts.json"), &Value::Object(accounts));
    }
}

/// GAAD's `[{Key, Value}]` as iam-collect's `{key: value}`.
fn tags(entity: &Value) -> Value {
    let mut map = Map::new();
    for t in list(entity, "Tags") {
        map.insert(text(t, "Key").to_string(), json!(text(t, "Value")));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::folder;

    #[test]
    fn folder_names_are_encoded_and_lower_cased() {
        assert_eq!(
            folder("aws-reserved/sso.amazonaws.com/AWSReservedSSO_X"),
            "aws-reserved%2fsso.amazonaws.com%2fawsreservedsso_x"
        );
        assert_eq!(folder("a b+c"), "a%20b%2bc");
    }
}
