//! `iamscope who-can`: every principal that can perform an action, directly
//! or through role assumptions.

use super::args::WhoCanArgs;
use super::caveats::{self, WithCaveats};
use super::check::{fail, prepare, with_resource_account};
use super::ExitCode;
use crate::escalation::{can_become, Escalates, PrincipalEscalation};
use crate::eval::footprint::{add_resource, principal_footprint};
use crate::eval::Principal;
use crate::model::Footprint;
use crate::text::clean;
use crate::who_can::who_can;
use crate::who_can::WhoCan;
use crate::workspace::caveats::Caveat;
use crate::workspace::Loaded;

/// `--json` with `--escalation`: the answer, and those who can become one
/// of its principals.
#[derive(serde::Serialize)]
struct WithEscalation {
    #[serde(flatten)]
    answer: WhoCan,
    #[serde(skip_serializing_if = "Option::is_none")]
    through_escalation: Option<Vec<PrincipalEscalation>>,
}

pub fn run(args: &WhoCanArgs, wall_clock: i64) -> ExitCode {
    let (loaded, mut context, now) =
        match prepare(args.workspace.as_deref(), &args.context, wall_clock) {
            Ok(prepared) => prepared,
            Err(code) => return code,
        };
    if let Err(e) = with_resource_account(&mut context, args.resource_account.as_deref()) {
        return fail(e);
    }
    // Every action is checked before any is answered: a typo in the third
    // fails before output starts.
    for action in &args.action {
        if action.split_once(':').is_none() {
            return fail(format!(
                "\"{action}\" is not an action: write service:Action, e.g. s3:GetObject"
            ));
        }
        if let Some(note) = crate::catalog::Catalog::get().unknown_action_note(action) {
            return fail(note);
        }
    }
    let answers: Vec<Answer> = args
        .action
        .iter()
        .map(|action| answer(loaded, args, action, &context, now))
        .collect();
    if args.json {
        let shown: Vec<WithCaveats<WithEscalation>> = answers
            .iter()
            .map(|a| WithCaveats {
                answer: &a.with,
                caveats: &a.caveats,
            })
            .collect();
        // One action: its object, as always; several: an array of them.
        let text = match shown.as_slice() {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        };
        match text {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
        return ExitCode::Ok;
    }
    for (i, a) in answers.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        render_text(args, &a.with.answer, a.with.through_escalation.as_deref());
        out!("{}", caveats::render(&a.caveats));
    }
    ExitCode::Ok
}

/// One action's answer, with those who can become one who can and the
/// problems it rests on.
struct Answer {
    with: WithEscalation,
    caveats: Vec<Caveat>,
}

fn answer(
    loaded: &Loaded,
    args: &WhoCanArgs,
    action: &str,
    context: &crate::policy::RequestContext,
    now: i64,
) -> Answer {
    let result = who_can(&loaded.workspace, action, &args.resource, context, now);
    let caveats = caveats_of(loaded, &result, &args.resource);
    // Those who can become someone who can (privilege escalation steps).
    let escalation = args.escalation.then(|| {
        let targets: Vec<String> = result
            .direct
            .iter()
            .chain(&result.through_roles)
            .map(|r| r.principal.clone())
            .collect();
        let mut found = can_become(&loaded.workspace, context, now, &targets);
        found.sort_by(|a, b| {
            a.risk_order()
                .cmp(&b.risk_order())
                .then_with(|| a.principal.cmp(&b.principal))
        });
        found
    });
    Answer {
        with: WithEscalation {
            through_escalation: escalation,
            answer: result,
        },
        caveats,
    }
}

