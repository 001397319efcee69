//! The only place state changes: a message in, the state updated, perhaps an
//! effect out for the event loop to carry out (copy to the clipboard, switch
//! mouse capture, quit).

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::app::{
    App, ContextForm, FilterTarget, Overlay, Pane, Picker, PickerRole, Tab, WhyView, ANIMATION_MS,
    CONTEXT_FIELDS, DURATIONS,
};
use super::filter_list::FilterList;
use super::keymap::{lookup, Action, Mode};
use super::ui::layout::{areas, list_offset};
use super::views::permissions::PermRow;
use super::views::{assumable::assumability, policy};
use crate::eval::{evaluate, Request};
use crate::policy::date::parse_datetime;
use crate::policy::RequestContext;
use crate::sts::AssumeRequest;

/// Everything that can happen.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Real time passed, in milliseconds.
    Tick(i64),
}

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Copy(String),
    SetMouse(bool),
    Quit,
}

/// How far PgUp/PgDn move.
const PAGE: isize = 10;
/// How far `>` moves the clock, in seconds.
const SKIP_SECONDS: i64 = 300;

pub fn update(app: &mut App, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            on_key(app, key)
        }
        Msg::Key(_) => None,
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Resize(w, h) => {
            app.size = (w, h);
            None
        }
        Msg::Tick(elapsed) => {
            on_tick(app, elapsed);
            None
        }
    }
}

/// The mode the keymap is read in.
pub fn mode(app: &App) -> Mode {
    match &app.overlay {
        Some(Overlay::Picker(p)) if p.filtering => Mode::Filter,
        Some(Overlay::Picker(_) | Overlay::Tours(_)) => Mode::Picker,
        Some(Overlay::Context(_)) => Mode::Form,
        Some(_) => Mode::Reader,
        None if app.filtering.is_some() => Mode::Filter,
        None => Mode::Browse,
    }
}

fn on_tick(app: &mut App, elapsed: i64) {
    app.real_ms += elapsed.max(0);
    app.clock.advance(elapsed);
    let now = app.now();
    for event in app.stack.tick(now) {
        app.on_session_event(&event);
    }
    if app
        .animation
        .as_ref()
        .is_some_and(|a| app.real_ms - a.started_ms >= ANIMATION_MS)
    {
        app.animation = None;
        app.refresh_permissions();
    }
    if app
        .status
        .as_ref()
        .is_some_and(|s| app.real_ms >= s.until_ms)
    {
        app.status = None;
    }
}

/// Tour keys work over the main screen and over what a step opened.
fn tour_key(app: &mut App, key: &KeyEvent) -> bool {
    let overlay_closes_first = matches!(
        app.overlay,
        Some(Overlay::Picker(_) | Overlay::Context(_) | Overlay::Tours(_))
    );
    if app.tour.is_none() || matches!(mode(app), Mode::Filter | Mode::Form) {
        return false;
    }
    match lookup(Mode::Tour, key) {
        Some(Action::TourNext) => super::tour::next(app),
        Some(Action::TourBack) => super::tour::back(app),
        Some(Action::TourLeave) if app.overlay.is_none() => super::tour::leave(app),
        Some(Action::TourLeave) if !overlay_closes_first => app.overlay = None,
        _ => return false,
    }
    true
}

/// Runs what a tick does, without real time passing (a tour moved the clock).
pub fn on_tick_for_tour(app: &mut App) {
    on_tick(app, 0);
}

fn on_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if tour_key(app, &key) {
        return None;
    }
    if mode(app) == Mode::Filter && lookup(Mode::Filter, &key) != Some(Action::Quit) {
        on_filter_key(app, key);
        return None;
    }
    if let Some(Overlay::Context(form)) = &mut app.overlay {
        if edit_form(form, &key) {
            return None;
        }
    }
    let action = lookup(mode(app), &key)?;
    match action {
        Action::Quit => {
            app.quit = true;
            Some(Effect::Quit)
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help(0));
            None
        }
        Action::ToggleMouse => {
            app.mouse = !app.mouse;
            app.flash(if app.mouse {
                "mouse on: click to select, wheel to scroll (m turns it off for text selection)"
            } else {
                "mouse off: the terminal's own text selection works again"
            });
            Some(Effect::SetMouse(app.mouse))
        }
        _ => match app.overlay.take() {
            None => browse(app, action),
            Some(Overlay::Picker(picker)) => picker_action(app, picker, action),
            Some(Overlay::Context(form)) => form_action(app, form, action),
            Some(Overlay::Tours(list)) => tours_action(app, list, action),
            Some(overlay) => reader_action(app, overlay, action),
        },
    }
}

