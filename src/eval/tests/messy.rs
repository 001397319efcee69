//! Answers on messy workspaces: every problem sets aside the smallest element
//! it spoils and everything else answers as it would without it. AWS itself
//! keeps policies "that are not valid because they were created or were last
//! saved before the latest updates to the policy engine" (IAM User Guide,
//! access_policies_policy-validator), and the dumps people have are mixed.

use serde_json::{json, Value};

use super::fixture::*;
use crate::eval::footprint::{footprint, principal_footprint};
use crate::eval::{Outcome, Principal};
use crate::policy::Severity;
use crate::workspace::{load_sources, Loaded, Source};

/// Loads files given as JSON values or raw text, problems and all.
fn load_messy(files: Vec<(&str, String)>) -> Loaded {
    let sources = files
        .into_iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            bytes: text.into_bytes(),
        })
        .collect();
    load_sources("messy", sources)
}

fn file(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("fixture serializes")
}

fn messages(loaded: &Loaded, severity: Severity) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.message.clone())
        .collect()
}

fn outcome_in(loaded: &Loaded, who: &str, action: &str, resource: &str) -> Outcome {
    decide(&loaded.workspace, who, action, resource, &[]).decision
}

#[test]
fn an_action_that_cannot_be_an_action_matches_nothing_and_its_statement_stands() {
    // IAM JSON policy reference, reference_policies_elements_action: an
    // action is "service:action"; "s3:GetObject,PutObject" is one string
    // with a comma, "s3:   GetBucket" has spaces, "s3:" has no name.
    let policy = doc(json!([
        {"Effect": "Allow", "Action": ["s3:GetObject,PutObject", "s3:ListBucket", "s3:   GetBucket", "s3:"], "Resource": "*"}
    ]));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![user(A, "alice", &[policy])],
            vec![],
            vec![],
            vec![],
        )),
    )]);
    let errors = messages(&loaded, Severity::Error);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors.iter().all(|e| e.ends_with("; it matches no action")),
        "{errors:#?}"
    );
    assert_eq!(
        outcome_in(&loaded, "alice", "s3:ListBucket", "arn:aws:s3:::b"),
        Outcome::Allow
    );
    for action in ["s3:GetObject", "s3:PutObject", "s3:GetBucketPolicy"] {
        assert_eq!(
            outcome_in(&loaded, "alice", action, "arn:aws:s3:::b/k"),
            Outcome::ImplicitDeny,
            "{action}"
        );
    }
}

#[test]
fn in_not_action_an_entry_that_cannot_be_an_action_excludes_nothing() {
    // A Deny with NotAction denies every action the list does not name
    // (reference_policies_elements_notaction); an unreadable entry names none.
    let policy = doc(json!([
        allow("s3:*", "*"),
        {"Effect": "Deny", "NotAction": ["s3:GetObject,PutObject", "s3:ListBucket"], "Resource": "*"}
    ]));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![user(A, "alice", &[policy])],
            vec![],
            vec![],
            vec![],
        )),
    )]);
    assert_eq!(messages(&loaded, Severity::Error).len(), 1);
    assert_eq!(
        outcome_in(&loaded, "alice", "s3:ListBucket", "arn:aws:s3:::b"),
        Outcome::Allow
    );
    assert_eq!(
        outcome_in(&loaded, "alice", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::ExplicitDeny
    );
}

#[test]
fn a_resource_that_cannot_be_an_arn_matches_no_resource() {
    let policy = doc(json!([
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["reports-bucket/*", "arn:aws:s3:::logs/*"]},
        {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": ["not an arn"]}
    ]));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![user(A, "alice", &[policy])],
            vec![],
            vec![],
            vec![],
        )),
    )]);
    let errors = messages(&loaded, Severity::Error);
    assert!(
        errors[0].ends_with("; it matches no resource"),
        "{errors:#?}"
    );
    assert!(
        errors[1].ends_with("; it excludes no resource"),
        "{errors:#?}"
    );
    // The NotResource deny now excludes nothing: it denies every object.
    assert_eq!(
        outcome_in(&loaded, "alice", "s3:GetObject", "arn:aws:s3:::logs/a"),
        Outcome::ExplicitDeny
    );
    assert_eq!(
        outcome_in(
            &loaded,
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::reports-bucket/a"
        ),
        Outcome::ExplicitDeny
    );
}

