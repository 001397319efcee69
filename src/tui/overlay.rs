//! Overlays over the main screen: their state, and how each handles the
//! actions meant for it. An overlay answers with a [`Transition`] that
//! `update` applies in one place (stay, close, replace, close and then act),
//! instead of being taken out and put back by hand.

use super::action::{Action, FilterEdit, FormEdit, Move, TourAction};
use super::filter_list::FilterList;
use crate::eval::Decision;
use crate::policy::date::parse_datetime;
use crate::policy::RequestContext;
use crate::workspace::subjects::Subject;

/// A role offered by the switch-role picker.
#[derive(Debug, Clone)]
pub struct PickerRole {
    pub arn: String,
    pub name: String,
    pub account: String,
    pub assumable: bool,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub roles: Vec<PickerRole>,
    pub list: FilterList,
    pub filtering: bool,
    /// Index into [`DURATIONS`].
    pub duration: usize,
}

/// Durations the picker offers, in seconds; 0 means "the longest allowed".
pub const DURATIONS: [u32; 4] = [3600, 900, 7200, 0];

#[derive(Debug, Clone)]
pub struct WhyView {
    pub decision: Decision,
    /// The problems in the data the decision rests on.
    pub caveats: Vec<crate::workspace::caveats::Caveat>,
    /// Asked from a permissions row listed as conditional: the conditions
    /// the list showed, which the context does not decide. The answer is
    /// read against them, so the list and the view never seem to disagree.
    pub listed_conditions: Vec<String>,
    pub scroll: u16,
    /// What Esc comes back to (the escalation path it was asked from).
    pub back: Option<Box<Overlay>>,
}

/// One principal's escalation path (Enter on its Escalation line, or in
/// the `E` list): each step a row, `w` or Enter its why.
#[derive(Debug, Clone)]
pub struct EscalationPath {
    pub found: crate::escalation::PrincipalEscalation,
    /// The selected step of the first path.
    pub selected: usize,
    /// Lines scrolled past the selected step's first (PgDn/PgUp), for a
    /// step longer than the screen; update bounds it by the screen's size.
    pub scroll: usize,
    /// What Esc comes back to (the `E` list it was opened from).
    pub back: Option<Box<Overlay>>,
}

impl EscalationPath {
    pub fn new(found: crate::escalation::PrincipalEscalation) -> Self {
        EscalationPath {
            found,
            selected: 0,
            scroll: 0,
            back: None,
        }
    }

    /// The steps shown: the first (shortest) path's.
    pub fn steps(&self) -> &[crate::escalation::Step] {
        self.found
            .paths
            .first()
            .map_or(&[], |path| path.steps.as_slice())
    }

    /// The why of the selected step: its first request (the one that opens
    /// the door: the role passed, the policy written, the role assumed),
    /// asked by the step's principal.
    pub fn why_of_selected(&self) -> Option<Action> {
        let step = self.steps().get(self.selected)?;
        let request = step.requests.first()?;
        Some(Action::ExplainStep {
            principal: step.from.clone(),
            request: request.clone(),
        })
    }
}

/// `E`: every user and role that is admin or can become admin, riskiest
/// first; Enter opens one's path.
#[derive(Debug, Clone)]
pub struct EscalationsView {
    pub rows: Vec<crate::escalation::PrincipalEscalation>,
    /// How many users and roles were asked.
    pub asked: usize,
    pub list: FilterList,
}

#[derive(Debug, Clone)]
pub struct PolicyView {
    pub title: String,
    /// Pretty JSON lines, each marked when it belongs to the statement in question.
    pub lines: Vec<(String, bool)>,
    pub json: String,
    pub scroll: u16,
}

/// The request-context form (`c`).
#[derive(Debug, Clone)]
pub struct ContextForm {
    /// `None`: the key is absent (long-term credentials); `Some(b)`: MFA used or not.
    pub mfa: Option<bool>,
    pub source_ip: String,
    pub current_time: String,
    /// More keys, `key=value; key=value`.
    pub extra: String,
    pub field: usize,
    pub error: Option<String>,
}

pub const CONTEXT_FIELDS: usize = 4;

/// `a`: ask about any action, on any resource, as the acting identity (the
/// IAM Policy Simulator's question): `ACTION [RESOURCE]`, completed from the
/// catalog and the workspace's ARNs.
#[derive(Debug, Clone)]
pub struct AskLine {
    pub text: String,
    /// Completions of the word being typed, best first.
    pub candidates: Vec<String>,
    /// The workspace's resource and principal ARNs, for the second word.
    pub resources: std::sync::Arc<Vec<String>>,
    pub error: Option<String>,
}

