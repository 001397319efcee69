//! A deterministic enterprise workspace, for benchmarks and load tests.
//!
//! ```sh
//! cargo run --release --example generate -- --out DIR [--scale N] [--seed S] [--force]
//! ```
//!
//! Writes `account-<id>.json` (one `aws iam get-account-authorization-details`
//! dump per account), `organization.json` and `resource-policies.json`. At
//! scale 1: 10 accounts, 10,000 users, 2,000 groups, 3,000 roles, 5,000
//! customer managed policies (1 to 3 versions each), 300 resource policies,
//! about 100 MB of JSON printed as the AWS CLI prints it (4-space indent).
//! Counts scale linearly with N (the number of accounts too, at least 3).
//!
//! The same scale and seed give byte-identical files on every platform: the
//! only randomness is a splitmix64 stream, nothing iterates a hash map, and
//! action names come from `data/aws-iam-catalog.tsv`, so every action the
//! generator writes is one iamscope knows.
//!
//! `tests/generator.rs` compiles this file as a module: `main` is left out there.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

// ---------------------------------------------------------------- entry points

/// What [`generate`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub accounts: usize,
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    pub policy_versions: usize,
    pub resource_policies: usize,
    pub service_control_policies: usize,
    pub resource_control_policies: usize,
    /// File names (not paths), in the order written.
    pub files: Vec<String>,
    pub bytes: u64,
}

/// Writes the workspace into `out` (created if missing; existing files of the
/// same names are overwritten, others are left alone).
pub fn generate(out: &Path, scale: f64, seed: u64) -> io::Result<Summary> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the scale must be a positive number, not {scale}"),
        ));
    }
    let catalog = Catalog::load()?;
    let world = World::plan(&catalog, scale, seed);
    std::fs::create_dir_all(out)?;
    let mut summary = Summary {
        accounts: world.accounts.len(),
        ..Summary::default()
    };
    let write = |name: String, value: &J, summary: &mut Summary| -> io::Result<()> {
        let mut bytes = Vec::with_capacity(1 << 20);
        value.write(&mut bytes, 0);
        bytes.push(b'\n');
        std::fs::write(out.join(&name), &bytes)?;
        summary.bytes += bytes.len() as u64;
        summary.files.push(name);
        Ok(())
    };
    for index in 0..world.accounts.len() {
        let mut generator = Generator::new(&world, index);
        let dump = generator.account_dump();
        summary.users += world.accounts[index].users.len();
        summary.groups += world.accounts[index].groups.len();
        summary.roles += world.accounts[index].roles.len();
        summary.policies += world.accounts[index].policies.len();
        summary.policy_versions += generator.versions_written;
        let name = format!("account-{}.json", world.accounts[index].id);
        write(name, &dump, &mut summary)?;
    }
    let (organization, scps, rcps) = world.organization();
    summary.service_control_policies = scps;
    summary.resource_control_policies = rcps;
    write("organization.json".into(), &organization, &mut summary)?;
    let resources = world.resource_policies();
    summary.resource_policies = resources.len();
    let resources = J::obj().k("ResourcePolicies", J::Arr(resources));
    write(
        "resource-policies.json".into(),
        &resources.into(),
        &mut summary,
    )?;
    Ok(summary)
}

#[cfg(not(test))]
fn main() {
    use std::path::PathBuf;
    const USAGE: &str =
        "usage: cargo run --release --example generate -- --out DIR [--scale N] [--seed S] [--force]";
    let fail = |message: String| -> ! {
        eprintln!("generate: {message}\n{USAGE}");
        std::process::exit(2)
    };
    let mut out: Option<PathBuf> = None;
    let mut scale = 1.0_f64;
    let mut seed = 42_u64;
    let mut force = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out"))),
            "--scale" => {
                let v = value("--scale");
                scale = match v.parse::<f64>() {
                    Ok(s) if s.is_finite() && s > 0.0 => s,
                    _ => fail(format!("--scale takes a positive number, not \"{v}\"")),
                }
            }
            "--seed" => {
                let v = value("--seed");
                seed = v
                    .parse()
                    .unwrap_or_else(|_| fail(format!("--seed takes an integer, not \"{v}\"")));
            }
            "--force" => force = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(format!("unknown argument \"{other}\"")),
        }
    }
    let out = out.unwrap_or_else(|| fail("--out DIR is required".into()));
    if let Ok(entries) = std::fs::read_dir(&out) {
        let names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if !names.is_empty() && !force {
            fail(format!(
                "{} is not empty; pass --force to write into it",
                out.display()
            ));
        }
        // A smaller run must not leave a bigger run's accounts behind.
        for name in names.iter().filter(|n| is_generated_name(n)) {
            if let Err(e) = std::fs::remove_file(out.join(name)) {
                fail(format!("cannot remove {}: {e}", out.join(name).display()));
            }
        }
    }
    let started = std::time::Instant::now();
    let summary = match generate(&out, scale, seed) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(1)
        }
    };
    println!(
        "wrote {} files to {} in {:.2} s (scale {scale}, seed {seed})",
        summary.files.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "  {} accounts, {} users, {} groups, {} roles, {} customer managed policies ({} versions)",
        summary.accounts,
        summary.users,
        summary.groups,
        summary.roles,
        summary.policies,
        summary.policy_versions
    );
    println!(
        "  {} resource policies, {} SCPs, {} RCPs; {} bytes ({:.1} MB)",
        summary.resource_policies,
        summary.service_control_policies,
        summary.resource_control_policies,
        summary.bytes,
        summary.bytes as f64 / 1e6
    );
}

/// Files this generator writes, which `--force` replaces.
#[cfg(not(test))]
fn is_generated_name(name: &str) -> bool {
    name == "organization.json"
        || name == "resource-policies.json"
        || (name.starts_with("account-") && name.ends_with(".json"))
}

// ---------------------------------------------------------------- randomness

/// splitmix64: tiny, fast and the same everywhere.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total as usize) as u32;
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }

    /// `k` distinct indices of 0..n, in increasing order.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut chosen = BTreeSet::new();
        while chosen.len() < k {
            chosen.insert(self.below(n));
        }
        chosen.into_iter().collect()
    }

    /// An IAM unique id: a 4-letter prefix and 17 base-32 characters.
    fn unique_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::with_capacity(21);
        s.push_str(prefix);
        for _ in 0..17 {
            s.push(ALPHABET[self.below(32)] as char);
        }
        s
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }

    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.pick(&['8', '9', 'a', 'b']),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A date-time between 2016 and mid-2025, as the AWS CLI prints it.
    fn date(&mut self) -> i64 {
        const FROM: i64 = 1_451_606_400; // 2016-01-01
        const TO: i64 = 1_751_241_600; // 2025-06-30
        FROM + (self.next_u64() % (TO - FROM) as u64) as i64
    }
}

fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// ---------------------------------------------------------------- JSON