#[test]
fn a_trust_statement_without_principal_admits_nobody() {
    // "You must use the Principal element in resource-based policies"
    // (reference_policies_elements_principal); without it, whom the
    // statement was for is unknown, so it names nobody.
    let no_principal = doc(json!([{"Effect": "Allow", "Action": "sts:AssumeRole"}]));
    let caller = doc(json!([allow("sts:AssumeRole", "*")]));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![user(A, "alice", &[caller])],
            vec![],
            vec![role(A, "Open", no_principal, &[])],
            vec![],
        )),
    )]);
    let errors = messages(&loaded, Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("without one the statement matches no principal"));
    // Same account: the caller's own Allow is not enough when the trust
    // policy does not name it (id_roles_manage-assume).
    let arn = format!("arn:aws:iam::{A}:role/Open");
    assert_eq!(
        outcome_in(&loaded, "alice", "sts:AssumeRole", &arn),
        Outcome::ImplicitDeny
    );
}

#[test]
fn a_bare_string_principal_is_read_as_aws_with_a_warning() {
    let trust_bare = doc(json!([
        {"Effect": "Allow", "Principal": format!("arn:aws:iam::{A}:user/alice"), "Action": "sts:AssumeRole"}
    ]));
    let caller = doc(json!([allow("sts:AssumeRole", "*")]));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![
                user(A, "alice", std::slice::from_ref(&caller)),
                user(A, "bob", &[caller]),
            ],
            vec![],
            vec![role(A, "Bare", trust_bare, &[])],
            vec![],
        )),
    )]);
    assert!(messages(&loaded, Severity::Error).is_empty());
    let warnings = messages(&loaded, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("is read as {\"AWS\":"),
        "{}",
        warnings[0]
    );
    let arn = format!("arn:aws:iam::{A}:role/Bare");
    assert_eq!(
        outcome_in(&loaded, "alice", "sts:AssumeRole", &arn),
        Outcome::Allow
    );
    assert_eq!(
        outcome_in(&loaded, "bob", "sts:AssumeRole", &arn),
        Outcome::ImplicitDeny
    );
}

#[test]
fn a_policy_document_that_cannot_be_read_exists_and_grants_nothing() {
    let mut broken = user(A, "alice", &[doc(json!([allow("s3:*", "*")]))]);
    broken["UserPolicyList"]
        .as_array_mut()
        .expect("a list")
        .push(json!({"PolicyName": "Garbled", "PolicyDocument": "%7B%22Version%22%3A"}));
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(vec![broken], vec![], vec![], vec![])),
    )]);
    assert_eq!(messages(&loaded, Severity::Error).len(), 1);
    let alice = &loaded.workspace.accounts[0].users[0];
    assert_eq!(alice.inline_policies.len(), 2, "the policy is still there");
    assert!(alice.inline_policies[1].policy.statements.is_empty());
    assert_eq!(
        outcome_in(&loaded, "alice", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::Allow
    );
}