fn on_filter_key(app: &mut App, key: KeyEvent) {
    let target_text = |app: &mut App| -> Option<String> {
        match (&app.overlay, app.filtering) {
            (Some(Overlay::Picker(p)), _) => Some(p.list.filter().to_string()),
            (None, Some(FilterTarget::List)) => Some(app.current_list().list.filter().to_string()),
            (None, Some(FilterTarget::Permissions)) => Some(app.perm_filter.clone()),
            _ => None,
        }
    };
    let Some(mut text) = target_text(app) else {
        app.filtering = None;
        return;
    };
    let mut done = false;
    match key.code {
        KeyCode::Esc => {
            text.clear();
            done = true;
        }
        KeyCode::Enter => done = true,
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Up | KeyCode::Down => {
            let delta = if key.code == KeyCode::Up { -1 } else { 1 };
            move_in_filter(app, delta);
            return;
        }
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            text.push(c)
        }
        _ => return,
    }
    apply_filter(app, &text);
    if done {
        match &mut app.overlay {
            Some(Overlay::Picker(p)) => p.filtering = false,
            _ => app.filtering = None,
        }
    }
}

fn move_in_filter(app: &mut App, delta: isize) {
    match (&mut app.overlay, app.filtering) {
        (Some(Overlay::Picker(p)), _) => p.list.move_by(delta),
        (None, Some(FilterTarget::List)) => {
            app.current_list_mut().list.move_by(delta);
            app.selection_changed();
        }
        (None, Some(FilterTarget::Permissions)) => move_permissions(app, delta),
        _ => {}
    }
}

fn apply_filter(app: &mut App, text: &str) {
    match (&mut app.overlay, app.filtering) {
        (Some(Overlay::Picker(p)), _) => p.list.set_filter(text),
        (None, Some(FilterTarget::List)) => {
            app.current_list_mut().list.set_filter(text);
            app.selection_changed();
        }
        (None, Some(FilterTarget::Permissions)) => {
            app.perm_filter = text.to_string();
            app.perm_selected = 0;
            app.refresh_permissions();
            // Land on the first action rather than a service header.
            if let Some(i) = app
                .perm_rows
                .iter()
                .position(|r| matches!(r, PermRow::Action { .. }))
            {
                app.perm_selected = i;
            }
        }
        _ => {}
    }
}

