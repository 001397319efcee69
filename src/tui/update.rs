//! The only place state changes: an action in, the state updated, effects
//! out for the event loop to carry out (copy to the clipboard, switch mouse
//! capture, quit). Keys, mouse, tours and tests all arrive here as actions.

use super::action::{
    Action, ClockAction, CopyWhat, Effect, FilterEdit, Move, Msg, PolicyPick, TourAction, Who,
};
use super::app::{Answer, App, Dirty, FilterTarget, Mark, Pane, Tab, TourState, ANIMATION_MS};
use super::filter_list::FilterList;
use super::input;
use super::overlay::{self, form_from, Overlay, Picker, PickerRole, Transition, WhyView};
use super::ui::message::message_max_scroll;
use super::views::detail::LineKind;
use super::views::permissions::PermRow;
use super::views::{account_label, policy};
use crate::eval::{evaluate, Outcome, Request};
use crate::policy::RequestContext;
use crate::sts::assume::{longest_duration, session_name_for};
use crate::sts::{assumability, AssumeRequest};

/// Raw input in: the actions it stands for, applied in order.
pub fn handle(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    for action in input::actions(app, &msg) {
        effects.extend(update(app, action));
    }
    effects
}

/// Applies one action.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    apply(app, action, &mut effects);
    effects
}

fn apply(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    // What applies whatever is on screen.
    match action {
        Action::Quit => {
            app.quit = true;
            fx.push(Effect::Quit);
            return;
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            return;
        }
        Action::Clock(ClockAction::Tick(ms)) => {
            on_tick(app, ms);
            return;
        }
        Action::Notice { title, text } => {
            app.overlay = Some(Overlay::Message {
                title,
                text,
                scroll: 0,
            });
            return;
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help(0));
            return;
        }
        Action::ToggleMouse => {
            app.mouse = !app.mouse;
            app.flash(if app.mouse {
                "mouse on: click to select, wheel to scroll (m turns it off for text selection)"
            } else {
                "mouse off: the terminal's own text selection works again"
            });
            fx.push(Effect::SetMouse(app.mouse));
            return;
        }
        Action::Tour(t) => {
            tour_action(app, t, fx);
            return;
        }
        Action::Copy(what) => {
            fx.extend(copy(app, what));
            return;
        }
        _ => {}
    }
    if let Some(open) = app.overlay.as_mut() {
        let max = match open {
            Overlay::Message { text, .. } => message_max_scroll(text, app.size),
            _ => 5_000,
        };
        match overlay::handle(open, &action, max) {
            Transition::Stay => return,
            Transition::Say(text) => {
                app.flash(text);
                return;
            }
            Transition::Close => {
                app.overlay = None;
                return;
            }
            Transition::CloseThen(next) => {
                app.overlay = None;
                apply(app, next, fx);
                return;
            }
            Transition::Pass => {
                // Keys that only mean something on the main screen do not
                // reach it through an overlay; what a tour or a test asks
                // for does.
                if matches!(
                    action,
                    Action::Move(_)
                        | Action::Open
                        | Action::Back
                        | Action::Filter(_)
                        | Action::Form(_)
                        | Action::CycleDuration
                        | Action::Why
                        | Action::Click { .. }
                        | Action::Scroll { .. }
                ) {
                    return;
                }
            }
        }
    }
    main_screen(app, action);
}