/// A JSON value whose objects keep their keys in order, as the AWS CLI prints them.
#[derive(Debug, Clone)]
enum J {
    Bool(bool),
    Int(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(Cow<'static, str>, J)>),
}

/// An object under construction.
struct O(Vec<(Cow<'static, str>, J)>);

impl O {
    fn k(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<J>) -> O {
        self.0.push((key.into(), value.into()));
        self
    }

    fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<J>) {
        self.0.push((key.into(), value.into()));
    }
}

impl J {
    fn obj() -> O {
        O(Vec::new())
    }

    fn strs<S: AsRef<str>>(items: &[S]) -> J {
        J::Arr(
            items
                .iter()
                .map(|s| J::Str(s.as_ref().to_string()))
                .collect(),
        )
    }

    /// One string, or a list when there are several (as people write policies).
    fn one_or_many<S: AsRef<str>>(items: &[S]) -> J {
        if items.len() == 1 {
            J::Str(items[0].as_ref().to_string())
        } else {
            J::strs(items)
        }
    }

    fn write(&self, out: &mut Vec<u8>, indent: usize) {
        fn newline(out: &mut Vec<u8>, indent: usize) {
            out.push(b'\n');
            out.resize(out.len() + 4 * indent, b' ');
        }
        match self {
            J::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            J::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            J::Str(s) => write_str(out, s),
            J::Arr(items) if items.is_empty() => out.extend_from_slice(b"[]"),
            J::Obj(fields) if fields.is_empty() => out.extend_from_slice(b"{}"),
            J::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    item.write(out, indent + 1);
                }
                newline(out, indent);
                out.push(b']');
            }
            J::Obj(fields) => {
                out.push(b'{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    write_str(out, key);
                    out.extend_from_slice(b": ");
                    value.write(out, indent + 1);
                }
                newline(out, indent);
                out.push(b'}');
            }
        }
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("writing to memory cannot fail");
}

impl From<O> for J {
    fn from(o: O) -> J {
        J::Obj(o.0)
    }
}
impl From<&str> for J {
    fn from(s: &str) -> J {
        J::Str(s.to_string())
    }
}
impl From<String> for J {
    fn from(s: String) -> J {
        J::Str(s)
    }
}
impl From<&String> for J {
    fn from(s: &String) -> J {
        J::Str(s.clone())
    }
}
impl From<bool> for J {
    fn from(b: bool) -> J {
        J::Bool(b)
    }
}
impl From<u64> for J {
    fn from(n: u64) -> J {
        J::Int(n)
    }
}
impl From<Vec<J>> for J {
    fn from(v: Vec<J>) -> J {
        J::Arr(v)
    }
}

// ---------------------------------------------------------------- the action catalog

struct Action {
    name: String,
    /// Resource types without the trailing `*` of required ones.
    types: Vec<String>,
}

struct Service {
    prefix: String,
    actions: Vec<Action>,
    /// Resource type → ARN template (`arn:${Partition}:s3:::${BucketName}`).
    templates: BTreeMap<String, String>,
    /// Resource type → the actions that take it.
    by_type: BTreeMap<String, Vec<usize>>,
    /// Leading verbs of action names (`Get`, `List`, `Put`...), sorted.
    verbs: Vec<String>,
}

struct Catalog {
    services: Vec<Service>,
    index: BTreeMap<String, usize>,
}

/// Services statements favour, with weights; a few percent of statements use
/// any service of the catalog.
const COMMON_SERVICES: &[(&str, u32)] = &[
    ("s3", 20),
    ("ec2", 15),
    ("dynamodb", 8),
    ("lambda", 8),
    ("logs", 6),
    ("cloudwatch", 6),
    ("rds", 5),
    ("sqs", 5),
    ("sns", 4),
    ("kms", 4),
    ("ecr", 4),
    ("ecs", 4),
    ("secretsmanager", 4),
    ("ssm", 4),
    ("iam", 3),
    ("eks", 3),
    ("cloudformation", 3),
    ("sts", 2),
    ("route53", 2),
    ("elasticloadbalancing", 2),
    ("autoscaling", 2),
    ("kinesis", 2),
    ("glue", 2),
    ("athena", 2),
    ("states", 2),
    ("apigateway", 2),
    ("events", 2),
    ("sagemaker", 2),
    ("codebuild", 2),
    ("cloudtrail", 1),
    ("config", 1),
    ("guardduty", 1),
    ("elasticache", 1),
    ("es", 1),
    ("codepipeline", 1),
    ("codecommit", 1),
    ("redshift", 1),
    ("backup", 1),
    ("acm", 1),
    ("xray", 1),
];

impl Catalog {
    fn load() -> io::Result<Catalog> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/aws-iam-catalog.tsv");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let mut catalog = Catalog {
            services: Vec::new(),
            index: BTreeMap::new(),
        };
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let kind = cols[0];
            if (kind != "A" && kind != "R") || cols.len() < 4 {
                continue;
            }
            let prefix = cols[1];
            let si = match catalog.index.get(prefix) {
                Some(&i) => i,
                None => {
                    catalog.services.push(Service {
                        prefix: prefix.to_string(),
                        actions: Vec::new(),
                        templates: BTreeMap::new(),
                        by_type: BTreeMap::new(),
                        verbs: Vec::new(),
                    });
                    catalog
                        .index
                        .insert(prefix.to_string(), catalog.services.len() - 1);
                    catalog.services.len() - 1
                }
            };
            let service = &mut catalog.services[si];
            if kind == "A" {
                let types = cols
                    .get(4)
                    .map(|t| {
                        t.split(',')
                            .filter(|t| !t.is_empty())
                            .map(|t| t.trim_end_matches('*').to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                service.actions.push(Action {
                    name: cols[2].to_string(),
                    types,
                });
            } else {
                service
                    .templates
                    .insert(cols[2].to_string(), cols[3].to_string());
            }
        }
        for service in &mut catalog.services {
            let mut verbs = BTreeSet::new();
            for (i, action) in service.actions.iter().enumerate() {
                for t in &action.types {
                    service.by_type.entry(t.clone()).or_default().push(i);
                }
                let verb: String = action
                    .name
                    .char_indices()
                    .take_while(|&(i, c)| i == 0 || c.is_ascii_lowercase())
                    .map(|(_, c)| c)
                    .collect();
                if verb.len() >= 3 {
                    verbs.insert(verb);
                }
            }
            service.verbs = verbs.into_iter().collect();
        }
        catalog.services.retain(|s| !s.actions.is_empty());
        catalog.index = catalog
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.prefix.clone(), i))
            .collect();
        if catalog.services.len() < 100 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: too few services", path.display()),
            ));
        }
        Ok(catalog)
    }

    fn service(&self, prefix: &str) -> Option<&Service> {
        self.index.get(prefix).map(|&i| &self.services[i])
    }

    /// Whether an `Action` entry matches at least one action, as iamscope
    /// checks it (case-insensitive, `*` and `?` wildcards).
    fn matches(&self, pattern: &str) -> bool {
        if pattern == "*" {
            return true;
        }
        let Some((prefix, name)) = pattern.split_once(':') else {
            return false;
        };
        let prefix = prefix.to_ascii_lowercase();
        self.services
            .iter()
            .filter(|s| glob(&prefix, &s.prefix))
            .any(|s| s.actions.iter().any(|a| glob(name, &a.name)))
    }

    /// The entries of a hand-written list that the catalog knows.
    fn known(&self, patterns: &[&str]) -> Vec<String> {
        patterns
            .iter()
            .filter(|p| self.matches(p))
            .map(|p| p.to_string())
            .collect()
    }
}

/// Case-insensitive glob with `*` and `?`.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<u8> = pattern.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let t: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

// ---------------------------------------------------------------- the plan

const TEAMS: &[&str] = &[
    "payments",
    "checkout",
    "data",
    "platform",
    "security",
    "mobile",
    "search",
    "identity",
    "billing",
    "analytics",
    "ml",
    "sre",
    "web",
    "growth",
    "infra",
];

const FIRST_NAMES: &[&str] = &[
    "james",
    "mary",
    "robert",
    "patricia",
    "john",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "william",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "daniel",
    "nancy",
    "matthew",
    "lisa",
    "anthony",
    "betty",
    "mark",
    "sandra",
    "paul",
    "ashley",
    "steven",
    "emily",
    "andrew",
    "donna",
    "kenneth",
    "michelle",
    "joshua",
    "carol",
    "kevin",
    "amanda",
    "aisha",
    "wei",
    "priya",
    "mateo",
    "yuki",
    "olga",
    "fatima",
    "lars",
    "chloe",
    "ravi",
];

const LAST_NAMES: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "chen",
    "patel",
    "kowalski",
    "muller",
    "rossi",
    "silva",
    "tanaka",
    "okafor",
    "novak",
    "dubois",
];

const GROUP_FUNCTIONS: &[&str] = &[
    "developers",
    "admins",
    "readonly",
    "oncall",
    "analysts",
    "deployers",
    "auditors",
    "data-engineers",
    "support",
    "release-managers",
];

const ROLE_PURPOSES: &[&str] = &[
    "deploy",
    "admin",
    "readonly",
    "operator",
    "breakglass",
    "etl",
    "reporting",
    "backup",
    "monitoring",
    "migration",
    "incident-response",
    "cost-explorer",
];

/// Purposes of customer managed and inline policies: (name, the service
/// their statements favour, the kind of their first statement; see
/// [`Generator::statement`]).
const POLICY_PURPOSES: &[(&str, &str, u8)] = &[
    ("s3-access", "s3", 1),
    ("s3-home-folders", "s3", 3),
    ("dynamodb-tables", "dynamodb", 1),
    ("lambda-deploy", "lambda", 2),
    ("logs-read", "logs", 0),
    ("ecr-push", "ecr", 1),
    ("ecs-deploy", "ecs", 1),
    ("secrets-read", "secretsmanager", 1),
    ("kms-usage", "kms", 1),
    ("sqs-consumer", "sqs", 1),
    ("sns-publish", "sns", 1),
    ("ec2-operate", "ec2", 0),
    ("rds-admin", "rds", 2),
    ("glue-jobs", "glue", 1),
    ("athena-query", "athena", 1),
    ("cloudformation-stacks", "cloudformation", 2),
    ("monitoring", "cloudwatch", 0),
    ("assume-roles", "sts", 8),
    ("self-service", "iam", 4),
    ("pass-role", "iam", 9),
    ("ssm-sessions", "ssm", 1),
    ("deny-destructive", "ec2", 7),
    ("ci-broad-access", "s3", 6),
];

const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

/// AWS managed policies used for people and groups (all bundled in iamscope).
const AWS_MANAGED_HUMAN: &[(&str, u32)] = &[
    ("ReadOnlyAccess", 10),
    ("job-function/ViewOnlyAccess", 8),
    ("AmazonS3ReadOnlyAccess", 8),
    ("PowerUserAccess", 4),
    ("SecurityAudit", 4),
    ("IAMUserChangePassword", 8),
    ("CloudWatchReadOnlyAccess", 5),
    ("AmazonDynamoDBReadOnlyAccess", 4),
    ("AmazonEC2FullAccess", 3),
    ("AmazonS3FullAccess", 2),
    ("job-function/DatabaseAdministrator", 2),
    ("AWSCodeCommitPowerUser", 2),
    ("AdministratorAccess", 1),
];

/// AWS managed policies used for service roles.
const AWS_MANAGED_SERVICE: &[(&str, u32)] = &[
    ("service-role/AWSLambdaBasicExecutionRole", 10),
    ("AmazonSSMManagedInstanceCore", 6),
    ("service-role/AmazonECSTaskExecutionRolePolicy", 5),
    ("AmazonS3ReadOnlyAccess", 4),
    ("CloudWatchReadOnlyAccess", 2),
    ("AmazonSQSFullAccess", 2),
    ("AmazonDynamoDBReadOnlyAccess", 2),
];

const ORG_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Env {
    Management,
    Security,
    Prod,
    NonProd,
    Sandbox,
}

impl Env {
    fn tag(self) -> &'static str {
        match self {
            Env::Management => "management",
            Env::Security => "security",
            Env::Prod => "prod",
            Env::NonProd => "dev",
            Env::Sandbox => "sandbox",
        }
    }
}