/// How many completions the ask line shows.
pub const ASK_CANDIDATES: usize = 6;

impl AskLine {
    pub fn new(resources: std::sync::Arc<Vec<String>>) -> Self {
        let mut line = AskLine {
            text: String::new(),
            candidates: Vec::new(),
            resources,
            error: None,
        };
        line.refresh();
        line
    }

    /// The word being typed: the action (first) or the resource (second).
    fn editing_resource(&self) -> bool {
        self.text.trim_start().contains(' ')
    }

    fn current_word(&self) -> &str {
        self.text.rsplit(' ').next().unwrap_or_default()
    }

    /// Recomputes the completions of the word being typed.
    pub fn refresh(&mut self) {
        use fuzzy_matcher::skim::SkimMatcherV2;
        use fuzzy_matcher::FuzzyMatcher;
        self.error = None;
        let word = self.current_word().to_string();
        if word.is_empty() || word.contains(['*', '?']) {
            self.candidates.clear();
            return;
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, &str)> = if self.editing_resource() {
            self.resources
                .iter()
                .filter_map(|r| matcher.fuzzy_match(r, &word).map(|s| (s, r.as_str())))
                .collect()
        } else {
            crate::catalog::Catalog::get()
                .actions()
                .iter()
                .filter_map(|a| {
                    matcher
                        .fuzzy_match(&a.full_name, &word)
                        .map(|s| (s, a.full_name.as_str()))
                })
                .collect()
        };
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.len().cmp(&b.1.len()))
                .then(a.1.cmp(b.1))
        });
        self.candidates = scored
            .into_iter()
            .take(ASK_CANDIDATES)
            .map(|(_, c)| c.to_string())
            .collect();
    }

    /// Tab: the word being typed becomes the best completion.
    fn complete(&mut self) {
        let Some(best) = self.candidates.first().cloned() else {
            return;
        };
        let keep = self.text.len() - self.current_word().len();
        self.text.truncate(keep);
        self.text.push_str(&best);
        if !self.editing_resource() {
            self.text.push(' ');
        }
        self.refresh();
    }

    /// Enter: the question the line asks, or why it cannot be asked.
    fn question(&self) -> Result<Action, String> {
        let mut words = self.text.split_whitespace();
        let Some(action) = words.next() else {
            return Err("type an action, e.g. s3:GetObject (Tab completes)".to_string());
        };
        let resource = words.next().unwrap_or("*").to_string();
        if words.next().is_some() {
            return Err("ask ACTION [RESOURCE]: two words at most".to_string());
        }
        if resource != "*" {
            resource
                .parse::<crate::arn::Arn>()
                .map_err(|e| format!("\"{resource}\" is not an ARN: {e}"))?;
        }
        if action.contains(['*', '?']) {
            return Ok(Action::AskMany {
                pattern: action.to_string(),
                resource,
            });
        }
        if let Some(problem) = crate::catalog::Catalog::get().request_action_problem(action) {
            return Err(problem);
        }
        Ok(Action::Explain {
            action: action.to_string(),
            resource,
            who: crate::tui::action::Who::Acting,
        })
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    /// The help, scrolled by this many lines.
    Help(u16),
    Picker(Picker),
    Why(WhyView),
    Policy(PolicyView),
    Context(ContextForm),
    Ask(AskLine),
    /// A notice: one paragraph a line, wrapped, scrolled by `scroll` lines.
    Message {
        title: String,
        text: String,
        scroll: u16,
    },
    /// Choosing a guided tour.
    Tours(FilterList),
    /// The workspace's problems.
    Problems(ProblemsView),
    /// One principal's escalation path.
    EscalationPath(EscalationPath),
    /// Who can become admin.
    Escalations(EscalationsView),
    /// What-if: the changes to choose from.
    WhatIf(WhatIfMenu),
    /// `:`: go to anything by name.
    Palette(super::palette::Palette),
    /// `S`: naming the file the demo state is saved to.
    SaveDemo(SaveForm),
    /// `e`: naming the file what was on screen is exported to.
    Export(ExportForm),
    /// `V`: a comparison, read like a message, kept as data to export.
    Comparison {
        title: String,
        text: String,
        scroll: u16,
        export: crate::tui::views::export::Export,
    },
    /// The help narrowed to the lines containing `query` (`/` in the help).
    HelpSearch(HelpSearch),
}

/// A change the what-if menu offers, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIfChoice {
    pub label: String,
    pub change: crate::what_if::Change,
}

/// `W`: the what-if changes the selection allows.
#[derive(Debug, Clone)]
pub struct WhatIfMenu {
    pub choices: Vec<WhatIfChoice>,
    pub list: FilterList,
}

