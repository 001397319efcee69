//! What each problem is about: the user, group, role or policy it sits in,
//! so that a list of problems can jump to what it spoils and a list of
//! entities can mark those a problem sits in.

use std::collections::HashMap;

use super::{Diagnostic, Loaded};
use crate::model::{Place, Workspace};
use crate::policy::problem::PathSegment;

/// The element of the workspace a problem sits in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    User {
        account: String,
        name: String,
    },
    Group {
        account: String,
        name: String,
    },
    Role {
        account: String,
        name: String,
    },
    /// A managed policy of an account's dump, by ARN.
    ManagedPolicy {
        account: String,
        arn: String,
    },
    /// A resource-based policy, by the resource's ARN.
    ResourcePolicy {
        arn: String,
    },
    /// The organization file (its tree, or one of its SCPs or RCPs).
    Organization,
    /// A whole file, or a place in it that belongs to no element.
    File {
        file: String,
    },
}

impl Subject {
    /// How the subject is named in lists: `user alice (111111111111)`.
    pub fn describe(&self) -> String {
        match self {
            Subject::User { account, name } => format!("user {name} ({account})"),
            Subject::Group { account, name } => format!("group {name} ({account})"),
            Subject::Role { account, name } => format!("role {name} ({account})"),
            Subject::ManagedPolicy { arn, .. } => format!("policy {arn}"),
            Subject::ResourcePolicy { arn } => format!("resource policy of {arn}"),
            Subject::Organization => "the organization".to_string(),
            Subject::File { file } => format!("the file {file}"),
        }
    }
}

impl Loaded {
    /// The subject of each diagnostic, in the order of `diagnostics`.
    pub fn subjects(&self) -> Vec<Subject> {
        subjects(&self.workspace, &self.diagnostics)
    }
}

/// The subject of each diagnostic, in order: the element whose place is the
/// longest prefix of the problem's place.
pub fn subjects(workspace: &Workspace, diagnostics: &[Diagnostic]) -> Vec<Subject> {
    let places = element_places(workspace);
    let folders = entity_folders(&places);
    diagnostics
        .iter()
        .map(|d| match subject_of(&places, d) {
            Subject::File { file } => {
                folder_subject(&folders, &file).unwrap_or(Subject::File { file })
            }
            found => found,
        })
        .collect()
}

/// In an iam-collect store an entity is a folder whose `metadata.json` is
/// its place: a problem in another file of that folder (its
/// `inline-policies.json`, `trust-policy.json`…) is about the same entity.
fn entity_folders<'a>(
    places: &HashMap<(&'a str, &'a [PathSegment]), Subject>,
) -> HashMap<&'a str, Subject> {
    places
        .iter()
        .filter_map(|((file, path), subject)| {
            let folder = file.strip_suffix("/metadata.json")?;
            path.is_empty().then(|| (folder, subject.clone()))
        })
        .collect()
}

fn folder_subject(folders: &HashMap<&str, Subject>, file: &str) -> Option<Subject> {
    if folders.is_empty() {
        return None;
    }
    let (folder, _) = file.rsplit_once('/')?;
    folders.get(folder).cloned()
}

/// Every element with a place in a file, by file and path.
fn element_places(ws: &Workspace) -> HashMap<(&str, &[PathSegment]), Subject> {
    let mut places = HashMap::new();
    for account in &ws.accounts {
        let id = &account.id;
        for user in &account.users {
            let subject = Subject::User {
                account: id.clone(),
                name: user.name.clone(),
            };
            add(&mut places, &user.place, subject);
        }
        for group in &account.groups {
            let subject = Subject::Group {
                account: id.clone(),
                name: group.name.clone(),
            };
            add(&mut places, &group.place, subject);
        }
        for role in &account.roles {
            let subject = Subject::Role {
                account: id.clone(),
                name: role.name.clone(),
            };
            add(&mut places, &role.place, subject);
        }
        for policy in account.policies.values() {
            let subject = Subject::ManagedPolicy {
                account: id.clone(),
                arn: policy.arn.clone(),
            };
            add(&mut places, &policy.place, subject);
        }
    }
    for rp in &ws.resource_policies {
        places
            .entry((
                &*rp.document.origin.file,
                rp.document.origin.path.segments(),
            ))
            .or_insert(Subject::ResourcePolicy {
                arn: rp.arn.clone(),
            });
    }
    for (arn, place) in &ws.set_aside_resources {
        add(
            &mut places,
            place,
            Subject::ResourcePolicy { arn: arn.clone() },
        );
    }
    places
}

/// Records `subject` at `place`; a place seen twice keeps its first subject.
fn add<'a>(
    places: &mut HashMap<(&'a str, &'a [PathSegment]), Subject>,
    place: &'a Place,
    subject: Subject,
) {
    places
        .entry((&*place.file, place.path.segments()))
        .or_insert(subject);
}

fn subject_of(places: &HashMap<(&str, &[PathSegment]), Subject>, d: &Diagnostic) -> Subject {
    if let Some(at) = d.at() {
        let segments = at.segments();
        for n in (0..=segments.len()).rev() {
            if let Some(subject) = places.get(&(d.file.as_str(), &segments[..n])) {
                return subject.clone();
            }
        }
        if matches!(segments.first(), Some(PathSegment::Key(k)) if k == "Organization") {
            return Subject::Organization;
        }
    }
    Subject::File {
        file: d.file.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::Subject;
    use crate::workspace::{load_sources, Source};

    #[test]
    fn each_problem_names_the_element_it_sits_in() {
        let account = r#"{
  "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
    "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}}]}],
  "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r"}],
  "Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::123456789012:policy/m", "DefaultVersionId": "v9",
    "PolicyVersionList": [{"VersionId": "v1", "Document": {"Version": "2012-10-17", "Statement": []}}]}]
}"#;
        let org = r#"{"Organization": {"Roots": [{"Id": "r-1"}]}}"#;
        let loaded = load_sources(
            "t",
            vec![
                Source {
                    name: "a.json".into(),
                    bytes: account.as_bytes().to_vec(),
                },
                Source {
                    name: "org.json".into(),
                    bytes: org.as_bytes().to_vec(),
                },
                Source {
                    name: "junk.json".into(),
                    bytes: b"nope".to_vec(),
                },
            ],
        );
        let mut seen: Vec<(String, Subject)> = loaded
            .diagnostics
            .iter()
            .zip(loaded.subjects())
            .map(|(d, s)| (d.message.chars().take(24).collect(), s))
            .collect();
        seen.sort();
        let account = "123456789012".to_string();
        assert_eq!(
            seen,
            [
                (
                    "Effect must be \"Allow\" o".to_string(),
                    Subject::User {
                        account: account.clone(),
                        name: "u".into()
                    }
                ),
                (
                    "invalid JSON: expected i".to_string(),
                    Subject::File {
                        file: "junk.json".into()
                    }
                ),
                (
                    "policy m has no default ".to_string(),
                    Subject::ManagedPolicy {
                        account: account.clone(),
                        arn: "arn:aws:iam::123456789012:policy/m".into()
                    }
                ),
                (
                    "role r has no AssumeRole".to_string(),
                    Subject::Role {
                        account,
                        name: "r".into()
                    }
                ),
                (
                    "the organization names n".to_string(),
                    Subject::Organization
                ),
            ]
        );
    }
}