/// Organizational units: (id suffix, name, parent index or None for the root).
const OUS: &[(&str, &str, Option<usize>)] = &[
    ("sec0ur1t", "Security", None),
    ("w0rkl0ad", "Workloads", None),
    ("sandb0x1", "Sandbox", None),
    ("pr0d0001", "Prod", Some(1)),
    ("n0npr0d1", "NonProd", Some(1)),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// `ec2.amazonaws.com` and the like; EC2 roles get an instance profile.
    Service(&'static str),
    /// The account itself (`:root`), sometimes with MFA required.
    OwnAccount,
    /// Another account of the organization.
    CrossAccount,
    /// Named users or roles.
    Specific,
    /// A SAML identity provider.
    Saml,
    /// GitHub Actions through OIDC.
    Oidc,
    /// The management account (the role Organizations creates).
    OrgAccess,
}

struct UserPlan {
    name: String,
    path: &'static str,
    team: usize,
}

struct GroupPlan {
    name: String,
    path: &'static str,
    team: usize,
}

struct RolePlan {
    name: String,
    path: &'static str,
    team: usize,
    trust: Trust,
}

struct PolicyPlan {
    name: String,
    path: &'static str,
    team: usize,
    boundary: bool,
    /// Index in [`POLICY_PURPOSES`].
    purpose: usize,
}

struct AccountPlan {
    id: String,
    name: String,
    env: Env,
    /// Index in [`OUS`], or `None` under the root.
    ou: Option<usize>,
    users: Vec<UserPlan>,
    groups: Vec<GroupPlan>,
    roles: Vec<RolePlan>,
    policies: Vec<PolicyPlan>,
    /// Groups and policies of each team, by index.
    team_groups: Vec<Vec<usize>>,
    team_policies: Vec<Vec<usize>>,
    boundaries: Vec<usize>,
}

impl AccountPlan {
    fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{}:{kind}{path}{name}", self.id)
    }
    fn user_arn(&self, i: usize) -> String {
        let u = &self.users[i];
        self.arn("user", u.path, &u.name)
    }
    fn role_arn(&self, i: usize) -> String {
        let r = &self.roles[i];
        self.arn("role", r.path, &r.name)
    }
    fn policy_arn(&self, i: usize) -> String {
        let p = &self.policies[i];
        self.arn("policy", p.path, &p.name)
    }
}

/// Every account's entities, named before any document is written, so that
/// documents can name entities of other accounts.
struct World<'c> {
    catalog: &'c Catalog,
    seed: u64,
    scale: f64,
    accounts: Vec<AccountPlan>,
    /// Hand-written action lists, filtered through the catalog.
    self_service_actions: Vec<String>,
    mfa_exempt_actions: Vec<String>,
    global_services: Vec<String>,
}

/// (name, environment, OU index, weight) of the first accounts; later ones repeat the workload pattern.
const ACCOUNT_LAYOUT: &[(&str, Env, Option<usize>, f64)] = &[
    ("management", Env::Management, None, 0.25),
    ("payments-prod", Env::Prod, Some(3), 1.5),
    ("payments-dev", Env::NonProd, Some(4), 1.2),
    ("security-tooling", Env::Security, Some(0), 0.5),
    ("data-prod", Env::Prod, Some(3), 1.4),
    ("sandbox", Env::Sandbox, Some(2), 0.8),
    ("log-archive", Env::Security, Some(0), 0.3),
    ("shared-services", Env::Prod, Some(3), 1.0),
    ("data-dev", Env::NonProd, Some(4), 1.1),
    ("platform-prod", Env::Prod, Some(3), 1.3),
];

/// Splits `total` in proportion to `weights` (largest remainder, ties by index).
fn split(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut left = total - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// Names unique in an account (case-insensitively, as IAM requires).
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn unique(&mut self, base: &str, separator: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while !self.0.insert(name.to_ascii_lowercase()) {
            name = format!("{base}{separator}{n}");
            n += 1;
        }
        name
    }
}

fn scaled(base: f64, scale: f64) -> usize {
    (base * scale).round() as usize
}