fn browse(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::NextPane | Action::PrevPane => {
            let i = Pane::ORDER
                .iter()
                .position(|p| *p == app.focus)
                .unwrap_or(0);
            let n = Pane::ORDER.len();
            let next = if action == Action::NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.focus = Pane::ORDER[next];
        }
        Action::Users | Action::Groups | Action::Roles => {
            app.tab = match action {
                Action::Users => Tab::Users,
                Action::Groups => Tab::Groups,
                _ => Tab::Roles,
            };
            app.focus = Pane::List;
            app.selection_changed();
        }
        Action::Up => move_focused(app, -1),
        Action::Down => move_focused(app, 1),
        Action::PageUp => move_focused(app, -PAGE),
        Action::PageDown => move_focused(app, PAGE),
        Action::Top => move_focused(app, isize::MIN / 2),
        Action::Bottom => move_focused(app, isize::MAX / 2),
        Action::Enter => enter(app),
        Action::Back => {
            if app.focus == Pane::Permissions && !app.perm_filter.is_empty() {
                app.perm_filter.clear();
                app.refresh_permissions();
            } else if !app.current_list().list.filter().is_empty() {
                app.current_list_mut().list.set_filter("");
                app.selection_changed();
            } else {
                app.focus = Pane::List;
            }
        }
        Action::Filter => {
            app.filtering = Some(if app.focus == Pane::Permissions {
                FilterTarget::Permissions
            } else {
                app.focus = Pane::List;
                FilterTarget::List
            });
        }
        Action::SwitchRole => open_picker(app),
        Action::EndSession => match app.stack.end(app.now()).cloned() {
            Some(event) => app.on_session_event(&event),
            None => app.flash("no session to end: you act with your own credentials"),
        },
        Action::Pause => {
            app.clock.toggle_pause();
            app.flash(if app.clock.is_paused() {
                "clock paused"
            } else {
                "clock running"
            });
        }
        Action::Faster | Action::Slower => {
            if action == Action::Faster {
                app.clock.faster();
            } else {
                app.clock.slower();
            }
            app.flash(format!("clock ×{}", app.clock.speed()));
        }
        Action::SkipAhead => {
            app.clock.skip(SKIP_SECONDS);
            on_tick(app, 0);
            app.flash("clock +5 min");
        }
        Action::Context => app.overlay = Some(Overlay::Context(form_from(&app.context))),
        Action::Tour => match app.tours.len() {
            0 => app.flash(
                "this workspace has no tour: add WORKSPACE/tours/*.json (see README, For trainers)",
            ),
            1 => {
                let tour = app.tours[0].clone();
                super::tour::start(app, tour);
            }
            _ => {
                let titles = app.tours.iter().map(|t| t.title.clone()).collect();
                app.overlay = Some(Overlay::Tours(FilterList::new(titles)));
            }
        },
        Action::Why => why(app),
        Action::CopyArn => return copy_arn(app),
        Action::CopyPolicy => return copy_policy(app),
        _ => {}
    }
    None
}

fn move_focused(app: &mut App, delta: isize) {
    match app.focus {
        Pane::List => {
            app.current_list_mut().list.move_by(delta);
            app.selection_changed();
        }
        Pane::Detail => {
            let last = app.detail.len().saturating_sub(1) as isize;
            app.detail_scroll = (app.detail_scroll as isize + delta).clamp(0, last) as u16;
        }
        Pane::Permissions => move_permissions(app, delta),
        Pane::Events => {
            let last = app.log.len().saturating_sub(1) as isize;
            app.log_scroll = (app.log_scroll as isize - delta).clamp(0, last) as usize;
        }
    }
}

fn move_permissions(app: &mut App, delta: isize) {
    let last = app.perm_rows.len().saturating_sub(1) as isize;
    app.perm_selected = (app.perm_selected as isize + delta).clamp(0, last) as usize;
}

fn enter(app: &mut App) {
    match app.focus {
        Pane::List => app.focus = Pane::Permissions,
        Pane::Detail => {
            let line = app.detail.get(app.detail_scroll as usize).cloned();
            match line.and_then(|l| l.policy) {
                Some(policy) => {
                    app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &policy, None)))
                }
                None => app.flash("this line has no policy to open"),
            }
        }
        Pane::Permissions => match app.perm_rows.get(app.perm_selected).cloned() {
            Some(PermRow::Service {
                prefix, expanded, ..
            }) => {
                if expanded {
                    app.expanded.remove(&prefix);
                } else {
                    app.expanded.insert(prefix);
                }
                app.refresh_permissions();
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
    let acting = app.stack.acting();
    let found = acting
        .identity_policies
        .iter()
        .find(|p| p.origin.name == grant.source.policy && *p.origin.file == *grant.source.file);
    match found {
        Some(p) => {
            let view = policy::view(&app.workspace, p, Some(grant.source.statement_index));
            app.overlay = Some(Overlay::Policy(view));
        }
        None => app.flash(format!("{} has no document to show", grant.source.policy)),
    }
}

fn selected_action(app: &App) -> Option<&crate::eval::effective::EffectiveAction> {
    match app.perm_rows.get(app.perm_selected) {
        Some(PermRow::Action { action, .. }) => Some(action),
        _ => None,
    }
}

/// The request `w` explains: the selected action on the first resource it
/// is granted on (`*` when that is a pattern the request cannot name).
fn why(app: &mut App) {
    let Some(action) = selected_action(app).cloned() else {
        app.flash("select an action in the permissions pane (Tab to it), then w");
        return;
    };
    let resource = action
        .grants
        .iter()
        .find(|g| !g.not_resource)
        .and_then(|g| g.resources.first())
        .cloned()
        .unwrap_or_else(|| "*".to_string());
    explain(app, &action.action, &resource);
}

/// Opens the "why" view for `action` on `resource` by the acting identity.
pub fn explain(app: &mut App, action: &str, resource: &str) {
    let decision = evaluate(
        &app.workspace,
        app.stack.acting(),
        &Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: app.context.clone(),
            now_epoch: app.now(),
        },
    );
    app.overlay = Some(Overlay::Why(WhyView {
        decision,
        scroll: 0,
    }));
}