fn main_screen(app: &mut App, action: Action) {
    match action {
        Action::ShowTab(tab) => {
            app.browser.tab = tab;
            app.browser.focus = Pane::List;
            app.refresh(Dirty::SELECTION);
        }
        Action::Focus(pane) => app.browser.focus = pane,
        Action::FocusNext | Action::FocusPrev => {
            let i = Pane::ORDER
                .iter()
                .position(|p| *p == app.browser.focus)
                .unwrap_or(0);
            let n = Pane::ORDER.len();
            let next = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.browser.focus = Pane::ORDER[next];
        }
        Action::Select { tab, name } => select(app, tab, &name),
        Action::Move(m) => move_focused(app, m),
        Action::Click { pane, row } => click(app, pane, row),
        Action::Scroll { pane, delta } => {
            let previous = app.browser.focus;
            app.browser.focus = pane;
            move_focused(app, Move::By(delta));
            app.browser.focus = previous;
        }
        Action::Open => open(app),
        Action::Back => {
            if app.browser.focus == Pane::Permissions && !app.panes.perm_filter.is_empty() {
                app.panes.perm_filter.clear();
                app.refresh(Dirty::PERMISSIONS);
            } else if !app.current_list().list.filter().is_empty() {
                app.current_list_mut().list.set_filter("");
                app.refresh(Dirty::SELECTION);
            } else {
                app.browser.focus = Pane::List;
            }
        }
        Action::Filter(edit) => filter(app, edit),
        Action::OpenPicker => open_picker(app),
        Action::StartSession { role_arn, duration } => start_session(app, &role_arn, duration),
        Action::EndSession => match app.session.stack.end(app.now()).cloned() {
            Some(event) => app.on_session_event(&event),
            None => fail(app, "no session to end: you act with your own credentials"),
        },
        Action::OpenContextForm => {
            app.overlay = Some(Overlay::Context(form_from(&app.session.context)))
        }
        Action::SetContext(context) => set_context(app, context),
        Action::Why => why(app),
        Action::Explain {
            action,
            resource,
            who,
        } => explain(app, &action, &resource, who),
        Action::OpenPolicy(pick) => open_policy(app, &pick),
        Action::Clock(c) => clock(app, c),
        // Handled above, or only meaningful in an overlay.
        Action::Quit
        | Action::Resize(..)
        | Action::Notice { .. }
        | Action::Help
        | Action::ToggleMouse
        | Action::Tour(_)
        | Action::Copy(_)
        | Action::CycleDuration
        | Action::Form(_) => {}
    }
}

/// Shows `text` in the footer and remembers it as the last failure (a tour
/// step reads it back).
fn fail(app: &mut App, text: impl Into<String>) {
    let text = text.into();
    app.last_error = Some(text.clone());
    app.flash(text);
}

fn on_tick(app: &mut App, elapsed: i64) {
    app.timeline.real_ms += elapsed.max(0);
    app.session.clock.advance(elapsed);
    after_clock(app);
    if app
        .timeline
        .status
        .as_ref()
        .is_some_and(|s| app.timeline.real_ms >= s.until_ms)
    {
        app.timeline.status = None;
    }
}

/// What the clock moving brings: sessions expiring, animations ending.
fn after_clock(app: &mut App) {
    let now = app.now();
    for event in app.session.stack.tick(now) {
        app.on_session_event(&event);
    }
    if app
        .panes
        .animation
        .as_ref()
        .is_some_and(|a| app.timeline.real_ms - a.started_ms >= ANIMATION_MS)
    {
        app.panes.animation = None;
        app.refresh(Dirty::PERMISSIONS);
    }
}

fn clock(app: &mut App, action: ClockAction) {
    match action {
        ClockAction::Tick(ms) => on_tick(app, ms),
        ClockAction::Pause => {
            app.session.clock.toggle_pause();
            app.flash(if app.session.clock.is_paused() {
                "clock paused"
            } else {
                "clock running"
            });
        }
        ClockAction::Faster => {
            app.session.clock.faster();
            app.flash(format!("clock ×{}", app.session.clock.speed()));
        }
        ClockAction::Slower => {
            app.session.clock.slower();
            app.flash(format!("clock ×{}", app.session.clock.speed()));
        }
        ClockAction::Skip(seconds) => {
            app.session.clock.skip(seconds.max(0));
            after_clock(app);
            app.flash(format!(
                "clock +{}",
                super::ui::text::format_duration(seconds)
            ));
        }
        ClockAction::UntilExpiry => {
            let Some(left) = app
                .session
                .stack
                .current_session()
                .map(|s| s.remaining(app.now()))
            else {
                fail(
                    app,
                    "no session to wait for: the clock needs a session to expire",
                );
                return;
            };
            app.session.clock.skip(left);
            after_clock(app);
        }
    }
}