impl<'c> World<'c> {
    fn plan(catalog: &'c Catalog, scale: f64, seed: u64) -> World<'c> {
        let n_accounts = scaled(10.0, scale).max(3);
        let layout: Vec<(String, Env, Option<usize>, f64)> = (0..n_accounts)
            .map(|i| match ACCOUNT_LAYOUT.get(i) {
                Some(&(name, env, ou, w)) => (name.to_string(), env, ou, w),
                None => {
                    let (kind, env, ou, w) = match i % 4 {
                        0 => ("prod", Env::Prod, Some(3), 1.3),
                        1 => ("staging", Env::NonProd, Some(4), 0.9),
                        2 => ("dev", Env::NonProd, Some(4), 1.1),
                        _ => ("sandbox", Env::Sandbox, Some(2), 0.7),
                    };
                    (format!("workload{:03}-{kind}", i / 4), env, ou, w)
                }
            })
            .collect();
        let weights: Vec<f64> = layout.iter().map(|l| l.3).collect();
        let users = split(scaled(10_000.0, scale), &weights);
        let groups = split(scaled(2_000.0, scale), &weights);
        let roles = split(scaled(3_000.0, scale), &weights);
        let policies = split(scaled(5_000.0, scale), &weights);
        let accounts = layout
            .into_iter()
            .enumerate()
            .map(|(i, (name, env, ou, _))| {
                let mut rng = Rng::new(seed, 1_000 + i as u64);
                let id = format!("{}", 100_000_000_001u64 + i as u64);
                plan_account(
                    &mut rng,
                    id,
                    name,
                    env,
                    ou,
                    [
                        users[i],
                        groups[i].max(1),
                        roles[i].max(2),
                        policies[i].max(2),
                    ],
                )
            })
            .collect();
        World {
            catalog,
            seed,
            scale,
            accounts,
            self_service_actions: catalog.known(&[
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:GetLoginProfile",
                "iam:CreateAccessKey",
                "iam:DeleteAccessKey",
                "iam:ListAccessKeys",
                "iam:UpdateAccessKey",
                "iam:*SSHPublicKey*",
                "iam:*MFADevice*",
            ]),
            mfa_exempt_actions: catalog.known(&[
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "iam:ChangePassword",
                "sts:GetSessionToken",
            ]),
            // The global services of AWS's region-lock SCP example, as far as the catalog knows them.
            global_services: catalog.known(&[
                "a4b:*",
                "acm:*",
                "aws-marketplace-management:*",
                "aws-marketplace:*",
                "aws-portal:*",
                "budgets:*",
                "ce:*",
                "chime:*",
                "cloudfront:*",
                "config:*",
                "cur:*",
                "directconnect:*",
                "ec2:DescribeRegions",
                "ec2:DescribeTransitGateways",
                "ec2:DescribeVpnGateways",
                "fms:*",
                "globalaccelerator:*",
                "health:*",
                "iam:*",
                "importexport:*",
                "kms:*",
                "mobileanalytics:*",
                "networkmanager:*",
                "organizations:*",
                "pricing:*",
                "route53:*",
                "route53domains:*",
                "s3:GetAccountPublic*",
                "s3:ListAllMyBuckets",
                "s3:PutAccountPublic*",
                "shield:*",
                "sts:*",
                "support:*",
                "trustedadvisor:*",
                "waf-regional:*",
                "waf:*",
                "wafv2:*",
                "wellarchitected:*",
            ]),
        }
    }
}

fn plan_account(
    rng: &mut Rng,
    id: String,
    name: String,
    env: Env,
    ou: Option<usize>,
    [n_users, n_groups, n_roles, n_policies]: [usize; 4],
) -> AccountPlan {
    let mut plan = AccountPlan {
        id,
        name,
        env,
        ou,
        users: Vec::with_capacity(n_users),
        groups: Vec::with_capacity(n_groups),
        roles: Vec::with_capacity(n_roles),
        policies: Vec::with_capacity(n_policies),
        team_groups: vec![Vec::new(); TEAMS.len()],
        team_policies: vec![Vec::new(); TEAMS.len()],
        boundaries: Vec::new(),
    };
    let mut names = Names::default();
    for _ in 0..n_users {
        let team = rng.below(TEAMS.len());
        let (base, path) = if rng.chance(0.1) {
            let purpose = rng.pick(&["ci", "deploy", "etl", "backup", "reporting", "sync"]);
            (
                format!("svc-{}-{purpose}", TEAMS[team]),
                "/service-accounts/",
            )
        } else {
            let path = if rng.chance(0.15) {
                *rng.pick(&["/employees/", "/contractors/"])
            } else {
                "/"
            };
            (
                format!("{}.{}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                path,
            )
        };
        let name = names.unique(&base, "");
        plan.users.push(UserPlan { name, path, team });
    }
    let mut names = Names::default();
    for i in 0..n_groups {
        // Every team gets groups before any team gets a second of a kind.
        let team = if i < TEAMS.len() {
            i
        } else {
            rng.below(TEAMS.len())
        };
        let base = format!("{}-{}", TEAMS[team], rng.pick(GROUP_FUNCTIONS));
        let name = names.unique(&base, "-");
        let path = if rng.chance(0.2) { "/teams/" } else { "/" };
        plan.team_groups[team].push(i);
        plan.groups.push(GroupPlan { name, path, team });
    }
    let mut names = Names::default();
    for i in 0..n_roles {
        let team = rng.below(TEAMS.len());
        if i == 0 && env != Env::Management {
            names.unique(ORG_ACCESS_ROLE, "");
            plan.roles.push(RolePlan {
                name: ORG_ACCESS_ROLE.into(),
                path: "/",
                team,
                trust: Trust::OrgAccess,
            });
            continue;
        }
        let trust = rng.weighted(&[
            (Trust::Service("ec2.amazonaws.com"), 8),
            (Trust::Service("lambda.amazonaws.com"), 10),
            (Trust::Service("ecs-tasks.amazonaws.com"), 6),
            (Trust::Service("states.amazonaws.com"), 2),
            (Trust::Service("glue.amazonaws.com"), 2),
            (Trust::OwnAccount, 25),
            (Trust::CrossAccount, 20),
            (Trust::Specific, 17),
            (Trust::Saml, 6),
            (Trust::Oidc, 4),
        ]);
        let (base, path) = match trust {
            Trust::Service(service) => {
                let short = service.split('.').next().unwrap_or(service);
                let purpose = rng.pick(&["app", "worker", "api", "ingest", "cron", "processor"]);
                let path = if rng.chance(0.4) {
                    "/service-role/"
                } else {
                    "/"
                };
                (format!("{}-{purpose}-{short}", TEAMS[team]), path)
            }
            Trust::Saml => (
                format!("sso-{}-{}", TEAMS[team], rng.pick(ROLE_PURPOSES)),
                "/sso/",
            ),
            Trust::Oidc => (format!("github-actions-{}-deploy", TEAMS[team]), "/ci/"),
            _ => (
                format!("{}-{}", TEAMS[team], rng.pick(ROLE_PURPOSES)),
                if rng.chance(0.2) { "/app/" } else { "/" },
            ),
        };
        let name = names.unique(&base, "-");
        plan.roles.push(RolePlan {
            name,
            path,
            team,
            trust,
        });
    }
    let mut names = Names::default();
    let n_boundaries = (n_policies / 40).max(1);
    for i in 0..n_policies {
        let team = rng.below(TEAMS.len());
        let boundary = i < n_boundaries;
        let purpose = rng.below(POLICY_PURPOSES.len());
        let base = if boundary {
            format!("{}-permissions-boundary", TEAMS[team])
        } else {
            format!("{}-{}", TEAMS[team], POLICY_PURPOSES[purpose].0)
        };
        let name = names.unique(&base, "-v");
        let path = if boundary {
            "/boundaries/"
        } else if rng.chance(0.15) {
            "/custom/"
        } else {
            "/"
        };
        if boundary {
            plan.boundaries.push(i);
        } else {
            plan.team_policies[team].push(i);
        }
        plan.policies.push(PolicyPlan {
            name,
            path,
            team,
            boundary,
            purpose,
        });
    }
    plan
}

// ---------------------------------------------------------------- documents

fn doc(statements: Vec<J>) -> J {
    J::obj()
        .k("Version", "2012-10-17")
        .k("Statement", statements)
        .into()
}

/// Conditions, merged by operator so that no key repeats.
#[derive(Default)]
struct Conditions(Vec<(String, Vec<(String, J)>)>);

impl Conditions {
    fn add(&mut self, operator: &str, key: &str, value: J) {
        match self.0.iter_mut().find(|(op, _)| op == operator) {
            Some((_, keys)) => {
                if !keys.iter().any(|(k, _)| k == key) {
                    keys.push((key.to_string(), value));
                }
            }
            None => self
                .0
                .push((operator.to_string(), vec![(key.to_string(), value)])),
        }
    }

    fn into_json(self) -> Option<J> {
        if self.0.is_empty() {
            return None;
        }
        Some(J::Obj(
            self.0
                .into_iter()
                .map(|(op, keys)| {
                    (
                        Cow::Owned(op),
                        J::Obj(keys.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect()),
                    )
                })
                .collect(),
        ))
    }
}

struct Stmt {
    sid: String,
    allow: bool,
    not_action: bool,
    actions: Vec<String>,
    principal: Option<J>,
    resources: Vec<String>,
    conditions: Conditions,
}

impl Stmt {
    fn new(
        sid: impl Into<String>,
        allow: bool,
        actions: Vec<String>,
        resources: Vec<String>,
    ) -> Stmt {
        Stmt {
            sid: sid.into(),
            allow,
            not_action: false,
            actions,
            principal: None,
            resources,
            conditions: Conditions::default(),
        }
    }

    fn json(self) -> J {
        let mut o = J::obj()
            .k("Sid", self.sid)
            .k("Effect", if self.allow { "Allow" } else { "Deny" });
        if let Some(p) = self.principal {
            o.set("Principal", p);
        }
        o.set(
            if self.not_action {
                "NotAction"
            } else {
                "Action"
            },
            J::one_or_many(&self.actions),
        );
        if !self.resources.is_empty() {
            o.set("Resource", J::one_or_many(&self.resources));
        }
        if let Some(c) = self.conditions.into_json() {
            o.set("Condition", c);
        }
        o.into()
    }
}

fn upper_first(s: &str) -> String {
    s.split(['-', '_', '.'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Writes one account's documents.
struct Generator<'w, 'c> {
    world: &'w World<'c>,
    account: &'w AccountPlan,
    rng: Rng,
    /// Per customer managed policy: (attachments, boundary uses).
    usage: Vec<(u64, u64)>,
    versions_written: usize,
}

impl<'w, 'c> Generator<'w, 'c> {
    fn new(world: &'w World<'c>, index: usize) -> Self {
        let account = &world.accounts[index];
        Generator {
            world,
            account,
            rng: Rng::new(world.seed, 2_000 + index as u64),
            usage: vec![(0, 0); account.policies.len()],
            versions_written: 0,
        }
    }

    fn catalog(&self) -> &'c Catalog {
        self.world.catalog
    }

    fn service(&mut self) -> &'c Service {
        let catalog = self.catalog();
        if self.rng.chance(0.05) {
            return self.rng.pick(&catalog.services);
        }
        loop {
            let prefix = self.rng.weighted(COMMON_SERVICES);
            if let Some(s) = catalog.service(prefix) {
                return s;
            }
        }
    }

    /// The purpose's service most of the time, else any.
    fn focused_service(&mut self, focus: &str) -> &'c Service {
        match self.catalog().service(focus) {
            Some(service) if self.rng.chance(0.6) => service,
            _ => self.service(),
        }
    }

    fn region(&mut self) -> &'static str {
        REGIONS[self.rng.below(REGIONS.len())]
    }

    /// An ARN of `resource_type` from the catalog's template, with wildcards.
    fn resource_arn(&mut self, service: &Service, resource_type: &str, team: &str) -> String {
        let Some(template) = service.templates.get(resource_type) else {
            return "*".into();
        };
        let region = if self.rng.chance(0.5) {
            "*"
        } else {
            self.region()
        };
        let account = if self.rng.chance(0.1) {
            "*".to_string()
        } else {
            self.account.id.clone()
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template.as_str();
        let mut named = false;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                return "*".into();
            };
            match &rest[start + 2..start + end] {
                "Partition" => out.push_str("aws"),
                "Region" => out.push_str(region),
                "Account" => out.push_str(&account),
                _ if !named => {
                    named = true;
                    out.push_str(team);
                    out.push_str("-*");
                }
                _ => out.push('*'),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        let well_formed = out.starts_with("arn:aws:")
            && out.matches(':').count() >= 5
            && !out.contains(['{', '}', '$', ' ']);
        if well_formed {
            out
        } else {
            "*".into()
        }
    }

    fn team_condition(&mut self, conditions: &mut Conditions, team: &str) {
        match self.rng.below(7) {
            0 => conditions.add("Bool", "aws:MultiFactorAuthPresent", J::from("true")),
            1 => {
                let cidrs = [
                    "10.0.0.0/8",
                    "172.16.0.0/12",
                    "192.0.2.0/24",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                ];
                let k = self.rng.range(1, 3);
                let picked: Vec<&str> = self
                    .rng
                    .sample(cidrs.len(), k)
                    .iter()
                    .map(|&i| cidrs[i])
                    .collect();
                conditions.add("IpAddress", "aws:SourceIp", J::one_or_many(&picked));
            }
            2 => conditions.add("StringEquals", "aws:PrincipalTag/team", J::from(team)),
            3 => {
                let year = 2025 + self.rng.below(3);
                conditions.add(
                    "DateLessThan",
                    "aws:CurrentTime",
                    J::from(format!("{year}-12-31T23:59:59Z")),
                )
            }
            4 => {
                let k = self.rng.range(1, 2);
                let picked: Vec<&str> = self
                    .rng
                    .sample(REGIONS.len(), k)
                    .iter()
                    .map(|&i| REGIONS[i])
                    .collect();
                conditions.add(
                    "StringEquals",
                    "aws:RequestedRegion",
                    J::one_or_many(&picked),
                );
            }
            5 => conditions.add(
                "StringEquals",
                "aws:ResourceTag/team",
                J::from("${aws:PrincipalTag/team}"),
            ),
            _ => conditions.add(
                "StringEquals",
                "aws:PrincipalTag/env",
                J::from(self.account.env.tag()),
            ),
        }
    }

    /// One statement of an identity policy for `team`.
    ///
    /// Kinds: 0 service wildcard verbs (`s3:Get*`), 1 specific actions on one
    /// resource type, 2 a whole service on the team's resources, 3 an S3 home
    /// folder with `${aws:username}`, 4 manage one's own credentials, 5 deny
    /// everything else without MFA (`NotAction`), 6 the `NotAction`
    /// over-grant, 7 deny destructive actions, 8 assume roles here and in
    /// other accounts, 9 pass roles to a service.
    fn statement(&mut self, team: &str, index: usize, purpose: usize) -> J {
        let (_, focus, first_kind) = POLICY_PURPOSES[purpose];
        let kind = match index {
            0 => first_kind,
            1 if first_kind == 4 && self.rng.chance(0.6) => 5,
            _ => self.rng.weighted(&[
                (0u8, 26),
                (1, 36),
                (2, 6),
                (3, 3),
                (4, 2),
                (6, 1),
                (7, 6),
                (8, 10),
                (9, 3),
            ]),
        };
        let id = &self.account.id;
        let mut s = match kind {
            0 => {
                let service = self.focused_service(focus);
                let k = self.rng.range(1, 3).min(service.verbs.len());
                let preferred: Vec<usize> = ["Get", "List", "Describe", "Batch", "Search"]
                    .iter()
                    .filter_map(|v| service.verbs.iter().position(|x| x == v))
                    .collect();
                let mut picked = BTreeSet::new();
                while picked.len() < k {
                    let i = if !preferred.is_empty() && self.rng.chance(0.7) {
                        *self.rng.pick(&preferred)
                    } else {
                        self.rng.below(service.verbs.len())
                    };
                    picked.insert(i);
                }
                let actions = picked
                    .into_iter()
                    .map(|i| format!("{}:{}*", service.prefix, service.verbs[i]))
                    .collect();
                let resources = if self.rng.chance(0.7) {
                    vec!["*".into()]
                } else {
                    self.typed_resources(service, team)
                };
                Stmt::new(
                    format!("{}Read{index}", upper_first(&service.prefix)),
                    true,
                    actions,
                    resources,
                )
            }
            1 => {
                let service = self.focused_service(focus);
                let first = self.rng.below(service.actions.len());
                let types = &service.actions[first].types;
                let (candidates, resource_type): (Vec<usize>, Option<&str>) = if types.is_empty() {
                    let untyped = service
                        .actions
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.types.is_empty())
                        .map(|(i, _)| i)
                        .collect();
                    (untyped, None)
                } else {
                    let t = &types[self.rng.below(types.len())];
                    (service.by_type[t].clone(), Some(t.as_str()))
                };
                let k = self.rng.range(1, 8);
                let mut chosen: Vec<usize> = self
                    .rng
                    .sample(candidates.len(), k)
                    .into_iter()
                    .map(|i| candidates[i])
                    .collect();
                if !chosen.contains(&first) {
                    chosen.insert(0, first);
                }
                let actions = chosen
                    .iter()
                    .map(|&i| format!("{}:{}", service.prefix, service.actions[i].name))
                    .collect();
                let resources = match resource_type {
                    None => vec!["*".into()],
                    Some(t) => {
                        let n = self.rng.range(1, 2);
                        let mut list: Vec<String> = (0..n)
                            .map(|_| self.resource_arn(service, t, team))
                            .collect();
                        list.dedup();
                        list
                    }
                };
                Stmt::new(
                    format!("{}Access{index}", upper_first(&service.prefix)),
                    true,
                    actions,
                    resources,
                )
            }
            2 => {
                let service = self.focused_service(focus);
                let resources = self.typed_resources(service, team);
                Stmt::new(
                    format!("{}Full{index}", upper_first(&service.prefix)),
                    true,
                    vec![format!("{}:*", service.prefix)],
                    resources,
                )
            }
            3 => {
                let bucket = format!("corp-home-{id}");
                let mut s = Stmt::new(
                    format!("HomeFolder{index}"),
                    true,
                    vec![
                        "s3:GetObject".into(),
                        "s3:PutObject".into(),
                        "s3:DeleteObject".into(),
                    ],
                    vec![format!("arn:aws:s3:::{bucket}/home/${{aws:username}}/*")],
                );
                if self.rng.chance(0.5) {
                    s.actions = vec!["s3:ListBucket".into()];
                    s.resources = vec![format!("arn:aws:s3:::{bucket}")];
                    s.conditions.add(
                        "StringLike",
                        "s3:prefix",
                        J::strs(&["", "home/", "home/${aws:username}/*"]),
                    );
                }
                s
            }
            4 => Stmt::new(
                format!("ManageOwnCredentials{index}"),
                true,
                self.world.self_service_actions.clone(),
                vec![
                    format!("arn:aws:iam::{id}:user/${{aws:username}}"),
                    format!("arn:aws:iam::{id}:mfa/${{aws:username}}"),
                ],
            ),
            5 => {
                let mut s = Stmt::new(
                    format!("DenyAllExceptListedIfNoMFA{index}"),
                    false,
                    self.world.mfa_exempt_actions.clone(),
                    vec!["*".into()],
                );
                s.not_action = true;
                s.conditions.add(
                    "BoolIfExists",
                    "aws:MultiFactorAuthPresent",
                    J::from("false"),
                );
                s
            }
            6 => {
                let mut s = Stmt::new(
                    format!("EverythingButIdentity{index}"),
                    true,
                    self.catalog()
                        .known(&["iam:*", "organizations:*", "account:*"]),
                    vec!["*".into()],
                );
                s.not_action = true;
                s
            }
            7 => {
                let (actions, resources): (&[&str], Vec<String>) = match self.rng.below(3) {
                    0 => (
                        &["s3:DeleteBucket", "s3:DeleteObject", "s3:PutBucketPolicy"],
                        vec![
                            format!("arn:aws:s3:::{}-{}-*", self.account.name, team),
                            format!("arn:aws:s3:::{}-{}-*/*", self.account.name, team),
                        ],
                    ),
                    1 => (
                        &["ec2:TerminateInstances", "ec2:DeleteVolume"],
                        vec![format!("arn:aws:ec2:*:{id}:*")],
                    ),
                    _ => (
                        &[
                            "rds:DeleteDBInstance",
                            "rds:DeleteDBCluster",
                            "dynamodb:DeleteTable",
                        ],
                        vec!["*".into()],
                    ),
                };
                let mut s = Stmt::new(
                    format!("DenyDestructive{index}"),
                    false,
                    self.catalog().known(actions),
                    resources,
                );
                if self.rng.chance(0.5) {
                    s.conditions
                        .add("StringEquals", "aws:ResourceTag/env", J::from("prod"));
                }
                s
            }
            8 => {
                let n = self.rng.range(1, 3);
                let mut resources = Vec::with_capacity(n);
                for _ in 0..n {
                    let other = if self.rng.chance(0.6) {
                        self.account
                    } else {
                        self.rng.pick(&self.world.accounts)
                    };
                    if self.rng.chance(0.15) {
                        resources.push(format!("arn:aws:iam::{}:role/{team}-*", other.id));
                    } else {
                        let r = self.rng.below(other.roles.len());
                        resources.push(other.role_arn(r));
                    }
                }
                resources.sort();
                resources.dedup();
                Stmt::new(
                    format!("AssumeTeamRoles{index}"),
                    true,
                    vec!["sts:AssumeRole".into()],
                    resources,
                )
            }
            _ => {
                let (service, path) = *self.rng.pick(&[
                    ("lambda.amazonaws.com", "service-role/"),
                    ("ecs-tasks.amazonaws.com", ""),
                    ("ec2.amazonaws.com", ""),
                ]);
                let mut s = Stmt::new(
                    format!("PassRoleToService{index}"),
                    true,
                    vec!["iam:PassRole".into()],
                    vec![format!("arn:aws:iam::{id}:role/{path}{team}-*")],
                );
                s.conditions
                    .add("StringEquals", "iam:PassedToService", J::from(service));
                s
            }
        };
        if s.allow && s.conditions.0.is_empty() && self.rng.chance(0.25) {
            self.team_condition(&mut s.conditions, team);
            if self.rng.chance(0.2) {
                self.team_condition(&mut s.conditions, team);
            }
        }
        s.json()
    }

    /// One or two ARNs with wildcards for any resource type of the service.
    fn typed_resources(&mut self, service: &Service, team: &str) -> Vec<String> {
        if service.templates.is_empty() {
            return vec!["*".into()];
        }
        let types: Vec<&String> = service.templates.keys().collect();
        let n = self.rng.range(1, 2);
        let mut list: Vec<String> = (0..n)
            .map(|_| {
                let t = *self.rng.pick(&types);
                self.resource_arn(service, t, team)
            })
            .collect();
        list.sort();
        list.dedup();
        list
    }

    fn identity_doc(&mut self, team: &str, statements: usize, purpose: usize) -> J {
        let list = (0..statements)
            .map(|i| self.statement(team, i, purpose))
            .collect();
        doc(list)
    }

    fn boundary_doc(&mut self, team: &str) -> J {
        let allowed = self.catalog().known(&[
            "s3:*",
            "dynamodb:*",
            "lambda:*",
            "logs:*",
            "cloudwatch:*",
            "sqs:*",
            "sns:*",
            "states:*",
            "kms:Decrypt",
            "kms:GenerateDataKey*",
            "secretsmanager:GetSecretValue",
            "ec2:Describe*",
            "ecr:*",
            "ecs:*",
            "sts:AssumeRole",
            "xray:*",
        ]);
        let k = self.rng.range(allowed.len() / 2, allowed.len());
        let actions: Vec<String> = self
            .rng
            .sample(allowed.len(), k)
            .into_iter()
            .map(|i| allowed[i].clone())
            .collect();
        let mut allow = Stmt::new("AllowedServices", true, actions, vec!["*".into()]);
        if self.rng.chance(0.3) {
            allow.conditions.add(
                "StringEquals",
                "aws:RequestedRegion",
                J::strs(&REGIONS[..2]),
            );
        }
        let protect = Stmt::new(
            "DenyBoundaryChanges",
            false,
            self.catalog().known(&[
                "iam:DeleteUserPermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:PutUserPermissionsBoundary",
                "iam:PutRolePermissionsBoundary",
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ]),
            vec![format!(
                "arn:aws:iam::{}:policy/boundaries/{team}-permissions-boundary*",
                self.account.id
            )],
        );
        let mut own_tag = Stmt::new(
            "DenyOtherTeamsResources",
            false,
            vec!["s3:DeleteObject".into(), "dynamodb:DeleteItem".into()],
            vec!["*".into()],
        );
        own_tag.conditions.add(
            "StringNotEqualsIfExists",
            "aws:ResourceTag/team",
            J::from(team),
        );
        doc(vec![allow.json(), protect.json(), own_tag.json()])
    }

    fn inline_policies(&mut self, team: &str, count: usize) -> J {
        let mut names = Names::default();
        let list = (0..count)
            .map(|_| {
                let purpose = self.rng.below(POLICY_PURPOSES.len());
                let n = self.rng.range(2, 6);
                J::obj()
                    .k(
                        "PolicyName",
                        names.unique(&upper_first(POLICY_PURPOSES[purpose].0), ""),
                    )
                    .k("PolicyDocument", self.identity_doc(team, n, purpose))
                    .into()
            })
            .collect();
        J::Arr(list)
    }

    /// Attached managed policies: customer ones of the account (mostly the
    /// team's) and AWS managed ones.
    fn attachments(&mut self, team: usize, customer: usize, aws: usize, service: bool) -> J {
        let mut seen = BTreeSet::new();
        let mut list = Vec::new();
        for _ in 0..customer {
            let team_list = &self.account.team_policies[team];
            let i = if !team_list.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(team_list)
            } else {
                let all = &self.account.policies;
                let i = self.rng.below(all.len());
                if all[i].boundary {
                    continue;
                }
                i
            };
            if seen.insert(self.account.policy_arn(i)) {
                self.usage[i].0 += 1;
                list.push(
                    J::obj()
                        .k("PolicyName", &self.account.policies[i].name)
                        .k("PolicyArn", self.account.policy_arn(i))
                        .into(),
                );
            }
        }
        for _ in 0..aws {
            let name = self.rng.weighted(if service {
                AWS_MANAGED_SERVICE
            } else {
                AWS_MANAGED_HUMAN
            });
            let arn = format!("arn:aws:iam::aws:policy/{name}");
            if seen.insert(arn.clone()) {
                let short = name.rsplit('/').next().unwrap_or(name);
                list.push(J::obj().k("PolicyName", short).k("PolicyArn", arn).into());
            }
        }
        J::Arr(list)
    }