#[test]
fn entities_of_another_account_are_loaded_into_their_own_account() {
    let other = "333333333333";
    let mut obama = user(other, "obama", &[]);
    obama["GroupList"] = json!(["admin"]);
    obama["AttachedManagedPolicies"] = json!([{"PolicyName": "Theirs", "PolicyArn": format!("arn:aws:iam::{other}:policy/Theirs")}]);
    let file_a = dump(
        vec![user(A, "alice", &[]), obama],
        vec![
            group(A, "admin", &[]),
            group(other, "admin", &[doc(json!([allow("iam:*", "*")]))]),
        ],
        vec![],
        vec![managed(
            other,
            "Theirs",
            doc(json!([allow("s3:GetObject", "*")])),
        )],
    );
    let loaded = load_messy(vec![("a.json", file(&file_a))]);
    assert!(
        messages(&loaded, Severity::Error).is_empty(),
        "{:#?}",
        loaded.diagnostics
    );
    let warnings = messages(&loaded, Severity::Warning);
    assert_eq!(
        warnings,
        [format!("the file describes account {A}, but 3 of its entities belong to account {other}; they are loaded into account {other} (a dump of one account lists only its own)")]
    );
    let ids: Vec<&str> = loaded
        .workspace
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, [A, other]);
    // obama's group and policy are those of its own account.
    assert_eq!(
        outcome_in(&loaded, "obama", "iam:CreateUser", "*"),
        Outcome::Allow
    );
    assert_eq!(
        outcome_in(&loaded, "obama", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::Allow
    );
    assert_eq!(
        outcome_in(&loaded, "alice", "iam:CreateUser", "*"),
        Outcome::ImplicitDeny
    );
}