/// Searching the help: the keys and the marks whose text contains the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSearch {
    pub query: String,
    /// Letters go to the query (else j/k scroll).
    pub typing: bool,
    pub scroll: u16,
}

/// The list of problems (`!`): one row per problem, repeats once.
#[derive(Debug, Clone)]
pub struct ProblemsView {
    pub rows: Vec<ProblemRow>,
    /// Every error and warning, repeats included (as the header counts them).
    pub errors: usize,
    pub warnings: usize,
    /// Over the rows' texts, so the list can be filtered and moved through.
    pub list: FilterList,
}

/// One problem as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemRow {
    pub error: bool,
    /// `file:line:column`.
    pub place: String,
    pub message: String,
    /// What it sits in, in words, and where Enter goes.
    pub subject: Subject,
}

/// What an overlay asks for after an action.
#[derive(Debug, Clone)]
pub enum Transition {
    /// The overlay did not handle the action: the main screen's rules apply.
    Pass,
    Stay,
    /// Stays, and says this in the footer.
    Say(String),
    Close,
    /// Closes, then the action is carried out.
    CloseThen(Action),
    /// Stays, and the action is carried out over it (an overlay it opens
    /// may come back to this one).
    Then(Action),
    /// Another overlay takes its place.
    Replace(Box<Overlay>),
}

/// How far PgUp/PgDn move.
pub const PAGE: isize = 10;

/// Applies `action` to `overlay`; `max_scroll` bounds the readers.
pub fn handle(overlay: &mut Overlay, action: &Action, max_scroll: u16) -> Transition {
    if let (Overlay::Help(_), Action::Filter(FilterEdit::Open)) = (&*overlay, action) {
        *overlay = Overlay::HelpSearch(HelpSearch {
            query: String::new(),
            typing: true,
            scroll: 0,
        });
        return Transition::Stay;
    }
    if let (Overlay::HelpSearch(_), Action::Filter(FilterEdit::Clear)) = (&*overlay, action) {
        *overlay = Overlay::Help(0);
        return Transition::Stay;
    }
    match overlay {
        Overlay::Help(scroll) => reader(scroll, action, max_scroll),
        Overlay::Why(w) => match (action, w.back.take()) {
            (Action::Back, Some(back)) => Transition::Replace(back),
            (_, back) => {
                w.back = back;
                reader(&mut w.scroll, action, max_scroll)
            }
        },
        Overlay::EscalationPath(view) => escalation_path(view, action, max_scroll),
        Overlay::Escalations(view) => match action {
            Action::Move(m) => {
                move_list(&mut view.list, *m);
                Transition::Stay
            }
            Action::Back => Transition::Close,
            Action::Open => match view.list.selected().and_then(|i| view.rows.get(i)) {
                Some(found) => {
                    let mut path = EscalationPath::new(found.clone());
                    path.back = Some(Box::new(Overlay::Escalations(view.clone())));
                    Transition::Replace(Box::new(Overlay::EscalationPath(path)))
                }
                None => Transition::Stay,
            },
            _ => Transition::Pass,
        },
        Overlay::Policy(p) => reader(&mut p.scroll, action, max_scroll),
        Overlay::Message { scroll, .. } | Overlay::Comparison { scroll, .. } => {
            reader(scroll, action, max_scroll)
        }
        Overlay::Picker(p) => picker(p, action),
        Overlay::Context(form) => context_form(form, action),
        Overlay::Ask(line) => ask_line(line, action),
        Overlay::Palette(palette) => palette_action(palette, action),
        Overlay::SaveDemo(form) => save_form(form, action),
        Overlay::Export(form) => export_form(form, action),
        Overlay::HelpSearch(search) => help_search(search, action, max_scroll),
        Overlay::Problems(view) => match action {
            Action::Move(m) => {
                move_list(&mut view.list, *m);
                Transition::Stay
            }
            Action::Back => Transition::Close,
            Action::Open => match view.list.selected().and_then(|i| view.rows.get(i)) {
                Some(row) => Transition::CloseThen(Action::GoTo(row.subject.clone())),
                None => Transition::Stay,
            },
            _ => Transition::Pass,
        },
        Overlay::WhatIf(menu) => match action {
            Action::Move(m) => {
                move_list(&mut menu.list, *m);
                Transition::Stay
            }
            Action::Back => Transition::Close,
            Action::Open => match menu.list.selected().and_then(|i| menu.choices.get(i)) {
                Some(choice) => Transition::CloseThen(Action::WhatIf(choice.change.clone())),
                None => Transition::Stay,
            },
            _ => Transition::Pass,
        },
        Overlay::Tours(list) => match action {
            Action::Move(m) => {
                move_list(list, *m);
                Transition::Stay
            }
            Action::Back => Transition::Close,
            Action::Open => match list.selected() {
                Some(i) => Transition::CloseThen(Action::Tour(TourAction::Start(i))),
                None => Transition::Stay,
            },
            _ => Transition::Pass,
        },
    }
}

