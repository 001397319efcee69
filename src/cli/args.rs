//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Explore AWS IAM permissions from account dumps, offline.
#[derive(Debug, Parser)]
#[command(name = "iamscope", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A workspace: one JSON file or a folder of them (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// Capture the mouse in the terminal UI (click, wheel); `m` toggles it.
    #[arg(long)]
    pub mouse: bool,
    /// Print a summary of the workspace instead of opening the terminal UI.
    #[arg(long)]
    pub summary: bool,
    /// Load the workspace from its files without the snapshot cache (and
    /// write none); see the README, "The snapshot cache".
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(flatten)]
    pub ui: UiArgs,
}

/// How the terminal UI looks (for a room: `--present --theme high-contrast`).
#[derive(Debug, Clone, Default, Args)]
pub struct UiArgs {
    /// Colours: default, high-contrast (projectors) or light (light
    /// backgrounds); `T` in the UI changes it. Without it: the theme last
    /// chosen with `T` (remembered in $XDG_CONFIG_HOME/iamscope/config.json),
    /// else high-contrast with --present, else default.
    #[arg(long, value_name = "THEME", value_parser = ["default", "high-contrast", "light"])]
    pub theme: Option<String>,
    /// Start in presenter mode (`P` toggles it): the focused pane zoomed, a
    /// larger event log, the request context in the header.
    #[arg(long)]
    pub present: bool,
    /// Re-open a demo state saved with `S` (selection, context, sessions,
    /// clock, tour step).
    #[arg(long, value_name = "FILE")]
    pub restore: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decide whether a principal may perform an action, and say why.
    /// Exit status: 0 allowed, 1 denied, 2 bad input.
    Check(CheckArgs),
    /// Can a principal assume a role, and what does the session gain and lose?
    /// Exit status: 0 allowed, 1 denied, 2 bad input.
    Assume(AssumeArgs),
    /// The effective permissions of a principal: every action it may perform.
    Permissions(PermissionsArgs),
    /// Every principal that can perform an action, directly or through roles.
    WhoCan(WhoCanArgs),
    /// Which users and roles can become admin (privilege escalation), and by which path.
    Escalation(EscalationArgs),
    /// Compare two principals (--principal A --with B), or two dumps of an
    /// account (OLD_WORKSPACE NEW_WORKSPACE): actions gained and lost.
    Diff(DiffArgs),
    /// Open the terminal UI directly in a guided tour of the workspace.
    Tour(TourArgs),
    /// Load a workspace and report every problem with file, line and column.
    /// Exit status: 0 without errors (warnings are printed), 2 with errors.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// A user or role ARN, an assumed-role session ARN, or a name unique in the workspace.
    /// A role means a session of that role; an account id or arn:aws:iam::ID:root, its root user.
    #[arg(long, short = 'p', required_unless_present = "batch")]
    pub principal: Option<String>,
    /// The action, e.g. s3:GetObject.
    #[arg(long, short = 'a', required_unless_present = "batch")]
    pub action: Option<String>,
    /// Many questions, one load: a JSON Lines file (`-`: standard input), one
    /// {"principal", "action", "resource", "context"} object per line; one
    /// JSON answer per line on standard output, in order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["principal", "action", "session_policy"])]
    pub batch: Option<PathBuf>,
    /// The resource ARN.
    #[arg(long, short = 'r', default_value = "*")]
    pub resource: String,
    /// A request context key, KEY=VALUE; give a key several times for several values.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// The account that owns the resource, when its ARN names none and the
    /// workspace does not tell (an S3 bucket without a policy); the same as
    /// --context aws:ResourceAccount=ID.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub resource_account: Option<String>,
    /// A session policy (JSON file) limiting a role session.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// Ask about an action the catalog does not know (one newer than the
    /// catalog); without it, such an action is refused with the closest names.
    #[arg(long)]
    pub unknown_action: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// Print the problems as a JSON array (every one of them).
    #[arg(long)]
    pub json: bool,
    /// One line per problem, even where they repeat (every action of one
    /// unknown service); by default those are one line with a count.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct AssumeArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// Who asks: a user or role ARN, an assumed-role ARN (role chaining), or a unique name.
    #[arg(long, short = 'p')]
    pub principal: String,
    /// The role: its ARN or a name unique in the workspace.
    #[arg(long)]
    pub role: String,
    /// DurationSeconds (900 up to the role's MaxSessionDuration; default 3600).
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<u32>,
    /// RoleSessionName.
    #[arg(long, default_value = crate::eval::principal::DEFAULT_SESSION_NAME)]
    pub session_name: String,
    /// A session policy (JSON file) limiting the session.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// A request context key, KEY=VALUE (e.g. aws:MultiFactorAuthPresent=true, sts:ExternalId=...).
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// A session tag, KEY=VALUE (the same as --context aws:RequestTag/KEY=VALUE):
    /// the role's trust policy must allow sts:TagSession; the session carries it
    /// as aws:PrincipalTag/KEY.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// A user or role ARN, an assumed-role ARN, or a unique name; give it
    /// several times for several principals (one load, one answer each).
    #[arg(long, short = 'p', required = true)]
    pub principal: Vec<String>,
    /// Only this service prefix (e.g. s3).
    #[arg(long)]
    pub service: Option<String>,
    /// A request context key, KEY=VALUE; conditions on keys given are decided.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// The action, e.g. ec2:TerminateInstances; give it several times for
    /// several actions (one load, one answer each).
    #[arg(long, short = 'a', required = true)]
    pub action: Vec<String>,
    /// The resource ARN.
    #[arg(long, short = 'r', default_value = "*")]
    pub resource: String,
    /// A request context key, KEY=VALUE.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// The account that owns the resource, when its ARN names none and the
    /// workspace does not tell (an S3 bucket without a policy); the same as
    /// --context aws:ResourceAccount=ID.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub resource_account: Option<String>,
    /// Also name the principals that can become one who can, through
    /// privilege escalation steps (see `iamscope escalation`).
    #[arg(long)]
    pub escalation: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EscalationArgs {
    /// The workspace (default: the bundled workshop).
    pub workspace: Option<PathBuf>,
    /// Only this user or role: an ARN or a name unique in the workspace.
    #[arg(long, short = 'p')]
    pub principal: Option<String>,
    /// A request context key, KEY=VALUE; every step is asked with it.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TourArgs {
    /// The workspace (default: the bundled workshop, with its five tours).
    pub workspace: Option<PathBuf>,
    /// The tour to start: its title or file name, or a part of either (default: choose).
    #[arg(long)]
    pub name: Option<String>,
    /// Capture the mouse.
    #[arg(long)]
    pub mouse: bool,
    #[command(flatten)]
    pub ui: UiArgs,
}

/// Two forms, told apart by `--principal`: with it, at most one workspace
/// and two principals in it; without it, exactly two workspaces.
#[derive(Debug, Args)]
#[command(after_help = "Forms:\n  \
    iamscope diff [WORKSPACE] --principal A --with B [--context K=V]... [--service S] [--json]\n      \
    what B may do that A may not (+) and the reverse (-), under the same context\n  \
    iamscope diff OLD_WORKSPACE NEW_WORKSPACE [--json]\n      \
    principals added and removed, and each one's actions gained (+) and lost (-)\n\n\
    Neither form writes to a workspace.")]
pub struct DiffArgs {
    /// With --principal: the workspace (default: the bundled workshop).
    /// Without: OLD_WORKSPACE NEW_WORKSPACE, two dumps to compare.
    #[arg(value_name = "WORKSPACE", num_args = 0..=2)]
    pub workspaces: Vec<PathBuf>,
    /// The principal compared from (A): a user or role ARN, an assumed-role ARN, or a unique name.
    #[arg(long, short = 'p', requires = "with")]
    pub principal: Option<String>,
    /// The principal compared to (B): what it may do that A may not is gained (+).
    #[arg(long, value_name = "PRINCIPAL", requires = "principal")]
    pub with: Option<String>,
    /// A request context key, KEY=VALUE, the same for both principals.
    #[arg(
        long = "context",
        short = 'c',
        value_name = "KEY=VALUE",
        requires = "principal"
    )]
    pub context: Vec<String>,
    /// Only this service prefix (e.g. s3).
    #[arg(long, requires = "principal")]
    pub service: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
