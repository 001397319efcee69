//! The escalation methods: what each step asks of the evaluator, and where
//! the method is documented. The rules are written from these public
//! sources, cited per method:
//! - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
//!   Mitigation" (methods numbered 1–21 there):
//!   <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>
//! - BishopFox, IAM Vulnerable (one Terraform module per path):
//!   <https://github.com/BishopFox/iam-vulnerable>
//! - nccgroup PMapper, its edge checkers (`principalmapper/graphing/*_edges.py`):
//!   <https://github.com/nccgroup/PMapper>
//! - the AWS API reference page of each action, named per method.

/// One escalation method, as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub id: &'static str,
    /// What the step does, in words.
    pub title: &'static str,
    /// Where the method is documented.
    pub source: &'static str,
}

macro_rules! method {
    ($name:ident, $id:expr, $title:expr, $source:expr) => {
        pub const $name: Method = Method {
            id: $id,
            title: $title,
            source: $source,
        };
    };
}

// The principal may already do everything.
method!(
    FULL_ACCESS,
    "full-access",
    "an Allow of every action on every resource, which no boundary, SCP or deny takes back",
    "IAM User Guide, reference_policies_evaluation-logic"
);
// STS: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html; PMapper sts_edges.py.
method!(
    ASSUME_ROLE,
    "sts-assume-role",
    "assume the role",
    "AWS STS API AssumeRole; PMapper sts_edges.py; IAM Vulnerable privesc-AssumeRole"
);
// Rhino 4; API_CreateAccessKey: a user has at most two access keys.
method!(
    CREATE_ACCESS_KEY,
    "iam-create-access-key",
    "create an access key for the user",
    "Rhino #4; IAM API CreateAccessKey; PMapper iam_edges.py; IAM Vulnerable privesc4"
);
// Rhino 5; API_CreateLoginProfile fails when the user already has a password.
method!(
    CREATE_LOGIN_PROFILE,
    "iam-create-login-profile",
    "give the user a console password",
    "Rhino #5; IAM API CreateLoginProfile; PMapper iam_edges.py; IAM Vulnerable privesc5"
);
// Rhino 6; API_UpdateLoginProfile needs an existing console password.
method!(
    UPDATE_LOGIN_PROFILE,
    "iam-update-login-profile",
    "change the user's console password",
    "Rhino #6; IAM API UpdateLoginProfile; PMapper iam_edges.py; IAM Vulnerable privesc6"
);
// Rhino 14; API_UpdateAssumeRolePolicy.
method!(
    UPDATE_TRUST,
    "iam-update-assume-role-policy",
    "rewrite the role's trust policy to name itself, then assume the role",
    "Rhino #14; IAM API UpdateAssumeRolePolicy; PMapper iam_edges.py; IAM Vulnerable privesc14"
);
// Rhino 1; API_CreatePolicyVersion (--set-as-default needs no SetDefaultPolicyVersion).
method!(
    CREATE_POLICY_VERSION,
    "iam-create-policy-version",
    "write a new default version of a policy attached to itself",
    "Rhino #1; IAM API CreatePolicyVersion; IAM Vulnerable privesc1"
);
// Rhino 2; API_SetDefaultPolicyVersion.
method!(
    SET_DEFAULT_POLICY_VERSION,
    "iam-set-default-policy-version",
    "make another listed version of an attached policy the default",
    "Rhino #2; IAM API SetDefaultPolicyVersion; IAM Vulnerable privesc2"
);
// Rhino 7, 8, 9; API_AttachUserPolicy / AttachGroupPolicy / AttachRolePolicy.
method!(
    ATTACH_POLICY,
    "iam-attach-policy",
    "attach AdministratorAccess to itself (or a group it is in)",
    "Rhino #7-9; IAM API AttachUserPolicy, AttachGroupPolicy, AttachRolePolicy; IAM Vulnerable privesc7-9"
);
// Rhino 10, 11, 12; API_PutUserPolicy / PutGroupPolicy / PutRolePolicy.
method!(
    PUT_POLICY,
    "iam-put-policy",
    "write an inline policy granting everything on itself (or a group it is in)",
    "Rhino #10-12; IAM API PutUserPolicy, PutGroupPolicy, PutRolePolicy; IAM Vulnerable privesc10-12"
);
// Rhino 7-12 aimed at another principal: PMapper's iam_edges.py checks a
// policy written on a user or role the caller can then become.
method!(
    GRANT_THEN_BECOME,
    "iam-grant-then-become",
    "write or attach a policy granting everything on another user or role, then become it",
    "Rhino #7-12 on another principal; IAM API PutUserPolicy, AttachUserPolicy, PutRolePolicy, AttachRolePolicy; PMapper iam_edges.py"
);
// Rhino 13; API_AddUserToGroup.
method!(
    ADD_USER_TO_GROUP,
    "iam-add-user-to-group",
    "add itself to a group whose policies grant everything",
    "Rhino #13; IAM API AddUserToGroup; IAM Vulnerable privesc13"
);
method!(
    PASS_ROLE_EC2,
    "passrole-ec2-run-instances",
    "run an EC2 instance with the role's instance profile",
    "Rhino #3; EC2 API RunInstances; IAM User Guide id_roles_use_switch-role-ec2; PMapper ec2_edges.py; IAM Vulnerable privesc3"
);
method!(
    PASS_ROLE_LAMBDA_INVOKE,
    "passrole-lambda-invoke",
    "create a Lambda function running as the role, and invoke it",
    "Rhino #15; Lambda API CreateFunction, Invoke; PMapper lambda_edges.py; IAM Vulnerable privesc15"
);
method!(
    PASS_ROLE_LAMBDA_EVENT,
    "passrole-lambda-event-source",
    "create a Lambda function running as the role, triggered by an event source",
    "Rhino #16; Lambda API CreateFunction, CreateEventSourceMapping; IAM Vulnerable privesc16"
);
method!(
    PASS_ROLE_CLOUDFORMATION,
    "passrole-cloudformation-create-stack",
    "create a CloudFormation stack run by the role",
    "Rhino #20; CloudFormation API CreateStack (RoleARN); PMapper cloudformation_edges.py; IAM Vulnerable privesc20"
);
method!(
    PASS_ROLE_CODEBUILD,
    "passrole-codebuild-project",
    "create a CodeBuild project run as the role, and start a build",
    "CodeBuild API CreateProject, StartBuild; PMapper codebuild_edges.py; IAM Vulnerable codeBuildCreateProjectPassRole"
);
method!(
    PASS_ROLE_DATAPIPELINE,
    "passrole-datapipeline",
    "create and activate a Data Pipeline run by the role",
    "Rhino #21; Data Pipeline API CreatePipeline, PutPipelineDefinition, ActivatePipeline; IAM Vulnerable privesc21"
);
method!(
    PASS_ROLE_GLUE,
    "passrole-glue-dev-endpoint",
    "create a Glue development endpoint running as the role",
    "Rhino #18; Glue API CreateDevEndpoint; IAM Vulnerable privesc18"
);
method!(
    PASS_ROLE_SAGEMAKER_NOTEBOOK,
    "passrole-sagemaker-notebook",
    "create a SageMaker notebook instance running as the role, and open it",
    "SageMaker API CreateNotebookInstance, CreatePresignedNotebookInstanceUrl; PMapper sagemaker_edges.py; IAM Vulnerable sageMakerCreateNotebookPassRole"
);
method!(
    PASS_ROLE_SAGEMAKER_TRAINING,
    "passrole-sagemaker-training-job",
    "create a SageMaker training job running as the role",
    "SageMaker API CreateTrainingJob; IAM Vulnerable sageMakerCreateTrainingJobPassRole"
);
method!(
    PASS_ROLE_SAGEMAKER_PROCESSING,
    "passrole-sagemaker-processing-job",
    "create a SageMaker processing job running as the role",
    "SageMaker API CreateProcessingJob; IAM Vulnerable sageMakerCreateProcessingJobPassRole"
);
method!(
    EXISTING_LAMBDA,
    "existing-lambda-update-code",
    "replace the code of an existing Lambda function running as the role",
    "Rhino #17; Lambda API UpdateFunctionCode; PMapper lambda_edges.py; IAM Vulnerable privesc17"
);
method!(
    EXISTING_GLUE,
    "existing-glue-update-dev-endpoint",
    "put its own SSH key on an existing Glue development endpoint running as the role",
    "Rhino #19; Glue API UpdateDevEndpoint; IAM Vulnerable privesc19"
);
method!(
    EXISTING_SSM_COMMAND,
    "existing-ssm-send-command",
    "run a command on an existing EC2 instance with the role's profile",
    "SSM API SendCommand; PMapper ssm_edges.py; IAM Vulnerable ssmSendCommand"
);
method!(
    EXISTING_SSM_SESSION,
    "existing-ssm-start-session",
    "open a shell on an existing EC2 instance with the role's profile",
    "SSM API StartSession; PMapper ssm_edges.py; IAM Vulnerable ssmStartSession"
);
method!(
    EXISTING_INSTANCE_CONNECT,
    "existing-ec2-instance-connect",
    "push an SSH key to an existing EC2 instance with the role's profile",
    "EC2 Instance Connect API SendSSHPublicKey; IAM Vulnerable ec2InstanceConnect"
);
method!(
    EXISTING_CLOUDFORMATION,
    "existing-cloudformation-update-stack",
    "update an existing CloudFormation stack run by the role",
    "CloudFormation API UpdateStack; IAM Vulnerable CloudFormationUpdateStack"
);
method!(
    EXISTING_SAGEMAKER_NOTEBOOK,
    "existing-sagemaker-presigned-url",
    "open an existing SageMaker notebook instance running as the role",
    "SageMaker API CreatePresignedNotebookInstanceUrl; IAM Vulnerable sageMakerCreatePresignedNotebookURL"
);