/// The answer for people.
fn render_text(args: &WhoCanArgs, result: &WhoCan, escalation: Option<&[PrincipalEscalation]>) {
    outln!(
        "Who can {} on {}?",
        clean(&result.action),
        clean(&args.resource)
    );
    outln!("\nDirectly ({}):", result.direct.len());
    for r in &result.direct {
        outln!("  {:<5} {}", kind(r.kind), clean(&r.label()));
    }
    outln!(
        "\nThrough role assumptions ({}):",
        result.through_roles.len()
    );
    for r in &result.through_roles {
        outln!("  {:<5} {}", kind(r.kind), clean(&r.label()));
    }
    if !result.conditional.is_empty() {
        outln!(
            "\nOnly with keys the context does not give ({}):",
            result.conditional.len()
        );
        for c in &result.conditional {
            let needs: Vec<String> = c.needs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            outln!(
                "  {:<5} {}  with {}",
                kind(c.reach.kind),
                clean(&c.reach.label()),
                clean(&needs.join(", "))
            );
        }
    }
    if let Some(unknown) = &result.owner_unknown {
        outln!("\nOwner unknown: {}.", clean(&unknown.note));
        outln!(
            "Only if the resource is in their own account ({}):",
            unknown.if_owner.len()
        );
        for o in &unknown.if_owner {
            outln!(
                "  {:<5} {}  if owned by {}",
                kind(o.reach.kind),
                clean(&o.reach.label()),
                clean(&o.if_owned_by)
            );
        }
    }
    if let Some(found) = escalation {
        outln!("\nThrough privilege escalation ({}):", found.len());
        for p in found {
            let steps = p
                .paths
                .first()
                .map_or(&[][..], |path| path.steps.as_slice());
            let route: Vec<String> = steps
                .iter()
                .map(|s| {
                    let to = s.to.rsplit('/').next().unwrap_or(&s.to);
                    format!("{} → {to}", s.via.join("+"))
                })
                .collect();
            let kind = if p.is_role { "role" } else { "user" };
            let conditional = if p.escalates == Escalates::Conditional {
                "  (conditional: `iamscope escalation -p NAME` says what it needs)"
            } else {
                ""
            };
            outln!(
                "  {kind:<5} {}: {}{conditional}",
                clean(&p.name),
                clean(&route.join(", "))
            );
        }
    }
    let nobody = result.direct.is_empty()
        && escalation.is_none_or(|found| found.is_empty())
        && result.through_roles.is_empty()
        && result.conditional.is_empty()
        && result
            .owner_unknown
            .as_ref()
            .is_none_or(|u| u.if_owner.is_empty());
    if nobody {
        outln!("\nNobody in the workspace can.");
    }
    if args.context.is_empty() {
        outln!(
            "\nNo --context given: conditions on keys a request would carry (resource tags, source IP...) do not hold, \
             except MFA and HTTPS, tried above as \"only with\"; \
             add e.g. --context aws:ResourceTag/critical=true to ask about a tagged resource."
        );
    }
}

/// The problems that touch the answer: those of every principal listed and
/// of every role on their paths, of the resource's policy and of the SCPs
/// and RCPs on the way. (Principals left out were left out on what the
/// data says; their problems are theirs.)
fn caveats_of(loaded: &Loaded, result: &WhoCan, resource: &str) -> Vec<Caveat> {
    if loaded.diagnostics.is_empty() {
        return Vec::new();
    }
    let ws = &loaded.workspace;
    let mut footprint = Footprint::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut add = |principal: Principal| {
        footprint.extend(principal_footprint(ws, &principal));
        add_resource(&mut footprint, ws, resource, &principal.account);
    };
    let conditional = result.conditional.iter().map(|c| &c.reach);
    let if_owner = result
        .owner_unknown
        .iter()
        .flat_map(|u| u.if_owner.iter().map(|o| &o.reach));
    for reach in result
        .direct
        .iter()
        .chain(&result.through_roles)
        .chain(conditional)
        .chain(if_owner)
    {
        if seen.insert(reach.principal.as_str()) {
            if let Ok(principal) = Principal::lookup(ws, &reach.principal) {
                add(principal);
            }
        }
        // Paths name roles by name, which several accounts may share:
        // every role of that name is counted (a caveat too many is better
        // than one missing).
        for name in &reach.path {
            if !seen.insert(name.as_str()) {
                continue;
            }
            for account in &ws.accounts {
                if let Some(role) = account.role(name) {
                    add(Principal::role_session(ws, account, role, "caveats", None));
                }
            }
        }
    }
    loaded.caveats(&footprint)
}

fn kind(kind: crate::eval::PrincipalKind) -> &'static str {
    match kind {
        crate::eval::PrincipalKind::User => "user",
        crate::eval::PrincipalKind::RoleSession => "role",
        crate::eval::PrincipalKind::Root => "root",
    }
}