/// Selects the user, group or role named `name` on `tab`.
fn select(app: &mut App, tab: Tab, name: &str) {
    app.browser.tab = tab;
    app.browser.focus = Pane::List;
    app.browser.filtering = None;
    let list = &mut app.current_list_mut().list;
    list.set_filter("");
    let wanted = crate::text::clean(name);
    match (0..list.len()).find(|&i| list.label(i) == wanted) {
        Some(index) => {
            list.select_item(index);
            app.refresh(Dirty::SELECTION);
        }
        None => {
            app.refresh(Dirty::SELECTION);
            fail(app, format!("no {} named \"{name}\"", tab.noun()));
        }
    }
}

fn move_focused(app: &mut App, m: Move) {
    match app.browser.focus {
        Pane::List => {
            let list = &mut app.current_list_mut().list;
            match m {
                Move::By(d) => list.move_by(d),
                Move::First => list.select_first(),
                Move::Last => list.select_last(),
            }
            app.refresh(Dirty::SELECTION);
        }
        Pane::Detail => {
            let last = app.panes.detail.len().saturating_sub(1);
            app.panes.detail_scroll = moved(usize::from(app.panes.detail_scroll), m, last) as u16;
        }
        Pane::Permissions => {
            let last = app.panes.perm_rows.len().saturating_sub(1);
            app.panes.perm_selected = moved(app.panes.perm_selected, m, last);
        }
        Pane::Events => {
            // The log shows the newest line at the bottom: down is newer.
            let last = app.timeline.log.len().saturating_sub(1);
            let m = match m {
                Move::By(d) => Move::By(-d),
                Move::First => Move::Last,
                Move::Last => Move::First,
            };
            app.timeline.log_scroll = moved(app.timeline.log_scroll, m, last);
        }
    }
}

fn moved(at: usize, m: Move, last: usize) -> usize {
    match m {
        Move::By(d) => (at as isize).saturating_add(d).clamp(0, last as isize) as usize,
        Move::First => 0,
        Move::Last => last,
    }
}

fn click(app: &mut App, pane: Pane, row: usize) {
    match pane {
        Pane::List => {
            app.current_list_mut().list.select_row(row);
            app.refresh(Dirty::SELECTION);
        }
        Pane::Permissions => {
            app.panes.perm_selected = row.min(app.panes.perm_rows.len().saturating_sub(1));
        }
        Pane::Detail => {
            app.panes.detail_scroll = row.min(app.panes.detail.len().saturating_sub(1)) as u16;
        }
        Pane::Events => {}
    }
}

fn filter(app: &mut App, edit: FilterEdit) {
    if edit == FilterEdit::Open {
        app.browser.filtering = Some(if app.browser.focus == Pane::Permissions {
            FilterTarget::Permissions
        } else {
            app.browser.focus = Pane::List;
            FilterTarget::List
        });
        return;
    }
    let Some(target) = app.browser.filtering else {
        return;
    };
    let mut text = match target {
        FilterTarget::List => app.current_list().list.filter().to_string(),
        FilterTarget::Permissions => app.panes.perm_filter.clone(),
    };
    match edit {
        FilterEdit::Push(c) => text.push(c),
        FilterEdit::Pop => {
            text.pop();
        }
        FilterEdit::Set(t) => text = t,
        FilterEdit::Keep => {
            app.browser.filtering = None;
            return;
        }
        FilterEdit::Clear => {
            text.clear();
            app.browser.filtering = None;
        }
        FilterEdit::Open => {}
    }
    match target {
        FilterTarget::List => {
            app.current_list_mut().list.set_filter(&text);
            app.refresh(Dirty::SELECTION);
        }
        FilterTarget::Permissions => {
            app.panes.perm_filter = text;
            app.panes.perm_selected = 0;
            app.refresh(Dirty::PERMISSIONS);
            // Land on the first action rather than a service header.
            if let Some(i) = app
                .panes
                .perm_rows
                .iter()
                .position(|r| matches!(r, PermRow::Action { .. }))
            {
                app.panes.perm_selected = i;
            }
        }
    }
}