/// Every method, for the README and the help.
pub const METHODS: [Method; 29] = [
    FULL_ACCESS,
    ASSUME_ROLE,
    CREATE_ACCESS_KEY,
    CREATE_LOGIN_PROFILE,
    UPDATE_LOGIN_PROFILE,
    UPDATE_TRUST,
    CREATE_POLICY_VERSION,
    SET_DEFAULT_POLICY_VERSION,
    ATTACH_POLICY,
    PUT_POLICY,
    GRANT_THEN_BECOME,
    ADD_USER_TO_GROUP,
    PASS_ROLE_EC2,
    PASS_ROLE_LAMBDA_INVOKE,
    PASS_ROLE_LAMBDA_EVENT,
    PASS_ROLE_CLOUDFORMATION,
    PASS_ROLE_CODEBUILD,
    PASS_ROLE_DATAPIPELINE,
    PASS_ROLE_GLUE,
    PASS_ROLE_SAGEMAKER_NOTEBOOK,
    PASS_ROLE_SAGEMAKER_TRAINING,
    PASS_ROLE_SAGEMAKER_PROCESSING,
    EXISTING_LAMBDA,
    EXISTING_GLUE,
    EXISTING_SSM_COMMAND,
    EXISTING_SSM_SESSION,
    EXISTING_INSTANCE_CONNECT,
    EXISTING_CLOUDFORMATION,
    EXISTING_SAGEMAKER_NOTEBOOK,
];