    fn boundary(&mut self) -> J {
        let arn = if self.rng.chance(0.8) {
            let i = *self.rng.pick(&self.account.boundaries);
            self.usage[i].1 += 1;
            self.account.policy_arn(i)
        } else {
            "arn:aws:iam::aws:policy/PowerUserAccess".into()
        };
        J::obj()
            .k("PermissionsBoundaryType", "Policy")
            .k("PermissionsBoundaryArn", arn)
            .into()
    }

    fn tags(&mut self, team: usize, with_env: bool) -> J {
        let mut list = vec![J::obj().k("Key", "team").k("Value", TEAMS[team]).into()];
        if with_env {
            list.push(
                J::obj()
                    .k("Key", "env")
                    .k("Value", self.account.env.tag())
                    .into(),
            );
        }
        list.push(
            J::obj()
                .k("Key", "cost-center")
                .k("Value", format!("CC-{}", 4100 + team * 17))
                .into(),
        );
        if self.rng.chance(0.2) {
            list.push(
                J::obj()
                    .k("Key", "owner")
                    .k(
                        "Value",
                        format!("{}@example.com", TEAMS[self.rng.below(TEAMS.len())]),
                    )
                    .into(),
            );
        }
        J::Arr(list)
    }

    fn user(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.users[i];
        let team = TEAMS[plan.team];
        let mut o = J::obj()
            .k("Path", plan.path)
            .k("UserName", &plan.name)
            .k("UserId", self.rng.unique_id("AIDA"))
            .k("Arn", account.user_arn(i))
            .k("CreateDate", iso(self.rng.date()));
        if self.rng.chance(0.3) {
            let n = self.rng.range(1, 2);
            o.set("UserPolicyList", self.inline_policies(team, n));
        }
        let n_groups = self.rng.weighted(&[(1usize, 55), (2, 30), (3, 15)]);
        let mut groups = BTreeSet::new();
        for _ in 0..n_groups {
            let own = &account.team_groups[plan.team];
            let g = if !own.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(own)
            } else {
                self.rng.below(account.groups.len())
            };
            groups.insert(g);
        }
        o.set(
            "GroupList",
            J::Arr(
                groups
                    .into_iter()
                    .map(|g| J::from(&account.groups[g].name))
                    .collect(),
            ),
        );
        let attached = if self.rng.chance(0.3) {
            let (c, a) = (self.rng.range(0, 2), self.rng.range(0, 1));
            self.attachments(plan.team, c, a.max(usize::from(c == 0)), false)
        } else {
            J::Arr(Vec::new())
        };
        o.set("AttachedManagedPolicies", attached);
        if self.rng.chance(0.1) {
            o.set("PermissionsBoundary", self.boundary());
        }
        o.set("Tags", self.tags(plan.team, false));
        o.into()
    }

    fn group(&mut self, i: usize) -> J {
        let plan = &self.account.groups[i];
        let team = TEAMS[plan.team];
        let inline = if self.rng.chance(0.6) {
            let n = self.rng.range(1, 3);
            self.inline_policies(team, n)
        } else {
            J::Arr(Vec::new())
        };
        let (c, a) = (self.rng.range(1, 3), self.rng.range(0, 2));
        J::obj()
            .k("Path", plan.path)
            .k("GroupName", &plan.name)
            .k("GroupId", self.rng.unique_id("AGPA"))
            .k("Arn", self.account.arn("group", plan.path, &plan.name))
            .k("CreateDate", iso(self.rng.date()))
            .k("GroupPolicyList", inline)
            .k(
                "AttachedManagedPolicies",
                self.attachments(plan.team, c, a, false),
            )
            .into()
    }

    fn trust_policy(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.roles[i];
        let team = TEAMS[plan.team];
        let assume = "sts:AssumeRole".to_string();
        let aws = |arns: Vec<String>| -> J { J::obj().k("AWS", J::one_or_many(&arns)).into() };
        let mut s = match plan.trust {
            Trust::Service(service) => {
                let mut s = Stmt::new("ServiceAssume", true, vec![assume], Vec::new());
                s.principal = Some(J::obj().k("Service", service).into());
                s
            }
            Trust::OwnAccount => {
                let mut s = Stmt::new("AccountPrincipals", true, vec![assume], Vec::new());
                s.principal = Some(aws(vec![format!("arn:aws:iam::{}:root", account.id)]));
                if self.rng.chance(0.5) {
                    s.conditions
                        .add("Bool", "aws:MultiFactorAuthPresent", J::from("true"));
                }
                s
            }
            Trust::CrossAccount => {
                let others: Vec<&AccountPlan> = self
                    .world
                    .accounts
                    .iter()
                    .filter(|a| a.id != account.id)
                    .collect();
                let k = self.rng.range(1, 2);
                let principals = self
                    .rng
                    .sample(others.len(), k)
                    .into_iter()
                    .map(|j| {
                        if self.rng.chance(0.3) {
                            others[j].id.clone()
                        } else {
                            format!("arn:aws:iam::{}:root", others[j].id)
                        }
                    })
                    .collect();
                let mut s = Stmt::new("CrossAccountAccess", true, vec![assume], Vec::new());
                s.principal = Some(aws(principals));
                if self.rng.chance(0.3) {
                    s.conditions.add(
                        "StringEquals",
                        "sts:ExternalId",
                        J::from(format!("{team}-{}", self.rng.hex(12))),
                    );
                } else if self.rng.chance(0.3) {
                    s.conditions.add(
                        "ArnLike",
                        "aws:PrincipalArn",
                        J::from(format!("arn:aws:iam::*:role/{team}-*")),
                    );
                }
                s
            }
            Trust::Specific => {
                let k = self.rng.range(1, 3);
                let mut principals = Vec::with_capacity(k);
                for _ in 0..k {
                    let other = if self.rng.chance(0.7) {
                        account
                    } else {
                        self.rng.pick(&self.world.accounts)
                    };
                    if !other.users.is_empty() && other.id == account.id && self.rng.chance(0.5) {
                        principals.push(other.user_arn(self.rng.below(other.users.len())));
                    } else {
                        let r = self.rng.below(other.roles.len());
                        if other.id != account.id || r != i {
                            principals.push(other.role_arn(r));
                        }
                    }
                }
                if principals.is_empty() {
                    principals.push(format!("arn:aws:iam::{}:root", account.id));
                }
                principals.sort();
                principals.dedup();
                let mut s = Stmt::new("NamedPrincipals", true, vec![assume], Vec::new());
                s.principal = Some(aws(principals));
                if self.rng.chance(0.2) {
                    s.conditions
                        .add("Bool", "aws:MultiFactorAuthPresent", J::from("true"));
                }
                s
            }
            Trust::Saml => {
                let mut s = Stmt::new(
                    "SamlFederation",
                    true,
                    vec!["sts:AssumeRoleWithSAML".into(), "sts:TagSession".into()],
                    Vec::new(),
                );
                s.principal = Some(
                    J::obj()
                        .k(
                            "Federated",
                            format!("arn:aws:iam::{}:saml-provider/CorpIdP", account.id),
                        )
                        .into(),
                );
                s.conditions.add(
                    "StringEquals",
                    "SAML:aud",
                    J::from("https://signin.aws.amazon.com/saml"),
                );
                s
            }
            Trust::Oidc => {
                let mut s = Stmt::new(
                    "GitHubActions",
                    true,
                    vec!["sts:AssumeRoleWithWebIdentity".into()],
                    Vec::new(),
                );
                s.principal = Some(
                    J::obj()
                        .k(
                            "Federated",
                            format!(
                                "arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com",
                                account.id
                            ),
                        )
                        .into(),
                );
                s.conditions.add(
                    "StringEquals",
                    "token.actions.githubusercontent.com:aud",
                    J::from("sts.amazonaws.com"),
                );
                s.conditions.add(
                    "StringLike",
                    "token.actions.githubusercontent.com:sub",
                    J::from(format!("repo:example-corp/{team}-*:ref:refs/heads/main")),
                );
                s
            }
            Trust::OrgAccess => {
                let management = &self.world.accounts[0].id;
                let mut s = Stmt::new("", true, vec![assume], Vec::new());
                s.principal = Some(aws(vec![format!("arn:aws:iam::{management}:root")]));
                s
            }
        };
        let mut statements = Vec::with_capacity(2);
        if s.sid.is_empty() {
            // As Organizations writes it: no Sid.
            let mut o = J::obj().k("Effect", "Allow");
            o.set(
                "Principal",
                s.principal.take().unwrap_or(J::Arr(Vec::new())),
            );
            o.set("Action", "sts:AssumeRole");
            statements.push(o.into());
        } else {
            statements.push(s.json());
        }
        doc(statements)
    }

    fn role(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.roles[i];
        let team = TEAMS[plan.team];
        let arn = account.role_arn(i);
        let role_id = self.rng.unique_id("AROA");
        let created = self.rng.date();
        let trust = self.trust_policy(i);
        let mut profiles = Vec::new();
        if plan.trust == Trust::Service("ec2.amazonaws.com") {
            profiles.push(
                J::obj()
                    .k("Path", "/")
                    .k("InstanceProfileName", &plan.name)
                    .k("InstanceProfileId", self.rng.unique_id("AIPA"))
                    .k(
                        "Arn",
                        format!("arn:aws:iam::{}:instance-profile/{}", account.id, plan.name),
                    )
                    .k("CreateDate", iso(created + 1))
                    .k(
                        "Roles",
                        vec![J::obj()
                            .k("Path", plan.path)
                            .k("RoleName", &plan.name)
                            .k("RoleId", &role_id)
                            .k("Arn", &arn)
                            .k("CreateDate", iso(created))
                            .k("AssumeRolePolicyDocument", trust.clone())
                            .into()],
                    )
                    .into(),
            );
        }
        let service = matches!(plan.trust, Trust::Service(_));
        let (inline, attached) = if plan.trust == Trust::OrgAccess {
            (
                J::Arr(Vec::new()),
                J::Arr(vec![J::obj()
                    .k("PolicyName", "AdministratorAccess")
                    .k("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
                    .into()]),
            )
        } else {
            let inline = if self.rng.chance(0.6) {
                let n = self.rng.range(1, 2);
                self.inline_policies(team, n)
            } else {
                J::Arr(Vec::new())
            };
            let (c, a) = (self.rng.range(0, 2), self.rng.range(0, 2));
            (
                inline,
                self.attachments(plan.team, c, a.max(usize::from(c == 0)), service),
            )
        };
        let mut o = J::obj()
            .k("Path", plan.path)
            .k("RoleName", &plan.name)
            .k("RoleId", role_id)
            .k("Arn", arn)
            .k("CreateDate", iso(created))
            .k("AssumeRolePolicyDocument", trust)
            .k("InstanceProfileList", profiles)
            .k("RolePolicyList", inline)
            .k("AttachedManagedPolicies", attached);
        if plan.trust != Trust::OrgAccess && self.rng.chance(0.1) {
            o.set("PermissionsBoundary", self.boundary());
        }
        o.set("Tags", self.tags(plan.team, true));
        let last_used: J = if self.rng.chance(0.7) {
            let used =
                created + (self.rng.next_u64() % (1_751_241_600 - created).max(1) as u64) as i64;
            J::obj()
                .k("LastUsedDate", iso(used))
                .k("Region", self.region())
                .into()
        } else {
            J::obj().into()
        };
        o.set("RoleLastUsed", last_used);
        o.into()
    }

    fn policy(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.policies[i];
        let team = TEAMS[plan.team];
        let n_versions = self.rng.weighted(&[(1usize, 30), (2, 35), (3, 35)]);
        let first_version = if self.rng.chance(0.3) {
            self.rng.range(2, 4)
        } else {
            1
        };
        let default = if n_versions > 1 && self.rng.chance(0.1) {
            n_versions - 2 // rolled back to the previous version
        } else {
            n_versions - 1
        };
        let mut t = self.rng.date();
        let created = t;
        let mut versions = Vec::with_capacity(n_versions);
        for v in 0..n_versions {
            let document = if plan.boundary {
                self.boundary_doc(team)
            } else {
                let n = self.rng.range(4, 12);
                self.identity_doc(team, n, plan.purpose)
            };
            versions.push((
                format!("v{}", first_version + v),
                v == default,
                iso(t),
                document,
            ));
            t += 86_400 + (self.rng.next_u64() % (200 * 86_400)) as i64;
        }
        self.versions_written += n_versions;
        let updated = versions[n_versions - 1].2.clone();
        let default_id = versions[default].0.clone();
        // Newest first, as IAM lists them.
        let list: Vec<J> = versions
            .into_iter()
            .rev()
            .map(|(id, is_default, date, document)| {
                J::obj()
                    .k("Document", document)
                    .k("VersionId", id)
                    .k("IsDefaultVersion", is_default)
                    .k("CreateDate", date)
                    .into()
            })
            .collect();
        let (attachments, boundary_uses) = self.usage[i];
        J::obj()
            .k("PolicyName", &plan.name)
            .k("PolicyId", self.rng.unique_id("ANPA"))
            .k("Arn", account.policy_arn(i))
            .k("Path", plan.path)
            .k("DefaultVersionId", default_id)
            .k("AttachmentCount", attachments)
            .k("PermissionsBoundaryUsageCount", boundary_uses)
            .k("IsAttachable", true)
            .k("CreateDate", iso(created))
            .k("UpdateDate", updated)
            .k("PolicyVersionList", list)
            .into()
    }

    fn account_dump(&mut self) -> J {
        let account = self.account;
        let users: Vec<J> = (0..account.users.len()).map(|i| self.user(i)).collect();
        let groups: Vec<J> = (0..account.groups.len()).map(|i| self.group(i)).collect();
        let roles: Vec<J> = (0..account.roles.len()).map(|i| self.role(i)).collect();
        // Last: attachment counts are known once every entity is written.
        let policies: Vec<J> = (0..account.policies.len())
            .map(|i| self.policy(i))
            .collect();
        J::obj()
            .k("UserDetailList", users)
            .k("GroupDetailList", groups)
            .k("RoleDetailList", roles)
            .k("Policies", policies)
            .into()
    }
}