fn open(app: &mut App) {
    match app.browser.focus {
        Pane::List => app.browser.focus = Pane::Permissions,
        Pane::Detail => {
            let policy = app
                .panes
                .detail
                .get(usize::from(app.panes.detail_scroll))
                .and_then(|l| l.policy().cloned());
            match policy {
                Some(policy) => {
                    app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &policy, None)))
                }
                None => app.flash("this line has no policy to open"),
            }
        }
        Pane::Permissions => match app.panes.perm_rows.get(app.panes.perm_selected).cloned() {
            Some(PermRow::Service {
                prefix, expanded, ..
            }) => {
                if expanded {
                    app.panes.expanded.remove(&prefix);
                } else {
                    app.panes.expanded.insert(prefix);
                }
                app.refresh(Dirty::PERMISSIONS);
            }
            Some(PermRow::Action { action, .. }) => open_grant(app, &action),
            Some(PermRow::MoreLost { .. }) | None => {}
        },
        Pane::Events => {}
    }
}

/// Opens the policy behind an action's first grant, its statement marked.
fn open_grant(app: &mut App, action: &crate::eval::effective::EffectiveAction) {
    let Some(grant) = action.grants.first() else {
        return;
    };
    let found = app
        .session
        .stack
        .acting()
        .identity_policies
        .iter()
        .find(|p| p.origin.name == grant.source.policy && *p.origin.file == *grant.source.file)
        .cloned();
    match found {
        Some(p) => {
            let view = policy::view(&app.workspace, &p, Some(grant.source.statement_index));
            app.overlay = Some(Overlay::Policy(view));
        }
        None => app.flash(format!("{} has no document to show", grant.source.policy)),
    }
}

/// Opens a policy of the selection, found by what its detail line is.
fn open_policy(app: &mut App, pick: &PolicyPick) {
    let found = app.panes.detail.iter().find_map(|l| match (&l.kind, pick) {
        (LineKind::Trust(p), PolicyPick::Trust) => Some(p.clone()),
        (LineKind::Policy(p), PolicyPick::Named(name)) => (p.origin.name == *name
            || p.origin
                .arn
                .as_deref()
                .is_some_and(|a| a.rsplit('/').next() == Some(name)))
        .then(|| p.clone()),
        _ => None,
    });
    match found {
        Some(p) => {
            app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &p, None)));
        }
        None => {
            let name = match pick {
                PolicyPick::Trust => "trust",
                PolicyPick::Named(n) => n.as_str(),
            };
            fail(
                app,
                format!("the selection has no policy named \"{name}\" on screen"),
            );
        }
    }
}

fn selected_action(app: &App) -> Option<&crate::eval::effective::EffectiveAction> {
    match app.panes.perm_rows.get(app.panes.perm_selected) {
        Some(PermRow::Action { action, .. }) => Some(action),
        _ => None,
    }
}

/// `w`: explains what the focus is on. In the permissions pane, the selected
/// action on the first resource it is granted on (`*` when that is a
/// pattern the request cannot name); on a detail line "✓/✗ Role",
/// sts:AssumeRole on that role by the selection.
fn why(app: &mut App) {
    match app.browser.focus {
        Pane::Permissions => {
            let Some(action) = selected_action(app).cloned() else {
                app.flash("select an action (a row under a service), then w");
                return;
            };
            let resource = action
                .grants
                .iter()
                .find(|g| !g.not_resource)
                .and_then(|g| g.resources.first())
                .cloned()
                .unwrap_or_else(|| "*".to_string());
            explain(app, &action.action, &resource, Who::Acting);
        }
        Pane::Detail => {
            match app
                .panes
                .detail
                .get(usize::from(app.panes.detail_scroll))
                .map(|l| l.kind.clone())
            {
                Some(LineKind::CanAssume { role_arn }) => {
                    explain(app, "sts:AssumeRole", &role_arn, Who::Selection)
                }
                _ => app.flash("w explains a ✓/✗ role line here, or an action (Tab to it)"),
            }
        }
        Pane::List | Pane::Events => {
            app.flash("select an action in the permissions pane (Tab to it), then w")
        }
    }
}

/// Opens the "why" view for `action` on `resource`, asked by `who`.
fn explain(app: &mut App, action: &str, resource: &str, who: Who) {
    let selection = match who {
        Who::Selection => app.selected_principal(),
        Who::Acting => None,
    };
    let principal = selection
        .as_ref()
        .unwrap_or_else(|| app.session.stack.acting());
    let decision = evaluate(
        &app.workspace,
        principal,
        &Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: app.session.context.clone(),
            now_epoch: app.now(),
        },
    );
    app.last_answer = Some(Answer {
        question: format!("{action} on {resource}"),
        outcome: decision.decision,
        detail: format!("{action}: {:?}", decision.decision),
    });
    app.overlay = Some(Overlay::Why(WhyView {
        decision,
        scroll: 0,
    }));
}