#[test]
fn an_accounts_own_dump_wins_over_entities_another_file_lists() {
    let other = "333333333333";
    let stale = dump(
        vec![user(A, "alice", &[]), user(other, "bob", &[])],
        vec![],
        vec![],
        vec![],
    );
    let own = dump(
        vec![
            user(other, "bob", &[doc(json!([allow("ec2:*", "*")]))]),
            user(other, "carol", &[]),
        ],
        vec![],
        vec![],
        vec![],
    );
    // Whichever file is read first, bob is as his account's dump says.
    for names in [("a.json", "b.json"), ("b.json", "a.json")] {
        let loaded = load_messy(vec![(names.0, file(&stale)), (names.1, file(&own))]);
        assert!(
            messages(&loaded, Severity::Error).is_empty(),
            "{:#?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.workspace.accounts.len(), 2);
        let account = loaded.workspace.account(other).expect("the other account");
        assert_eq!(account.file, names.1);
        assert_eq!(account.users.len(), 2);
        assert_eq!(
            outcome_in(&loaded, "bob", "ec2:RunInstances", "*"),
            Outcome::Allow,
            "{names:?}"
        );
        let repeated = messages(&loaded, Severity::Warning);
        assert!(
            repeated
                .iter()
                .any(|m| m.contains("user/bob is also listed in")),
            "{repeated:#?}"
        );
    }
}

#[test]
fn an_organization_without_management_account_exempts_nobody() {
    let deny_all = json!([{"Name": "DenyS3", "Targets": ["r-root"],
        "Policy": doc(json!([allow("*", "*"), deny("s3:*", "*")]))}]);
    let mut org = organization(deny_all.clone(), json!([]));
    org["Organization"]
        .as_object_mut()
        .expect("an object")
        .remove("ManagementAccountId");
    let management = "999999999999";
    let account = dump(
        vec![user(management, "admin", &[doc(json!([allow("*", "*")]))])],
        vec![],
        vec![],
        vec![],
    );
    let loaded = load_messy(vec![("m.json", file(&account)), ("org.json", file(&org))]);
    assert!(
        messages(&loaded, Severity::Error).is_empty(),
        "{:#?}",
        loaded.diagnostics
    );
    assert_eq!(
        messages(&loaded, Severity::Warning),
        ["the organization names no ManagementAccountId (or MasterAccountId), so no account is exempt from SCPs"]
    );
    // SCPs do not affect the management account (AWS Organizations User
    // Guide, orgs_manage_policies_scps); not knowing it, none is exempt.
    assert_eq!(
        outcome_in(&loaded, "admin", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::ExplicitDeny
    );

    // MasterAccountId is the name DescribeOrganization also prints.
    let mut org = organization(deny_all, json!([]));
    let fields = org["Organization"].as_object_mut().expect("an object");
    fields.remove("ManagementAccountId");
    fields.insert("MasterAccountId".into(), json!(management));
    fields.insert("Id".into(), json!("o-a1b2c3d4e5"));
    let loaded = load_messy(vec![("m.json", file(&account)), ("org.json", file(&org))]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let organization = loaded
        .workspace
        .organization
        .as_ref()
        .expect("an organization");
    assert_eq!(organization.id.as_deref(), Some("o-a1b2c3d4e5"));
    assert_eq!(
        outcome_in(&loaded, "admin", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::Allow
    );
}

#[test]
fn a_resource_policy_whose_owner_cannot_be_told_is_set_aside_and_caveats_its_answers() {
    let grant = |bucket: &str| {
        json!({"Arn": format!("arn:aws:s3:::{bucket}"), "Policy": doc(json!([
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{B}:user/bob")}, "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/*")}
        ]))})
    };
    let mut owned = grant("owned");
    owned["AccountId"] = json!(A);
    let loaded = load_messy(vec![
        (
            "a.json",
            file(&dump(vec![user(A, "alice", &[])], vec![], vec![], vec![])),
        ),
        (
            "b.json",
            file(&dump(
                vec![user(B, "bob", &[doc(json!([allow("s3:GetObject", "*")]))])],
                vec![],
                vec![],
                vec![],
            )),
        ),
        (
            "rp.json",
            file(&resource_policies(json!([grant("unowned"), owned]))),
        ),
    ]);
    assert_eq!(messages(&loaded, Severity::Error).len(), 1);
    assert_eq!(loaded.workspace.resource_policies.len(), 1);
    // Cross-account: bob needs the owner's resource policy
    // (reference_policies_evaluation-logic-cross-account).
    assert_eq!(
        outcome_in(&loaded, "bob", "s3:GetObject", "arn:aws:s3:::owned/k"),
        Outcome::Allow
    );
    let bob = principal(&loaded.workspace, "bob");
    let caveats = loaded.caveats(&footprint(
        &loaded.workspace,
        &bob,
        Some("arn:aws:s3:::unowned/k"),
    ));
    assert_eq!(caveats.len(), 1, "{caveats:#?}");
    assert!(caveats[0]
        .message
        .contains("this resource policy is set aside"));
    let owned = loaded.caveats(&footprint(
        &loaded.workspace,
        &bob,
        Some("arn:aws:s3:::owned/k"),
    ));
    assert!(owned.is_empty(), "{owned:#?}");
}

#[test]
fn caveats_name_the_problems_of_what_an_answer_rests_on_and_nothing_else() {
    let broken = doc(
        json!([allow("s3:GetObject", "*"), {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]),
    );
    let shared = group(
        A,
        "readers",
        &[doc(json!([allow("ec2:Describe*", "not-an-arn")]))],
    );
    let mut carol = user(A, "carol", &[]);
    carol["GroupList"] = json!(["readers"]);
    let loaded = load_messy(vec![
        (
            "a.json",
            file(&dump(
                vec![user(A, "alice", &[broken]), user(A, "bob", &[]), carol],
                vec![shared],
                vec![],
                vec![],
            )),
        ),
        ("junk.json", "not json at all".to_string()),
    ]);
    let ws = &loaded.workspace;
    let of = |who: &str| -> Vec<String> {
        let p: Principal = principal(ws, who);
        loaded
            .caveats(&principal_footprint(ws, &p))
            .iter()
            .map(|c| format!("{}:{}: {}", c.file, c.line.unwrap_or(0), c.message))
            .collect()
    };
    let alice = of("alice");
    assert_eq!(alice.len(), 2, "{alice:#?}");
    assert!(
        alice[0].starts_with("a.json:") && alice[0].contains("Permit"),
        "{alice:#?}"
    );
    assert!(
        alice[1].starts_with("junk.json:1: invalid JSON"),
        "{alice:#?}"
    );
    // bob rests on nothing broken but the file that could not be read.
    assert_eq!(of("bob").len(), 1);
    // carol rests on her group's policy.
    let carol = of("carol");
    assert_eq!(carol.len(), 2, "{carol:#?}");
    assert!(carol[0].contains("not-an-arn"), "{carol:#?}");
}

#[test]
fn a_clean_workspace_has_no_caveats() {
    let loaded = load_messy(vec![(
        "a.json",
        file(&dump(
            vec![user(A, "alice", &[doc(json!([allow("s3:*", "*")]))])],
            vec![],
            vec![],
            vec![],
        )),
    )]);
    assert!(loaded.diagnostics.is_empty());
    let alice = principal(&loaded.workspace, "alice");
    assert!(loaded
        .caveats(&footprint(&loaded.workspace, &alice, Some("*")))
        .is_empty());
}

mod property {
    //! Adding a file that cannot be read, or a policy that cannot be parsed,
    //! to a workspace never changes an answer that does not involve it.

    use proptest::prelude::*;
    use serde_json::json;

    use super::super::fixture::{doc, dump, managed, user, NOW};
    use crate::eval::{evaluate, Principal, Request};
    use crate::policy::RequestContext;
    use crate::workspace::{load_sources, Loaded, Source};

    const PRINCIPALS: [&str; 6] = [
        "alice",
        "bob",
        "carol",
        "dave",
        "arn:aws:iam::111111111111:role/EC2Terminator",
        "arn:aws:iam::222222222222:role/ProdDeploy",
    ];
    const ACTIONS: [&str; 8] = [
        "s3:GetObject",
        "s3:PutObject",
        "ec2:TerminateInstances",
        "ec2:DescribeInstances",
        "iam:CreateUser",
        "sts:AssumeRole",
        "kms:Decrypt",
        "cloudtrail:LookupEvents",
    ];
    const RESOURCES: [&str; 5] = [
        "*",
        "arn:aws:s3:::dev-app-data/report.csv",
        "arn:aws:s3:::prod-app-data/report.csv",
        "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
        "arn:aws:iam::222222222222:role/ProdAdmin",
    ];

    fn workshop_sources() -> Vec<Source> {
        crate::bundled::workshop::FILES
            .iter()
            .map(|(name, text)| Source {
                name: name.to_string(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect()
    }

    /// Something broken to add: raw bytes, or a new account's dump whose
    /// policies cannot be read (an unparseable document, statements that
    /// are all wrong), attached to its own user or to nobody.
    fn junk() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            "[a-z{}\\[\\]\":,0-9 ]{0,80}".prop_map(String::into_bytes),
            (any::<bool>(), "[a-zA-Z%:*\" ]{0,30}").prop_map(|(attached, garbage)| {
                let broken = json!(garbage);
                let weird = doc(json!([{"Effect": "Permit", "Action": garbage, "Resource": 7}]));
                let mut u = user("333333333333", "mallory", &[broken.clone(), weird.clone()]);
                if attached {
                    u["AttachedManagedPolicies"] =
                        json!([{"PolicyArn": "arn:aws:iam::333333333333:policy/Broken"}]);
                }
                let file = dump(
                    vec![u],
                    vec![],
                    vec![],
                    vec![managed("333333333333", "Broken", broken)],
                );
                serde_json::to_vec(&file).unwrap_or_default()
            }),
        ]
    }

    fn answer(loaded: &Loaded, who: &str, action: &str, resource: &str) -> crate::eval::Decision {
        let principal = Principal::lookup(&loaded.workspace, who).unwrap_or_else(|e| panic!("{e}"));
        evaluate(
            &loaded.workspace,
            &principal,
            &Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: RequestContext::new(),
                now_epoch: NOW,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn junk_beside_a_workspace_changes_no_answer_that_does_not_involve_it(
            junk in junk(),
            name in "[a-z]{1,8}",
            who in 0..PRINCIPALS.len(),
            action in 0..ACTIONS.len(),
            resource in 0..RESOURCES.len(),
        ) {
            let clean = load_sources("workshop", workshop_sources());
            let mut sources = workshop_sources();
            sources.push(Source { name: format!("zz-{name}.json"), bytes: junk });
            let messy = load_sources("workshop", sources);
            let (who, action, resource) = (PRINCIPALS[who], ACTIONS[action], RESOURCES[resource]);
            prop_assert_eq!(
                answer(&clean, who, action, resource),
                answer(&messy, who, action, resource)
            );
        }
    }
}