/// Opens the switch-role picker, each role marked assumable or not.
pub fn open_picker(app: &mut App) {
    let now = app.now();
    let acting = app.stack.acting().clone();
    let mut roles = Vec::new();
    for account in &app.workspace.accounts {
        for role in account.roles.iter().filter(|r| !r.is_service_linked()) {
            let answer = assumability(&app.workspace, &acting, role, &app.context, now);
            roles.push(PickerRole {
                arn: role.arn.clone(),
                name: role.name.clone(),
                account: super::app::account_label(&app.workspace, &account.id),
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

fn picker_action(app: &mut App, mut picker: Picker, action: Action) -> Option<Effect> {
    match action {
        Action::Up => picker.list.move_by(-1),
        Action::Down => picker.list.move_by(1),
        Action::PageUp => picker.list.move_by(-PAGE),
        Action::PageDown => picker.list.move_by(PAGE),
        Action::Top => picker.list.select_first(),
        Action::Bottom => picker.list.select_last(),
        Action::Filter => picker.filtering = true,
        Action::Duration => picker.duration = (picker.duration + 1) % DURATIONS.len(),
        Action::Back => {
            if picker.list.filter().is_empty() {
                return None;
            }
            picker.list.set_filter("");
        }
        Action::Enter => {
            let Some(role) = picker
                .list
                .selected()
                .and_then(|i| picker.roles.get(i))
                .cloned()
            else {
                app.overlay = Some(Overlay::Picker(picker));
                return None;
            };
            if !role.assumable {
                app.flash(format!("cannot assume {}: {}", role.name, role.reason));
                app.overlay = Some(Overlay::Picker(picker));
                return None;
            }
            start_session(app, &role.arn, DURATIONS[picker.duration]);
            return None;
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Picker(picker));
    None
}

/// Starts a session of `role_arn` from the acting identity; `duration` 0
/// asks for the role's maximum (one hour when chaining).
pub fn start_session(app: &mut App, role_arn: &str, duration: u32) {
    let max = app
        .workspace
        .role_by_arn(role_arn)
        .map_or(3600, |(_, r)| r.max_session_seconds);
    let chained = app.in_session();
    let duration = match duration {
        0 if chained => max.min(crate::sts::assume::CHAINING_MAX),
        0 => max,
        d => d.min(max),
    };
    let request = AssumeRequest {
        role_arn: role_arn.to_string(),
        duration: Some(duration),
        session_name: app
            .stack
            .base()
            .display_name
            .replace([' ', '/'], "-")
            .chars()
            .take(64)
            .collect(),
        session_policies: Vec::new(),
        context: app.context.clone(),
        now_epoch: app.now(),
    };
    let request = AssumeRequest {
        session_name: if crate::sts::assume::valid_session_name(&request.session_name) {
            request.session_name.clone()
        } else {
            crate::eval::principal::DEFAULT_SESSION_NAME.to_string()
        },
        ..request
    };
    let workspace = app.workspace.clone();
    match app.stack.start(&workspace, request) {
        Ok((_, Some(event))) => {
            let event = event.clone();
            app.on_session_event(&event);
            app.focus = Pane::Permissions;
        }
        Ok((outcome, None)) => {
            let why = outcome
                .refusal
                .map(|r| r.to_string())
                .or_else(|| outcome.decision.reasons.first().map(|r| r.message.clone()))
                .unwrap_or_default();
            app.flash(format!("denied: {why}"));
        }
        Err(refusal) => app.flash(refusal.to_string()),
    }
}

fn reader_action(app: &mut App, mut overlay: Overlay, action: Action) -> Option<Effect> {
    // A message stops at its last line; the others at a generous bound.
    let max = match &overlay {
        Overlay::Message { text, .. } => super::ui::message_max_scroll(text, app.size),
        _ => 5_000,
    };
    let scroll = match &mut overlay {
        Overlay::Help(scroll) => Some(scroll),
        Overlay::Why(w) => Some(&mut w.scroll),
        Overlay::Policy(p) => Some(&mut p.scroll),
        Overlay::Message { scroll, .. } => Some(scroll),
        _ => None,
    };
    if let Some(scroll) = scroll {
        let delta: i32 = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -(PAGE as i32),
            Action::PageDown => PAGE as i32,
            Action::Top => -10_000,
            Action::Bottom => 10_000,
            _ => 0,
        };
        *scroll = (i32::from(*scroll) + delta).clamp(0, i32::from(max)) as u16;
    }
    match action {
        Action::Back => return None,
        Action::CopyPolicy => {
            if let Overlay::Policy(p) = &overlay {
                let json = p.json.clone();
                app.overlay = Some(overlay);
                app.flash("copied the policy JSON");
                return Some(Effect::Copy(json));
            }
        }
        Action::CopyArn => {
            if let Overlay::Why(w) = &overlay {
                let arn = w.decision.principal.clone();
                app.overlay = Some(overlay);
                app.flash(format!("copied {arn}"));
                return Some(Effect::Copy(arn));
            }
        }
        _ => {}
    }
    app.overlay = Some(overlay);
    None
}

fn copy_arn(app: &mut App) -> Option<Effect> {
    let arn = if app.focus == Pane::Permissions || app.in_session() {
        app.stack.acting().arn.clone()
    } else {
        let entity = app.selected_entity()?;
        let account = app.workspace.accounts.get(entity.account)?;
        match app.tab {
            Tab::Users => account.users.get(entity.index)?.arn.clone(),
            Tab::Groups => account.groups.get(entity.index)?.arn.clone(),
            Tab::Roles => account.roles.get(entity.index)?.arn.clone(),
        }
    };
    app.flash(format!("copied {arn}"));
    Some(Effect::Copy(arn))
}

fn copy_policy(app: &mut App) -> Option<Effect> {
    let policy = match app.focus {
        Pane::Detail => app
            .detail
            .get(app.detail_scroll as usize)
            .and_then(|l| l.policy.clone()),
        _ => selected_action(app).and_then(|a| {
            let grant = a.grants.first()?;
            app.stack
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

fn form_from(context: &RequestContext) -> ContextForm {
    let mfa = context
        .single("aws:MultiFactorAuthPresent")
        .map(|v| v.eq_ignore_ascii_case("true"));
    let skip = [
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "aws:sourceip",
        "aws:currenttime",
        "aws:epochtime",
    ];
    let extra: Vec<String> = context
        .entries()
        .filter(|e| !skip.contains(&e.key.to_ascii_lowercase().as_str()))
        .flat_map(|e| e.values.iter().map(move |v| format!("{}={v}", e.key)))
        .collect();
    ContextForm {
        mfa,
        source_ip: context
            .single("aws:SourceIp")
            .unwrap_or_default()
            .to_string(),
        current_time: context
            .single("aws:CurrentTime")
            .unwrap_or_default()
            .to_string(),
        extra: extra.join("; "),
        field: 0,
        error: None,
    }
}

/// Text editing in the form; true when the key was consumed.
fn edit_form(form: &mut ContextForm, key: &KeyEvent) -> bool {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return false;
    }
    let text = match form.field {
        1 => &mut form.source_ip,
        2 => &mut form.current_time,
        3 => &mut form.extra,
        _ => {
            if key.code == KeyCode::Char(' ') {
                form.mfa = next_mfa(form.mfa);
                return true;
            }
            return false;
        }
    };
    match key.code {
        KeyCode::Char(c) => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => return false,
    }
    true
}

fn next_mfa(mfa: Option<bool>) -> Option<bool> {
    match mfa {
        None => Some(true),
        Some(true) => Some(false),
        Some(false) => None,
    }
}

fn form_action(app: &mut App, mut form: ContextForm, action: Action) -> Option<Effect> {
    match action {
        Action::Back => return None,
        Action::NextField => form.field = (form.field + 1) % CONTEXT_FIELDS,
        Action::PrevField => form.field = (form.field + CONTEXT_FIELDS - 1) % CONTEXT_FIELDS,
        Action::ToggleMfa => form.mfa = next_mfa(form.mfa),
        Action::Enter => match context_from(&form) {
            Ok(context) => {
                apply_context(app, context);
                return None;
            }
            Err(e) => form.error = Some(e),
        },
        _ => {}
    }
    app.overlay = Some(Overlay::Context(form));
    None
}

/// Reads the form into a request context.
pub fn context_from(form: &ContextForm) -> Result<RequestContext, String> {
    let mut context = RequestContext::new();
    if let Some(mfa) = form.mfa {
        context.set("aws:MultiFactorAuthPresent", [mfa.to_string()]);
        if mfa {
            context.set("aws:MultiFactorAuthAge", ["60"]);
        }
    }
    let ip = form.source_ip.trim();
    if !ip.is_empty() {
        ip.parse::<std::net::IpAddr>()
            .map_err(|_| format!("\"{ip}\" is not an IP address"))?;
        context.set("aws:SourceIp", [ip]);
    }
    let time = form.current_time.trim();
    if !time.is_empty() {
        let epoch =
            parse_datetime(time).ok_or_else(|| format!("\"{time}\" is not an ISO 8601 date"))?;
        context.set("aws:CurrentTime", [crate::policy::date::format_iso(epoch)]);
        context.set("aws:EpochTime", [epoch.to_string()]);
    }
    for pair in form
        .extra
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("\"{pair}\" is not key=value"))?;
        if key.trim().is_empty() {
            return Err(format!("\"{pair}\" has an empty key"));
        }
        context.push(key.trim(), value.trim());
    }
    Ok(context)
}

/// Sets the request context and recomputes everything that depends on it.
pub fn apply_context(app: &mut App, context: RequestContext) {
    let summary: Vec<String> = context
        .entries()
        .map(|e| format!("{}={}", e.key, e.values.join(",")))
        .collect();
    app.context = context.clone();
    let workspace = app.workspace.clone();
    let now = app.now();
    app.stack.set_context(&workspace, context, now);
    app.log(if summary.is_empty() {
        "context cleared".to_string()
    } else {
        format!("context: {}", summary.join(" "))
    });
    app.detail = super::views::detail::build(app);
    app.refresh_permissions();
}

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Option<Effect> {
    if !app.mouse || app.overlay.is_some() {
        return None;
    }
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let layout = areas(area);
    let at = Position::new(mouse.column, mouse.row);
    let pane = [
        (Pane::List, layout.list),
        (Pane::Detail, layout.detail),
        (Pane::Permissions, layout.permissions),
        (Pane::Events, layout.events),
    ]
    .into_iter()
    .find(|(_, r)| r.contains(at));
    let (pane, rect) = pane?;
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            let row = usize::from(mouse.row.saturating_sub(rect.y + 1));
            let height = usize::from(rect.height.saturating_sub(2));
            match pane {
                Pane::List => {
                    let offset = list_offset(app.current_list().list.selected_row(), height);
                    app.current_list_mut().list.select_row(offset + row);
                    app.selection_changed();
                }
                Pane::Permissions => {
                    let offset = list_offset(app.perm_selected, height);
                    app.perm_selected = (offset + row).min(app.perm_rows.len().saturating_sub(1));
                }
                Pane::Detail => {
                    app.detail_scroll = (row as u16).min(app.detail.len().saturating_sub(1) as u16);
                }
                Pane::Events => {}
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let previous = app.focus;
            app.focus = pane;
            move_focused(
                app,
                if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                },
            );
            app.focus = previous;
        }
        _ => {}
    }
    None
}

fn tours_action(app: &mut App, mut list: FilterList, action: Action) -> Option<Effect> {
    match action {
        Action::Up => list.move_by(-1),
        Action::Down => list.move_by(1),
        Action::Back => return None,
        Action::Enter => {
            if let Some(tour) = list.selected().and_then(|i| app.tours.get(i)).cloned() {
                super::tour::start(app, tour);
            }
            return None;
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Tours(list));
    None
}
