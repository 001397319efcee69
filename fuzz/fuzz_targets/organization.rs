//! Reading an organization file (any bytes) beside a fixed account, then
//! deciding a request of its user through the SCP and RCP levels the file
//! gives: no panic, and the outcome-only path agrees with the explained one.
#![no_main]

use std::sync::OnceLock;

use iamscope::eval::Request;
use iamscope::policy::RequestContext;
use iamscope::workspace::{load_sources, Source};
use iamscope_fuzz::oracle::{decisions_agree, principal};
use libfuzzer_sys::fuzz_target;

/// An account whose user may do everything, so the organization decides.
fn account() -> &'static Vec<u8> {
    static ACCOUNT: OnceLock<Vec<u8>> = OnceLock::new();
    ACCOUNT.get_or_init(|| {
        serde_json::to_vec(&serde_json::json!({
            "UserDetailList": [{
                "Path": "/", "UserName": "alice", "UserId": "AIDAFUZZALICE00000001",
                "Arn": "arn:aws:iam::111111111111:user/alice",
                "GroupList": [], "AttachedManagedPolicies": [],
                "UserPolicyList": [{"PolicyName": "All", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
                "Tags": []
            }],
            "GroupDetailList": [], "RoleDetailList": [], "Policies": []
        }))
        .unwrap_or_default()
    })
}

const ASKS: [(&str, &str); 3] = [
    ("s3:GetObject", "arn:aws:s3:::bucket/key"),
    ("iam:CreateUser", "arn:aws:iam::111111111111:user/bob"),
    ("kms:Decrypt", "arn:aws:kms:eu-west-1:222222222222:key/k1"),
];

fuzz_target!(|data: &[u8]| {
    let loaded = load_sources(
        "fuzz",
        vec![
            Source {
                name: "account-111111111111.json".into(),
                bytes: account().clone(),
            },
            Source {
                name: "organization.json".into(),
                bytes: data.to_vec(),
            },
        ],
    );
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    let workspace = &loaded.workspace;
    let who = principal(workspace, "alice");
    for (action, resource) in ASKS {
        let request = Request {
            action: action.into(),
            resource: resource.into(),
            context: RequestContext::new(),
            now_epoch: 1_767_258_000,
        };
        decisions_agree(workspace, &who, &request, false);
    }
});