fn escalation_path(view: &mut EscalationPath, action: &Action, max_scroll: u16) -> Transition {
    let last = view.steps().len().saturating_sub(1);
    match action {
        // PgDn/PgUp scroll the lines (a step may be longer than the screen).
        Action::Move(Move::By(d)) if d.abs() >= PAGE => {
            view.scroll = (view.scroll as isize)
                .saturating_add(*d)
                .clamp(0, max_scroll as isize) as usize;
        }
        Action::Move(Move::By(d)) => {
            view.selected = (view.selected as isize)
                .saturating_add(*d)
                .clamp(0, last as isize) as usize;
            view.scroll = 0;
        }
        Action::Move(Move::First) => (view.selected, view.scroll) = (0, 0),
        Action::Move(Move::Last) => (view.selected, view.scroll) = (last, 0),
        Action::Back => {
            return match view.back.take() {
                Some(back) => Transition::Replace(back),
                None => Transition::Close,
            }
        }
        Action::Why | Action::Open => {
            return match view.why_of_selected() {
                Some(why) => Transition::Then(why),
                None => Transition::Say("this principal has no step to explain".to_string()),
            }
        }
        _ => return Transition::Pass,
    }
    Transition::Stay
}

fn reader(scroll: &mut u16, action: &Action, max: u16) -> Transition {
    let delta: i32 = match action {
        Action::Move(Move::By(d)) => (*d).clamp(-10_000, 10_000) as i32,
        Action::Move(Move::First) => -100_000,
        Action::Move(Move::Last) => 100_000,
        Action::Back => return Transition::Close,
        _ => return Transition::Pass,
    };
    *scroll = (i32::from(*scroll) + delta).clamp(0, i32::from(max)) as u16;
    Transition::Stay
}

fn help_search(search: &mut HelpSearch, action: &Action, max: u16) -> Transition {
    let Action::Filter(edit) = action else {
        return reader(&mut search.scroll, action, max);
    };
    match edit {
        FilterEdit::Open => search.typing = true,
        FilterEdit::Push(c) => search.query.push(*c),
        FilterEdit::Pop => {
            search.query.pop();
        }
        FilterEdit::Set(text) => search.query = text.clone(),
        FilterEdit::Keep => search.typing = false,
        // Handled above: back to the whole help.
        FilterEdit::Clear => {}
    }
    search.scroll = 0;
    Transition::Stay
}

/// `S`: the form naming the file the demo state goes to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveForm {
    pub path: String,
    pub error: Option<String>,
}

fn save_form(form: &mut SaveForm, action: &Action) -> Transition {
    let Action::Form(edit) = action else {
        return match action {
            Action::Back => Transition::Close,
            _ => Transition::Pass,
        };
    };
    match name_a_file(
        &mut form.path,
        &mut form.error,
        edit,
        "~/workshop-demo.json",
    ) {
        Some(path) => Transition::CloseThen(Action::SaveDemo { path }),
        None => Transition::Stay,
    }
}

/// One edit of a form that names a file (`S`, `e`): the name typed, or
/// the name when Enter is pressed on one (an empty name is an error that
/// shows `example`).
fn name_a_file(
    path: &mut String,
    error: &mut Option<String>,
    edit: &FormEdit,
    example: &str,
) -> Option<String> {
    *error = None;
    match edit {
        FormEdit::Push(c) => path.push(*c),
        FormEdit::Pop => {
            path.pop();
        }
        FormEdit::Apply => {
            let name = path.trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
            *error = Some(format!("type a file name, e.g. {example}"));
        }
        FormEdit::NextField | FormEdit::PrevField | FormEdit::ToggleMfa => {}
    }
    None
}

/// `e`: the form naming the file what was on screen is exported to; it
/// holds the text already made, and Esc or the export comes back to what
/// it was opened over.
#[derive(Debug, Clone)]
pub struct ExportForm {
    pub path: String,
    pub error: Option<String>,
    pub export: crate::tui::views::export::Export,
    pub back: Option<Box<Overlay>>,
}