// ---------------------------------------------------------------- organization and resources

impl World<'_> {
    fn root_id(&self) -> String {
        let mut rng = Rng::new(self.seed, 7);
        format!("r-{}", rng.hex(4))
    }

    fn ou_id(&self, i: usize) -> String {
        let root = self.root_id();
        format!("ou-{}-{}", &root[2..], OUS[i].0)
    }

    /// The organization file and its SCP and RCP counts.
    fn organization(&self) -> (J, usize, usize) {
        let root = self.root_id();
        let ous: Vec<J> = (0..OUS.len())
            .map(|i| {
                let parent = match OUS[i].2 {
                    Some(p) => self.ou_id(p),
                    None => root.clone(),
                };
                J::obj()
                    .k("Id", self.ou_id(i))
                    .k("Name", OUS[i].1)
                    .k("ParentId", parent)
                    .into()
            })
            .collect();
        let accounts: Vec<J> = self
            .accounts
            .iter()
            .map(|a| {
                let parent = match a.ou {
                    Some(ou) => self.ou_id(ou),
                    None => root.clone(),
                };
                J::obj()
                    .k("Id", &a.id)
                    .k("Name", &a.name)
                    .k("ParentId", parent)
                    .into()
            })
            .collect();
        let scp = |name: &str, targets: Vec<String>, statements: Vec<J>| -> J {
            J::obj()
                .k("Name", name.to_string())
                .k("Targets", J::strs(&targets))
                .k("Policy", doc(statements))
                .into()
        };
        let (sandbox, workloads, prod, security) =
            (self.ou_id(2), self.ou_id(1), self.ou_id(3), self.ou_id(0));
        // AWS attaches FullAWSAccess to every root, OU and account; the
        // Sandbox OU swapped it for an allow list. Every level that lists a
        // policy thus lists an allow.
        let mut full_targets = vec![root.clone()];
        full_targets.extend((0..OUS.len()).filter(|&i| i != 2).map(|i| self.ou_id(i)));
        full_targets.extend(self.accounts.iter().map(|a| a.id.clone()));
        let exempt_admin = |s: &mut Stmt| {
            s.conditions.add(
                "ArnNotLike",
                "aws:PrincipalARN",
                J::from(format!("arn:aws:iam::*:role/{ORG_ACCESS_ROLE}")),
            );
        };
        let c = self.catalog;
        let mut region_lock = Stmt::new(
            "DenyAllOutsideAllowedRegions",
            false,
            self.global_services.clone(),
            vec!["*".into()],
        );
        region_lock.not_action = true;
        region_lock.conditions.add(
            "StringNotEquals",
            "aws:RequestedRegion",
            J::strs(&["us-east-1", "eu-west-1", "eu-central-1"]),
        );
        exempt_admin(&mut region_lock);
        // AWS always sets aws:RequestedRegion; an offline check may leave it
        // out, and StringNotEquals holds for a missing key. This guard keeps
        // the lock to requests that name a region (it does not change what the
        // policy does in AWS).
        region_lock
            .conditions
            .add("Null", "aws:RequestedRegion", J::from("false"));
        let mut protect = Stmt::new(
            "ProtectSecurityBaseline",
            false,
            c.known(&[
                "cloudtrail:StopLogging",
                "cloudtrail:DeleteTrail",
                "cloudtrail:UpdateTrail",
                "guardduty:DeleteDetector",
                "guardduty:DisassociateFromMasterAccount",
                "guardduty:UpdateDetector",
                "config:DeleteConfigurationRecorder",
                "config:StopConfigurationRecorder",
                "config:DeleteDeliveryChannel",
                "securityhub:DisableSecurityHub",
            ]),
            vec!["*".into()],
        );
        exempt_admin(&mut protect);
        let mut deny_root = Stmt::new("DenyRootUser", false, vec!["*".into()], vec!["*".into()]);
        deny_root.conditions.add(
            "StringLike",
            "aws:PrincipalArn",
            J::from("arn:aws:iam::*:root"),
        );
        let mut instance_types = Stmt::new(
            "DenyLargeInstances",
            false,
            vec!["ec2:RunInstances".into()],
            vec!["arn:aws:ec2:*:*:instance/*".into()],
        );
        instance_types.conditions.add(
            "StringNotLike",
            "ec2:InstanceType",
            J::strs(&["t3.*", "t4g.*", "m6i.large"]),
        );
        let sandbox_allow = Stmt::new(
            "AllowSandboxServices",
            true,
            c.known(&[
                "s3:*",
                "ec2:*",
                "lambda:*",
                "dynamodb:*",
                "logs:*",
                "cloudwatch:*",
                "sqs:*",
                "sns:*",
                "iam:*",
                "sts:*",
                "cloudformation:*",
                "kms:*",
                "ecr:*",
                "ecs:*",
                "states:*",
                "apigateway:*",
                "events:*",
                "sagemaker:*",
            ]),
            vec!["*".into()],
        );
        let scps = vec![
            scp(
                "FullAWSAccess",
                full_targets,
                vec![Stmt::new("FullAWSAccess", true, vec!["*".into()], vec!["*".into()]).json()],
            ),
            scp(
                "DenyLeaveOrganization",
                vec![root.clone()],
                vec![Stmt::new(
                    "DenyLeaveOrganization",
                    false,
                    vec!["organizations:LeaveOrganization".into()],
                    vec!["*".into()],
                )
                .json()],
            ),
            scp(
                "ProtectSecurityBaseline",
                vec![root.clone()],
                vec![protect.json()],
            ),
            scp(
                "RegionLock",
                vec![workloads.clone(), sandbox.clone()],
                vec![region_lock.json()],
            ),
            scp(
                "DenyRootUser",
                vec![workloads, security],
                vec![deny_root.json()],
            ),
            scp(
                "ProdProtectBackups",
                vec![prod],
                vec![Stmt::new(
                    "DenyBackupDeletion",
                    false,
                    c.known(&[
                        "backup:DeleteBackupVault",
                        "backup:DeleteRecoveryPoint",
                        "backup:UpdateRecoveryPointLifecycle",
                        "rds:DeleteDBSnapshot",
                        "rds:DeleteDBClusterSnapshot",
                    ]),
                    vec!["*".into()],
                )
                .json()],
            ),
            scp(
                "SandboxAllowList",
                vec![sandbox.clone()],
                vec![sandbox_allow.json()],
            ),
            scp(
                "SandboxGuardrails",
                vec![sandbox],
                vec![instance_types.json()],
            ),
        ];
        let mut secure_transport = Stmt::new(
            "EnforceSecureTransport",
            false,
            c.known(&["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:*"]),
            vec!["*".into()],
        );
        secure_transport.principal = Some(J::from("*"));
        secure_transport
            .conditions
            .add("Bool", "aws:SecureTransport", J::from("false"));
        let mut rcp_full = Stmt::new("RCPFullAWSAccess", true, vec!["*".into()], vec!["*".into()]);
        rcp_full.principal = Some(J::from("*"));
        let rcps = vec![
            scp(
                "RCPFullAWSAccess",
                vec![root.clone()],
                vec![rcp_full.json()],
            ),
            scp(
                "EnforceSecureTransport",
                vec![root.clone()],
                vec![secure_transport.json()],
            ),
        ];
        let (n_scps, n_rcps) = (scps.len(), rcps.len());
        let org = J::obj().k(
            "Organization",
            J::obj()
                .k("ManagementAccountId", &self.accounts[0].id)
                .k("Roots", vec![J::obj().k("Id", root).into()])
                .k("OrganizationalUnits", ous)
                .k("Accounts", accounts)
                .k("ServiceControlPolicies", scps)
                .k("ResourceControlPolicies", rcps),
        );
        (org.into(), n_scps, n_rcps)
    }

    /// S3 bucket, KMS key and SQS queue policies.
    fn resource_policies(&self) -> Vec<J> {
        let mut rng = Rng::new(self.seed, 9);
        let total = scaled(300.0, self.scale).max(3);
        let mut out = Vec::with_capacity(total);
        let mut buckets = Names::default();
        for i in 0..total {
            // Resources live in workload accounts mostly.
            let owner = &self.accounts[if self.accounts.len() > 1 && rng.chance(0.95) {
                1 + rng.below(self.accounts.len() - 1)
            } else {
                0
            }];
            let team = rng.below(TEAMS.len());
            let region = *rng.pick(REGIONS);
            let own_role = |rng: &mut Rng| owner.role_arn(rng.below(owner.roles.len()));
            let other_role = |rng: &mut Rng| {
                let other = rng.pick(&self.accounts);
                other.role_arn(rng.below(other.roles.len()))
            };
            let aws = |arns: Vec<String>| -> J { J::obj().k("AWS", J::one_or_many(&arns)).into() };
            match i % 4 {
                0 | 1 => {
                    let purpose = rng.pick(&[
                        "artifacts",
                        "logs",
                        "exports",
                        "backups",
                        "assets",
                        "reports",
                    ]);
                    let bucket =
                        buckets.unique(&format!("{}-{}-{purpose}", owner.name, TEAMS[team]), "-");
                    let bucket_arn = format!("arn:aws:s3:::{bucket}");
                    let mut statements = Vec::new();
                    let mut read = Stmt::new(
                        "AllowCrossAccountRead",
                        true,
                        vec!["s3:GetObject".into(), "s3:GetObjectVersion".into()],
                        vec![format!("{bucket_arn}/*")],
                    );
                    let mut readers: Vec<String> =
                        (0..rng.range(1, 3)).map(|_| other_role(&mut rng)).collect();
                    readers.sort();
                    readers.dedup();
                    read.principal = Some(aws(readers));
                    statements.push(read.json());
                    let mut write = Stmt::new(
                        "AllowOwnerWrite",
                        true,
                        vec!["s3:PutObject".into(), "s3:ListBucket".into()],
                        vec![bucket_arn.clone(), format!("{bucket_arn}/*")],
                    );
                    write.principal = Some(aws(vec![own_role(&mut rng)]));
                    statements.push(write.json());
                    if rng.chance(0.3) {
                        let mut public = Stmt::new(
                            "PublicReadAssets",
                            true,
                            vec!["s3:GetObject".into()],
                            vec![format!("{bucket_arn}/public/*")],
                        );
                        public.principal = Some(J::from("*"));
                        statements.push(public.json());
                    }
                    let mut tls = Stmt::new(
                        "DenyInsecureTransport",
                        false,
                        vec!["s3:*".into()],
                        vec![bucket_arn.clone(), format!("{bucket_arn}/*")],
                    );
                    tls.principal = Some(J::from("*"));
                    tls.conditions
                        .add("Bool", "aws:SecureTransport", J::from("false"));
                    statements.push(tls.json());
                    out.push(
                        J::obj()
                            .k("Arn", bucket_arn)
                            .k("AccountId", &owner.id)
                            .k("Policy", doc(statements))
                            .into(),
                    );
                }
                2 => {
                    let key = format!("arn:aws:kms:{region}:{}:key/{}", owner.id, rng.uuid());
                    let mut admin = Stmt::new(
                        "Enable IAM User Permissions",
                        true,
                        vec!["kms:*".into()],
                        vec!["*".into()],
                    );
                    admin.principal = Some(aws(vec![format!("arn:aws:iam::{}:root", owner.id)]));
                    let mut users: Vec<String> = (0..rng.range(1, 3))
                        .map(|_| {
                            if rng.chance(0.6) {
                                own_role(&mut rng)
                            } else {
                                other_role(&mut rng)
                            }
                        })
                        .collect();
                    users.sort();
                    users.dedup();
                    let mut use_key = Stmt::new(
                        "Allow use of the key",
                        true,
                        vec![
                            "kms:Encrypt".into(),
                            "kms:Decrypt".into(),
                            "kms:ReEncrypt*".into(),
                            "kms:GenerateDataKey*".into(),
                            "kms:DescribeKey".into(),
                        ],
                        vec!["*".into()],
                    );
                    use_key.principal = Some(aws(users.clone()));
                    let mut grants = Stmt::new(
                        "Allow attachment of persistent resources",
                        true,
                        vec![
                            "kms:CreateGrant".into(),
                            "kms:ListGrants".into(),
                            "kms:RevokeGrant".into(),
                        ],
                        vec!["*".into()],
                    );
                    grants.principal = Some(aws(users));
                    grants
                        .conditions
                        .add("Bool", "kms:GrantIsForAWSResource", J::from("true"));
                    out.push(
                        J::obj()
                            .k("Arn", key)
                            .k(
                                "Policy",
                                doc(vec![admin.json(), use_key.json(), grants.json()]),
                            )
                            .into(),
                    );
                }
                _ => {
                    let queue = format!(
                        "arn:aws:sqs:{region}:{}:{}-{}-{}",
                        owner.id,
                        TEAMS[team],
                        rng.pick(&["events", "jobs", "notifications", "ingest", "dlq"]),
                        i
                    );
                    let mut from_sns = Stmt::new(
                        "AllowSnsTopic",
                        true,
                        vec!["sqs:SendMessage".into()],
                        vec![queue.clone()],
                    );
                    from_sns.principal = Some(J::obj().k("Service", "sns.amazonaws.com").into());
                    from_sns.conditions.add(
                        "ArnEquals",
                        "aws:SourceArn",
                        J::from(format!(
                            "arn:aws:sns:{region}:{}:{}-topic",
                            owner.id, TEAMS[team]
                        )),
                    );
                    let mut consumer = Stmt::new(
                        "AllowConsumers",
                        true,
                        vec![
                            "sqs:ReceiveMessage".into(),
                            "sqs:DeleteMessage".into(),
                            "sqs:GetQueueAttributes".into(),
                            "sqs:ChangeMessageVisibility".into(),
                        ],
                        vec![queue.clone()],
                    );
                    consumer.principal = Some(aws(vec![if rng.chance(0.5) {
                        own_role(&mut rng)
                    } else {
                        other_role(&mut rng)
                    }]));
                    out.push(
                        J::obj()
                            .k("Arn", queue)
                            .k("Policy", doc(vec![from_sns.json(), consumer.json()]))
                            .into(),
                    );
                }
            }
        }
        out
    }
}