/// What a service action of a route is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The resource the step creates or uses (a function, a stack...): a
    /// name of the caller's choosing in its own account ([`Route::witness`]).
    Witness,
    /// `*`: the action has no resource type (Service Authorization
    /// Reference: `datapipeline:CreatePipeline`, `lambda:CreateEventSourceMapping`).
    Star,
}

/// The services that run code as a role: the role must trust the service
/// principal (IAM User Guide, id_roles_create_for-service), and is passed
/// with `iam:PassRole` (id_roles_use_passrole), whose `iam:PassedToService`
/// key is the service principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// The service principal the role's trust policy must name.
    pub service: &'static str,
    /// `iam:PassRole` is needed (a new resource); an existing resource
    /// already has its role.
    pub passes_role: bool,
    /// EC2 runs code as a role only through an instance profile of it.
    pub needs_profile: bool,
    /// The resource the step acts on, `{region}` and `{account}` filled in.
    pub witness: &'static str,
    pub actions: &'static [(&'static str, On)],
    /// What the step needs that a dump cannot show (empty: nothing).
    pub needs: &'static str,
}

/// The region of the resources a step creates: any region would do, the
/// statements' own patterns are tried too ([`super::ask`]).
pub const REGION: &str = "us-east-1";

pub const ROUTES: [Route; 17] = [
    Route {
        method: PASS_ROLE_EC2,
        service: "ec2.amazonaws.com",
        passes_role: true,
        needs_profile: true,
        // RunInstances is authorized on the instance being created
        // (Service Authorization Reference, Amazon EC2, RunInstances).
        witness: "arn:aws:ec2:{region}:{account}:instance/*",
        actions: &[("ec2:RunInstances", On::Witness)],
        needs: "",
    },
    Route {
        method: PASS_ROLE_LAMBDA_INVOKE,
        service: "lambda.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:lambda:{region}:{account}:function:iamscope-escalation",
        actions: &[
            ("lambda:CreateFunction", On::Witness),
            ("lambda:InvokeFunction", On::Witness),
        ],
        needs: "",
    },
    Route {
        method: PASS_ROLE_LAMBDA_EVENT,
        service: "lambda.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:lambda:{region}:{account}:function:iamscope-escalation",
        actions: &[
            ("lambda:CreateFunction", On::Witness),
            ("lambda:CreateEventSourceMapping", On::Star),
        ],
        needs: "an event source to trigger the function (a DynamoDB or Kinesis stream, an SQS queue): the dump does not show one",
    },
    Route {
        method: PASS_ROLE_CLOUDFORMATION,
        service: "cloudformation.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:cloudformation:{region}:{account}:stack/iamscope-escalation/00000000-0000-0000-0000-000000000000",
        actions: &[("cloudformation:CreateStack", On::Witness)],
        needs: "",
    },
    Route {
        method: PASS_ROLE_CODEBUILD,
        service: "codebuild.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:codebuild:{region}:{account}:project/iamscope-escalation",
        actions: &[
            ("codebuild:CreateProject", On::Witness),
            ("codebuild:StartBuild", On::Witness),
        ],
        needs: "",
    },
    Route {
        method: PASS_ROLE_DATAPIPELINE,
        service: "datapipeline.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:datapipeline:{region}:{account}:pipeline/df-iamscope",
        actions: &[
            ("datapipeline:CreatePipeline", On::Star),
            ("datapipeline:PutPipelineDefinition", On::Witness),
            ("datapipeline:ActivatePipeline", On::Witness),
        ],
        needs: "",
    },
    Route {
        method: PASS_ROLE_GLUE,
        service: "glue.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:glue:{region}:{account}:devEndpoint/iamscope-escalation",
        actions: &[("glue:CreateDevEndpoint", On::Witness)],
        needs: "",
    },
    Route {
        method: PASS_ROLE_SAGEMAKER_NOTEBOOK,
        service: "sagemaker.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:sagemaker:{region}:{account}:notebook-instance/iamscope-escalation",
        actions: &[
            ("sagemaker:CreateNotebookInstance", On::Witness),
            ("sagemaker:CreatePresignedNotebookInstanceUrl", On::Witness),
        ],
        needs: "",
    },
    Route {
        method: PASS_ROLE_SAGEMAKER_TRAINING,
        service: "sagemaker.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:sagemaker:{region}:{account}:training-job/iamscope-escalation",
        actions: &[("sagemaker:CreateTrainingJob", On::Witness)],
        needs: "",
    },
    Route {
        method: PASS_ROLE_SAGEMAKER_PROCESSING,
        service: "sagemaker.amazonaws.com",
        passes_role: true,
        needs_profile: false,
        witness: "arn:aws:sagemaker:{region}:{account}:processing-job/iamscope-escalation",
        actions: &[("sagemaker:CreateProcessingJob", On::Witness)],
        needs: "",
    },
    Route {
        method: EXISTING_LAMBDA,
        service: "lambda.amazonaws.com",
        passes_role: false,
        needs_profile: false,
        witness: "arn:aws:lambda:{region}:{account}:function:iamscope-existing",
        actions: &[("lambda:UpdateFunctionCode", On::Witness)],
        needs: "an existing Lambda function that runs as this role, and something that invokes it: the dump does not show functions",
    },
    Route {
        method: EXISTING_GLUE,
        service: "glue.amazonaws.com",
        passes_role: false,
        needs_profile: false,
        witness: "arn:aws:glue:{region}:{account}:devEndpoint/iamscope-existing",
        actions: &[("glue:UpdateDevEndpoint", On::Witness)],
        needs: "an existing Glue development endpoint that runs as this role: the dump does not show endpoints",
    },
    Route {
        method: EXISTING_SSM_COMMAND,
        service: "ec2.amazonaws.com",
        passes_role: false,
        needs_profile: true,
        witness: "arn:aws:ec2:{region}:{account}:instance/i-0iamscope00000000",
        actions: &[("ssm:SendCommand", On::Witness)],
        needs: "a running EC2 instance with this role's instance profile, managed by SSM: the dump does not show instances",
    },
    Route {
        method: EXISTING_SSM_SESSION,
        service: "ec2.amazonaws.com",
        passes_role: false,
        needs_profile: true,
        witness: "arn:aws:ec2:{region}:{account}:instance/i-0iamscope00000000",
        actions: &[("ssm:StartSession", On::Witness)],
        needs: "a running EC2 instance with this role's instance profile, managed by SSM: the dump does not show instances",
    },
    Route {
        method: EXISTING_INSTANCE_CONNECT,
        service: "ec2.amazonaws.com",
        passes_role: false,
        needs_profile: true,
        witness: "arn:aws:ec2:{region}:{account}:instance/i-0iamscope00000000",
        actions: &[("ec2-instance-connect:SendSSHPublicKey", On::Witness)],
        needs: "a running EC2 instance with this role's instance profile, reachable by SSH: the dump does not show instances",
    },
    Route {
        method: EXISTING_CLOUDFORMATION,
        service: "cloudformation.amazonaws.com",
        passes_role: false,
        needs_profile: false,
        witness: "arn:aws:cloudformation:{region}:{account}:stack/iamscope-existing/00000000-0000-0000-0000-000000000000",
        actions: &[("cloudformation:UpdateStack", On::Witness)],
        needs: "an existing CloudFormation stack run by this role: the dump does not show stacks",
    },
    Route {
        method: EXISTING_SAGEMAKER_NOTEBOOK,
        service: "sagemaker.amazonaws.com",
        passes_role: false,
        needs_profile: false,
        witness: "arn:aws:sagemaker:{region}:{account}:notebook-instance/iamscope-existing",
        actions: &[("sagemaker:CreatePresignedNotebookInstanceUrl", On::Witness)],
        needs: "an existing SageMaker notebook instance that runs as this role: the dump does not show notebooks",
    },
];

/// The service principals routes need, in a fixed order (a role's trusted
/// services are kept as a bit set over it).
pub const SERVICES: [&str; 7] = [
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "cloudformation.amazonaws.com",
    "codebuild.amazonaws.com",
    "datapipeline.amazonaws.com",
    "glue.amazonaws.com",
    "sagemaker.amazonaws.com",
];

/// The bit of `service` in a trusted-services set.
pub fn service_bit(service: &str) -> u16 {
    SERVICES
        .iter()
        .position(|s| s.eq_ignore_ascii_case(service))
        .map_or(0, |i| 1 << i)
}

/// The route's resource in `account`.
pub fn witness(route: &Route, account: &str) -> String {
    route
        .witness
        .replace("{region}", REGION)
        .replace("{account}", account)
}