/// Opens the switch-role picker, each role marked assumable or not.
fn open_picker(app: &mut App) {
    let now = app.now();
    let acting = app.session.stack.acting().clone();
    let mut roles = Vec::new();
    for account in &app.workspace.accounts {
        for role in account.roles.iter().filter(|r| !r.is_service_linked()) {
            let answer = assumability(&app.workspace, &acting, role, &app.session.context, now);
            roles.push(PickerRole {
                arn: role.arn.clone(),
                name: role.name.clone(),
                account: account_label(&app.workspace, &account.id),
                assumable: answer.allowed,
                reason: answer.reason,
            });
        }
    }
    if roles.is_empty() {
        app.flash("the workspace has no role to switch to");
        return;
    }
    let list = FilterList::new(roles.iter().map(|r| r.name.clone()).collect());
    let mut picker = Picker {
        roles,
        list,
        filtering: false,
        duration: 0,
    };
    if let Some(first) = picker.roles.iter().position(|r| r.assumable) {
        picker.list.select_item(first);
    }
    app.overlay = Some(Overlay::Picker(picker));
}

/// Starts a session of `role_arn` from the acting identity. `duration`
/// `Some(0)` asks for the longest STS grants here; any other duration is
/// asked as is, and STS refuses one outside its limits rather than
/// shortening it.
fn start_session(app: &mut App, role_arn: &str, duration: Option<u32>) {
    let chained = app.in_session();
    let Some((_, role)) = app.workspace.role_by_arn(role_arn) else {
        fail(app, format!("no role {role_arn} in the workspace"));
        return;
    };
    let role_name = role.name.clone();
    let duration = match duration {
        Some(0) => Some(longest_duration(role, chained)),
        d => d,
    };
    let request = AssumeRequest {
        role_arn: role_arn.to_string(),
        duration,
        session_name: session_name_for(&app.session.stack.base().display_name),
        session_policies: Vec::new(),
        context: app.session.context.clone(),
        now_epoch: app.now(),
    };
    let workspace = app.workspace.clone();
    let question = format!("switching to {role_name}");
    match app.session.stack.start(&workspace, request) {
        Ok((_, Some(event))) => {
            let event = event.clone();
            app.last_answer = Some(Answer {
                question,
                outcome: Outcome::Allow,
                detail: format!(
                    "assumed {role_name}: +{} -{}",
                    event.diff.gained.len(),
                    event.diff.lost.len()
                ),
            });
            app.on_session_event(&event);
            app.browser.focus = Pane::Permissions;
        }
        Ok((outcome, None)) => {
            // A request STS refuses (duration, session name) is a denial too.
            let why = outcome
                .refusal
                .as_ref()
                .map(|r| r.to_string())
                .or_else(|| outcome.decision.reasons.first().map(|r| r.message.clone()))
                .unwrap_or_default();
            let decision = match outcome.decision.decision {
                Outcome::Allow => Outcome::ImplicitDeny,
                other => other,
            };
            app.last_answer = Some(Answer {
                question,
                outcome: decision,
                detail: format!("could not assume {role_name}: {why}"),
            });
            app.flash(format!("denied: {why}"));
        }
        Err(refusal) => fail(app, refusal.to_string()),
    }
}

/// Sets the request context and recomputes everything that depends on it.
fn set_context(app: &mut App, context: RequestContext) {
    let summary: Vec<String> = context
        .entries()
        .map(|e| format!("{}={}", e.key, e.values.join(",")))
        .collect();
    app.session.context = context.clone();
    let workspace = app.workspace.clone();
    let now = app.now();
    app.session.stack.set_context(&workspace, context, now);
    app.log(if summary.is_empty() {
        "context cleared".to_string()
    } else {
        format!("context: {}", summary.join(" "))
    });
    app.refresh(Dirty::DETAIL);
}