fn export_form(form: &mut ExportForm, action: &Action) -> Transition {
    let Action::Form(edit) = action else {
        return match action {
            Action::Back => match form.back.take() {
                Some(back) => Transition::Replace(back),
                None => Transition::Close,
            },
            _ => Transition::Pass,
        };
    };
    match name_a_file(&mut form.path, &mut form.error, edit, "~/permissions.md") {
        Some(path) => Transition::Then(Action::Export { path }),
        None => Transition::Stay,
    }
}

fn palette_action(palette: &mut super::palette::Palette, action: &Action) -> Transition {
    match action {
        Action::Filter(edit) => palette.edit(edit),
        Action::Move(m) => palette.move_to(*m),
        Action::Open => {
            return match palette.selected_entry() {
                Some(entry) => Transition::CloseThen(entry.go.clone()),
                None => Transition::Say("nothing matches: type less, or Esc".to_string()),
            }
        }
        Action::Back => return Transition::Close,
        _ => return Transition::Pass,
    }
    Transition::Stay
}

fn move_list(list: &mut FilterList, m: Move) {
    match m {
        Move::By(d) => list.move_by(d),
        Move::First => list.select_first(),
        Move::Last => list.select_last(),
    }
}

fn picker(p: &mut Picker, action: &Action) -> Transition {
    match action {
        Action::Move(m) => move_list(&mut p.list, *m),
        Action::Filter(edit) => {
            let mut text = p.list.filter().to_string();
            match edit {
                FilterEdit::Open => p.filtering = true,
                FilterEdit::Push(c) => text.push(*c),
                FilterEdit::Pop => {
                    text.pop();
                }
                FilterEdit::Keep => p.filtering = false,
                FilterEdit::Clear => {
                    text.clear();
                    p.filtering = false;
                }
                FilterEdit::Set(t) => text = t.clone(),
            }
            if text != p.list.filter() {
                p.list.set_filter(&text);
            }
        }
        Action::CycleDuration => p.duration = (p.duration + 1) % DURATIONS.len(),
        Action::Back => {
            if p.list.filter().is_empty() {
                return Transition::Close;
            }
            p.list.set_filter("");
        }
        Action::Open => {
            let Some(role) = p.list.selected().and_then(|i| p.roles.get(i)) else {
                return Transition::Stay;
            };
            if !role.assumable {
                return Transition::Say(format!("cannot assume {}: {}", role.name, role.reason));
            }
            return Transition::CloseThen(Action::StartSession {
                role_arn: role.arn.clone(),
                duration: Some(DURATIONS[p.duration]),
            });
        }
        _ => return Transition::Pass,
    }
    Transition::Stay
}

fn context_form(form: &mut ContextForm, action: &Action) -> Transition {
    let Action::Form(edit) = action else {
        return match action {
            Action::Back => Transition::Close,
            _ => Transition::Pass,
        };
    };
    match edit {
        FormEdit::NextField => form.field = (form.field + 1) % CONTEXT_FIELDS,
        FormEdit::PrevField => form.field = (form.field + CONTEXT_FIELDS - 1) % CONTEXT_FIELDS,
        FormEdit::ToggleMfa => form.mfa = next_mfa(form.mfa),
        FormEdit::Push(c) => match form.field {
            1 => form.source_ip.push(*c),
            2 => form.current_time.push(*c),
            3 => form.extra.push(*c),
            _ if *c == ' ' => form.mfa = next_mfa(form.mfa),
            _ => {}
        },
        FormEdit::Pop => {
            match form.field {
                1 => form.source_ip.pop(),
                2 => form.current_time.pop(),
                3 => form.extra.pop(),
                _ => None,
            };
        }
        FormEdit::Apply => match context_from(form) {
            Ok(context) => return Transition::CloseThen(Action::SetContext(context)),
            Err(e) => form.error = Some(e),
        },
    }
    Transition::Stay
}

fn ask_line(line: &mut AskLine, action: &Action) -> Transition {
    let Action::Form(edit) = action else {
        return match action {
            Action::Back => Transition::Close,
            _ => Transition::Pass,
        };
    };
    match edit {
        FormEdit::Push(c) => {
            line.text.push(*c);
            line.refresh();
        }
        FormEdit::Pop => {
            line.text.pop();
            line.refresh();
        }
        FormEdit::NextField => line.complete(),
        FormEdit::PrevField | FormEdit::ToggleMfa => {}
        FormEdit::Apply => match line.question() {
            Ok(question) => return Transition::CloseThen(question),
            Err(e) => line.error = Some(e),
        },
    }
    Transition::Stay
}

fn next_mfa(mfa: Option<bool>) -> Option<bool> {
    match mfa {
        None => Some(true),
        Some(true) => Some(false),
        Some(false) => None,
    }
}

/// The form filled from a request context.
pub fn form_from(context: &RequestContext) -> ContextForm {
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