fn copy(app: &mut App, what: CopyWhat) -> Option<Effect> {
    let text = match (what, &app.overlay) {
        (CopyWhat::Arn, Some(Overlay::Why(w))) => {
            let arn = w.decision.principal.clone();
            app.flash(format!("copied {arn}"));
            arn
        }
        (CopyWhat::Policy, Some(Overlay::Policy(p))) => {
            let json = p.json.clone();
            app.flash("copied the policy JSON");
            json
        }
        (_, Some(_)) => return None,
        (CopyWhat::Arn, None) => {
            let arn = selected_arn(app)?;
            app.flash(format!("copied {arn}"));
            arn
        }
        (CopyWhat::Policy, None) => return copy_policy(app),
    };
    Some(Effect::Copy(text))
}

fn selected_arn(app: &App) -> Option<String> {
    if app.browser.focus == Pane::Permissions || app.in_session() {
        return Some(app.session.stack.acting().arn.clone());
    }
    let entity = app.selected_entity()?;
    let account = app.workspace.accounts.get(entity.account)?;
    Some(match app.browser.tab {
        Tab::Users => account.users.get(entity.index)?.arn.clone(),
        Tab::Groups => account.groups.get(entity.index)?.arn.clone(),
        Tab::Roles => account.roles.get(entity.index)?.arn.clone(),
    })
}

fn copy_policy(app: &mut App) -> Option<Effect> {
    let policy = match app.browser.focus {
        Pane::Detail => app
            .panes
            .detail
            .get(usize::from(app.panes.detail_scroll))
            .and_then(|l| l.policy().cloned()),
        _ => selected_action(app).and_then(|a| {
            let grant = a.grants.first()?;
            app.session
                .stack
                .acting()
                .identity_policies
                .iter()
                .find(|p| p.origin.name == grant.source.policy)
                .cloned()
        }),
    };
    let Some(policy) = policy else {
        app.flash("select a policy line (detail pane) or an action first");
        return None;
    };
    let json = app
        .workspace
        .policy_document(&policy)
        .and_then(|d| serde_json::to_string_pretty(&d).ok())?;
    app.flash(format!("copied the JSON of {}", policy.origin.name));
    Some(Effect::Copy(json))
}

// Tours: the engine's plan, sent step by step as actions.

fn tour_action(app: &mut App, action: TourAction, fx: &mut Vec<Effect>) {
    match action {
        TourAction::Choose => match app.tours.len() {
            0 => app.flash(
                "this workspace has no tour: add WORKSPACE/tours/*.json (see README, For trainers)",
            ),
            1 => start_tour(app, 0, fx),
            _ => {
                let titles = app.tours.iter().map(|t| t.title.clone()).collect();
                app.overlay = Some(Overlay::Tours(FilterList::new(titles)));
            }
        },
        TourAction::Start(index) => start_tour(app, index, fx),
        TourAction::Next => {
            let Some(state) = &app.tour else { return };
            if state.is_last() {
                app.flash("last step: Esc leaves the tour");
                return;
            }
            let step = state.done;
            run_step(app, step, true, fx);
        }
        TourAction::Back => {
            let Some(state) = &app.tour else { return };
            if state.done <= 1 {
                app.flash("first step");
                return;
            }
            let to = state.done - 1;
            replay(app, to, fx);
        }
        TourAction::Leave => {
            if let Some(state) = app.tour.take() {
                app.log(format!("left the tour \"{}\"", state.tour.title));
            }
        }
    }
}

/// Starts the workspace's tour `index` on a fresh screen. Sessions in force
/// end first, in the log, and the log stays: nothing is dropped silently.
fn start_tour(app: &mut App, index: usize, fx: &mut Vec<Effect>) {
    let Some(tour) = app.tours.get(index).cloned() else {
        return;
    };
    let plan = match crate::tour::plan(&tour, &app.workspace) {
        Ok(plan) => plan,
        Err(e) => {
            app.last_error = Some(e.message.clone());
            app.overlay = Some(Overlay::Message {
                title: format!("The tour \"{}\" cannot be played", tour.title),
                text: format!(
                    "Step {}: {}\n\n`iamscope validate` checks every tour of the workspace.",
                    e.step, e.message
                ),
                scroll: 0,
            });
            return;
        }
    };
    while app.in_session() {
        apply(app, Action::EndSession, fx);
    }
    app.tour = None;
    app.log(format!("tour \"{}\" started", tour.title));
    let started_at = app.now();
    let log_at_start = app.timeline.log.clone();
    reset(app, started_at, log_at_start.clone());
    app.tour = Some(TourState {
        tour,
        plan,
        done: 0,
        started_at,
        log_at_start,
        step_log_from: 0,
        left: None,
        error: None,
        answers: Vec::new(),
    });
    run_step(app, 0, false, fx);
}

/// Back to the screen the UI opens on, with the clock at `at` and `log`.
fn reset(app: &mut App, at: i64, log: Vec<crate::tui::app::LogEntry>) {
    let mut fresh = App::new(app.workspace.clone(), app.problems, at, app.theme);
    fresh.size = app.size;
    fresh.mouse = app.mouse;
    fresh.tours = std::mem::take(&mut app.tours);
    fresh.tour = app.tour.take();
    fresh.timeline.log = log;
    *app = fresh;
}

/// Replays the tour from its start up to `steps` steps done: deterministic,
/// whatever the user did meanwhile.
fn replay(app: &mut App, steps: usize, fx: &mut Vec<Effect>) {
    let Some(state) = app.tour.take() else { return };
    let (at, log) = (state.started_at, state.log_at_start.clone());
    app.tour = Some(TourState {
        done: 0,
        error: None,
        left: None,
        answers: Vec::new(),
        ..state
    });
    reset(app, at, log);
    for step in 0..steps {
        run_step(app, step, false, fx);
    }
}

/// What a step left on screen, to tell later whether the user changed it.
fn mark(app: &App) -> Mark {
    Mark {
        chain: app.session.stack.chain_label(),
        context: app.session.context.clone(),
    }
}

/// Carries out step `index`: re-establishes its subject (the selection, and
/// with it the acting identity) and, if the user changed sessions or context
/// since the last step, replays the tour up to it; then sends the step's
/// actions and checks its expectation.
fn run_step(app: &mut App, index: usize, check_left: bool, fx: &mut Vec<Effect>) {
    let Some(step) = app.tour.as_ref().and_then(|s| s.plan.get(index)).cloned() else {
        return;
    };
    app.overlay = None;
    app.timeline.status = None;
    app.browser.filtering = None;
    if let Some(subject) = &step.subject {
        let selected = app.browser.tab == super::tour::tab_of(subject.kind)
            && app.selected_name() == Some(crate::text::clean(&subject.name).as_ref());
        if !selected {
            apply(app, super::tour::select(subject), fx);
        }
    }
    let left = app.tour.as_ref().and_then(|s| s.left.clone());
    if check_left && left.is_some_and(|l| l != mark(app)) {
        replay(app, index, fx);
        app.overlay = None;
        app.timeline.status = None;
    }
    app.last_answer = None;
    app.last_error = None;
    let log_from = app.timeline.log.len();
    for action in super::tour::actions(&step) {
        apply(app, action, fx);
    }
    let answer = app.last_answer.take();
    let mut error = app.last_error.take();
    if let (Some(expect), Some(a)) = (super::tour::expectation(&step), &answer) {
        if error.is_none() && !expect.holds(a.outcome) {
            error = Some(format!(
                "expected {} to be {expect:?}, but it is {:?} ({})",
                a.question, a.outcome, a.detail
            ));
        }
    }
    // A refused switch shows the picker, the role marked ✗ with the reason.
    if let (crate::tour::Cue::StartSession { role, .. }, Some(a)) = (&step.cue, &answer) {
        if a.outcome != Outcome::Allow {
            open_picker(app);
            if let Some(Overlay::Picker(picker)) = &mut app.overlay {
                if let Some(i) = picker.roles.iter().position(|r| r.arn == role.arn) {
                    picker.list.select_item(i);
                }
            }
        }
    }
    let left = mark(app);
    if let Some(state) = app.tour.as_mut() {
        state.done = index + 1;
        state.error = error;
        state.step_log_from = log_from;
        state.left = Some(left);
        state.answers.truncate(index);
        state.answers.push(answer);
    }
}
