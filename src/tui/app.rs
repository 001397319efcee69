//! All state of the terminal UI. Only `update` changes it, one action at a
//! time; render only reads. Everything expensive (evaluation, effective
//! permissions, diffs, filters) is computed here, in [`App::refresh`], when
//! its inputs change, never while drawing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::filter_list::FilterList;
use super::overlay::Overlay;
use super::pending::{next_generation, Compute, Computed, Job, Pending};
pub use super::selection::{EntityRef, Pane, Selection, Tab};
use super::theme::Theme;
use super::views::detail::{self, DetailInput, DetailLine, LineKind};
use super::views::permissions::{self, Change, DeniedAction, PermInput, PermRow};
use crate::eval::effective::EffectiveAction;
use crate::eval::footprint::principal_footprint;
use crate::eval::{Outcome, Principal};
use crate::model::Footprint;
use crate::model::Workspace;
use crate::policy::RequestContext;
use crate::sts::{EventKind, SessionEvent, SessionStack, SimClock};
use crate::tour::{StepPlan, Tour};
use crate::workspace::caveats::{ProblemCounts, ProblemReport};

pub use super::views::account_label;

/// How many lines the event log keeps.
pub const LOG_KEPT: usize = 500;

/// How long gains and losses stay highlighted, in real milliseconds.
pub const ANIMATION_MS: i64 = 4000;

/// The rows of one tab.
#[derive(Debug, Clone, Default)]
pub struct EntityList {
    pub entities: Vec<EntityRef>,
    /// A second column: groups of a user, member count, account...
    pub notes: Vec<String>,
    /// The problems in what each entity rests on (empty: none in this list).
    pub marks: Vec<ProblemCounts>,
    pub list: FilterList,
}

/// The gains and losses being shown after a session event.
#[derive(Debug, Clone)]
pub struct Animation {
    pub started_ms: i64,
    /// The session event shown; `None` for a what-if change.
    pub kind: Option<EventKind>,
    pub gained: BTreeSet<String>,
    /// Lost actions stay on screen, struck through, until the animation ends.
    pub lost: Vec<EffectiveAction>,
}

/// What the session in force changed, against the identity that started it:
/// kept for as long as the session lasts, so its `+` rows and `+N -M` stay.
#[derive(Debug, Clone)]
pub struct SessionChange {
    pub gained: BTreeSet<String>,
    pub lost: usize,
}

/// A what-if change in force: what it was, and the workspace before it (to
/// undo it, and for a tour's replays to start from the loaded one).
#[derive(Debug, Clone)]
pub struct WhatIfStep {
    pub change: crate::what_if::Change,
    pub before: Arc<Workspace>,
}

/// The principal `v` marked, to compare the selection with (`V`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareMark {
    pub selection: Selection,
    /// Its name in the list, for the title "alice → bob".
    pub name: String,
}

/// A transient line in the footer ("copied ARN").
#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub until_ms: i64,
}

/// One line of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: i64,
    pub text: String,
}

/// The answer to the last question asked (a switch of role, a why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question: String,
    pub outcome: Outcome,
    pub detail: String,
}

/// What a tour step left on screen, re-established before the next step.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub chain: String,
    pub context: RequestContext,
    /// The what-if changes in force.
    pub what_if: Vec<crate::what_if::Change>,
}

/// The tour being shown.
#[derive(Debug, Clone)]
pub struct TourState {
    pub tour: Tour,
    pub plan: Vec<StepPlan>,
    /// Steps carried out so far; the text shown is that of step `done - 1`.
    pub done: usize,
    /// The clock when the tour started, for replays.
    pub started_at: i64,
    /// The event log when the tour started: replays start from it again.
    pub log_at_start: Vec<LogEntry>,
    /// The log's length when the current step began: later lines are its events.
    pub step_log_from: usize,
    /// What the last step left, to tell whether the user changed it.
    pub left: Option<Mark>,
    /// A step that could not be carried out, or whose expectation failed.
    pub error: Option<String>,
    /// Each step's answer (`None` for steps that ask nothing).
    pub answers: Vec<Option<Answer>>,
}

impl TourState {
    pub fn current_text(&self) -> &str {
        self.done
            .checked_sub(1)
            .and_then(|i| self.plan.get(i))
            .map_or("", |s| s.text.as_str())
    }

    pub fn is_last(&self) -> bool {
        self.done >= self.plan.len()
    }
}

/// What changed, for [`App::refresh`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dirty {
    /// The selection: the detail pane, and the acting identity outside a session.
    pub selection: bool,
    /// The context or the sessions: the detail pane's answers.
    pub detail: bool,
    /// The permissions pane's rows.
    pub permissions: bool,
}

impl Dirty {
    pub const SELECTION: Dirty = Dirty {
        selection: true,
        detail: true,
        permissions: true,
    };
    pub const DETAIL: Dirty = Dirty {
        selection: false,
        detail: true,
        permissions: true,
    };
    pub const PERMISSIONS: Dirty = Dirty {
        selection: false,
        detail: false,
        permissions: true,
    };
}

/// What the filter being typed narrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterTarget {
    List,
    Permissions,
}

/// The list on the left: which tab, which pane has the focus, the rows of
/// each tab, and the filter being typed.
#[derive(Clone)]
pub struct Browser {
    pub tab: Tab,
    pub focus: Pane,
    pub lists: [EntityList; 3],
    pub filtering: Option<FilterTarget>,
}

/// What the detail and permissions panes show, computed by [`App::refresh`].
#[derive(Clone)]
pub struct Panes {
    pub detail: Vec<DetailLine>,
    /// The selected line of the detail pane.
    pub detail_scroll: u16,
    pub perm_rows: Vec<PermRow>,
    pub perm_selected: usize,
    pub perm_filter: String,
    /// Services opened in the permissions pane.
    pub expanded: BTreeSet<String>,
    pub animation: Option<Animation>,
    /// What each session in force changed when it started, oldest first.
    pub session_changes: Vec<SessionChange>,
    /// `d`: the denied actions are listed too.
    pub show_denied: bool,
    /// The denied actions of the services opened so far, by prefix: each
    /// service is evaluated once, when first opened, until the acting
    /// identity, its sessions or the context change.
    pub denied: BTreeMap<String, Vec<DeniedAction>>,
}

/// Who acts, when, and in which context: the simulated clock, the request
/// context and the stack of role sessions.
#[derive(Clone)]
pub struct SessionState {
    pub clock: SimClock,
    pub context: RequestContext,
    pub stack: SessionStack,
}

/// What happened: the event log, the footer's transient line, and real time
/// (for animations).
#[derive(Clone)]
pub struct Timeline {
    pub log: Vec<LogEntry>,
    pub log_scroll: usize,
    pub status: Option<Status>,
    /// Real milliseconds since start, for animations.
    pub real_ms: i64,
}

#[derive(Clone)]
pub struct App {
    pub workspace: Arc<Workspace>,
    /// The problems found loading the workspace: the header counts them,
    /// `!` lists them, lists mark what they touch, `w` shows the caveats.
    pub problems: Arc<ProblemReport>,
    pub theme: Theme,
    pub size: (u16, u16),
    pub browser: Browser,
    pub panes: Panes,
    pub session: SessionState,
    pub timeline: Timeline,
    pub overlay: Option<Overlay>,
    pub mouse: bool,
    /// Presenter mode: the focused pane zoomed, a larger event log, the
    /// request context in the header (for a room and a projector).
    pub presenter: bool,
    pub quit: bool,
    /// The workspace's guided tours, and the one being shown.
    pub tours: Vec<Tour>,
    pub tour: Option<TourState>,
    /// The answer to the last question, and why the last action failed:
    /// what a tour step reads back.
    pub last_answer: Option<Answer>,
    pub last_error: Option<String>,
    /// What-if changes in force, oldest first: `workspace` is the copy
    /// after the last; `u` undoes them one by one.
    pub what_if: Vec<WhatIfStep>,
    /// `v`: the principal marked for comparing.
    pub compare_mark: Option<CompareMark>,
    /// Where the slow answers (permissions, escalation) are computed.
    pub compute: Compute,
    /// The slow answers the screen still waits for (`Compute::Worker`).
    pub pending: Option<Pending>,
}

impl App {
    /// A UI over `workspace`, with the clock at `now` (seconds since the epoch).
    pub fn new(workspace: Arc<Workspace>, now: i64, theme: Theme) -> App {
        let lists = build_lists(&workspace);
        let base = first_principal(&workspace);
        let context = RequestContext::new();
        let stack = SessionStack::new(&workspace, base, context.clone(), now);
        let mut app = App {
            workspace,
            problems: Arc::new(ProblemReport::default()),
            theme,
            size: (120, 34),
            browser: Browser {
                tab: Tab::Users,
                focus: Pane::List,
                lists,
                filtering: None,
            },
            panes: Panes {
                detail: Vec::new(),
                detail_scroll: 0,
                perm_rows: Vec::new(),
                perm_selected: 0,
                perm_filter: String::new(),
                expanded: BTreeSet::new(),
                animation: None,
                session_changes: Vec::new(),
                show_denied: false,
                denied: BTreeMap::new(),
            },
            session: SessionState {
                clock: SimClock::new(now),
                context,
                stack,
            },
            timeline: Timeline {
                log: Vec::new(),
                log_scroll: 0,
                status: None,
                real_ms: 0,
            },
            overlay: None,
            mouse: false,
            presenter: false,
            quit: false,
            tours: Vec::new(),
            tour: None,
            last_answer: None,
            last_error: None,
            what_if: Vec::new(),
            compare_mark: None,
            compute: Compute::Inline,
            pending: None,
        };
        if app.browser.lists[0].entities.is_empty() {
            app.browser.tab = Tab::Roles;
        }
        let summary = format!(
            "workspace {} loaded: {} account{}, {} users, {} roles",
            app.workspace.name,
            app.workspace.accounts.len(),
            if app.workspace.accounts.len() == 1 {
                ""
            } else {
                "s"
            },
            app.browser.lists[0].entities.len(),
            app.browser.lists[2].entities.len()
        );
        app.log(summary);
        app.refresh(Dirty::SELECTION);
        app
    }

    /// The same UI with the problems found loading the workspace, each
    /// user, group and role marked with those in what it rests on.
    pub fn with_problems(mut self, problems: Arc<ProblemReport>) -> App {
        if !problems.is_empty() {
            for (tab, list) in Tab::ALL.into_iter().zip(self.browser.lists.iter_mut()) {
                let marks: Vec<ProblemCounts> = list
                    .entities
                    .iter()
                    .map(|e| problems.counts(&entity_footprint(&self.workspace, tab, *e)))
                    .collect();
                // A list where nothing is touched keeps its layout.
                if marks.iter().any(|m| !m.is_empty()) {
                    list.marks = marks;
                }
            }
        }
        self.problems = problems;
        self.refresh(Dirty::DETAIL);
        self
    }

    /// The problems in what the selection rests on.
    pub fn selection_problems(&self) -> ProblemCounts {
        let list = self.current_list();
        list.list
            .selected()
            .and_then(|i| list.marks.get(i))
            .copied()
            .unwrap_or_default()
    }

    /// The same UI computing the slow answers where `compute` says (the
    /// terminal: on its worker thread).
    pub fn with_compute(mut self, compute: Compute) -> App {
        self.compute = compute;
        self
    }

    /// The same UI with the workspace's guided tours.
    pub fn with_tours(mut self, tours: Vec<Tour>) -> App {
        self.tours = tours;
        self
    }

    pub fn now(&self) -> i64 {
        self.session.clock.now()
    }

    pub fn log(&mut self, text: String) {
        if self.timeline.log.len() >= LOG_KEPT {
            self.timeline
                .log
                .drain(..self.timeline.log.len() + 1 - LOG_KEPT);
        }
        self.timeline.log.push(LogEntry {
            at: self.now(),
            text,
        });
    }

    pub fn current_list(&self) -> &EntityList {
        &self.browser.lists[self.browser.tab.index()]
    }

    pub fn current_list_mut(&mut self) -> &mut EntityList {
        &mut self.browser.lists[self.browser.tab.index()]
    }

    pub fn selected_entity(&self) -> Option<EntityRef> {
        let list = self.current_list();
        list.list
            .selected()
            .and_then(|i| list.entities.get(i))
            .copied()
    }

    pub fn selection(&self) -> Option<Selection> {
        self.selected_entity().map(|entity| Selection {
            tab: self.browser.tab,
            entity,
        })
    }

    /// The name of the selected row.
    pub fn selected_name(&self) -> Option<&str> {
        let list = &self.current_list().list;
        list.selected().map(|i| list.label(i))
    }

    pub fn in_session(&self) -> bool {
        !self.session.stack.sessions().is_empty()
    }

    /// The principal the selection stands for: a user, a session of a role,
    /// or for a group a member holding only the group's policies.
    pub fn selected_principal(&self) -> Option<Principal> {
        self.principal_of(self.selection()?)
    }

    /// The principal a selection stands for (see [`App::selected_principal`]).
    pub fn principal_of(&self, selection: Selection) -> Option<Principal> {
        let entity = selection.entity;
        let account = self.workspace.accounts.get(entity.account)?;
        Some(match selection.tab {
            Tab::Users => {
                Principal::user(&self.workspace, account, account.users.get(entity.index)?)
            }
            Tab::Roles => Principal::role_session(
                &self.workspace,
                account,
                account.roles.get(entity.index)?,
                crate::eval::principal::DEFAULT_SESSION_NAME,
                None,
            ),
            Tab::Groups => Principal::group_preview(
                &self.workspace,
                account,
                account.groups.get(entity.index)?,
            ),
        })
    }

    /// Recomputes what `dirty` says changed, in one place: the acting
    /// identity outside a session (the selection), the detail pane, the
    /// permissions pane's rows.
    /// The diff the permissions pane marks: the gains (`+`) of the running
    /// animation, else of the session in force, and the losses animated.
    pub fn perm_diff(&self) -> (Option<&BTreeSet<String>>, &[EffectiveAction]) {
        let gained = self.panes.animation.as_ref().map(|a| &a.gained).or(self
            .panes
            .session_changes
            .last()
            .map(|c| &c.gained));
        let lost = self.panes.animation.as_ref().map_or(&[][..], |a| &a.lost);
        (gained, lost)
    }

    pub fn refresh(&mut self, dirty: Dirty) {
        // What an earlier refresh left waiting: kept unless this one changes it.
        let previous = self.pending.take();
        let mut acting = previous.as_ref().and_then(|p| p.job.acting.clone());
        let mut changed = dirty.detail;
        if dirty.selection {
            self.panes.detail_scroll = 0;
            if !self.in_session() {
                if let Some(principal) = self.selected_principal() {
                    // The identity shown: the one waited for, else the stack's.
                    let shown = acting.as_ref().unwrap_or_else(|| self.session.stack.base());
                    let group = self.browser.tab == Tab::Groups;
                    if principal.arn != shown.arn || group {
                        match self.compute {
                            Compute::Inline => {
                                acting = None;
                                self.session.stack = SessionStack::new(
                                    &self.workspace,
                                    principal,
                                    self.session.context.clone(),
                                    self.now(),
                                );
                            }
                            // Back to the identity the stack holds: nothing to wait for.
                            Compute::Worker
                                if !group && principal.arn == self.session.stack.base().arn =>
                            {
                                acting = None;
                            }
                            Compute::Worker => acting = Some(principal),
                        }
                        changed = true;
                        self.panes.animation = None;
                        self.panes.perm_selected = 0;
                    }
                }
            }
        }
        let mut escalation = previous.as_ref().and_then(|p| p.job.escalation.clone());
        if dirty.detail {
            self.panes.detail = detail::build(&DetailInput {
                workspace: &self.workspace,
                selection: self.selection(),
                context: &self.session.context,
                now: self.now(),
                session: self.in_session().then(|| self.session.stack.chain_label()),
                problems: self.selection_problems(),
                escalation_inline: self.compute == Compute::Inline,
            });
            let last = self.panes.detail.len().saturating_sub(1) as u16;
            self.panes.detail_scroll = self.panes.detail_scroll.min(last);
            escalation = self.panes.detail.iter().find_map(|l| match &l.kind {
                LineKind::EscalationPending(arn) => Some(arn.clone()),
                _ => None,
            });
        }
        if dirty.detail {
            // The acting identity, its sessions or the context changed.
            self.panes.denied.clear();
        }
        if !changed {
            self.pending = previous;
        } else if acting.is_some() || escalation.is_some() {
            self.pending = Some(Pending {
                job: Job {
                    generation: next_generation(),
                    workspace: self.workspace.clone(),
                    context: self.session.context.clone(),
                    now: self.now(),
                    acting,
                    escalation,
                },
                sent: false,
            });
        }
        if self.permissions_pending() {
            // Rows of the identity selected before would be wrong.
            self.panes.perm_rows.clear();
            self.panes.perm_selected = 0;
        } else if dirty.permissions {
            if self.panes.show_denied {
                self.compute_denials();
            }
            let (gained, lost) = self.perm_diff();
            self.panes.perm_rows = permissions::rows(&PermInput {
                permissions: self.session.stack.permissions(),
                gained,
                lost,
                filter: &self.panes.perm_filter,
                expanded: &self.panes.expanded,
                denied: self.panes.show_denied.then_some(&self.panes.denied),
            });
            self.panes.perm_selected = self
                .panes
                .perm_selected
                .min(self.panes.perm_rows.len().saturating_sub(1));
        }
    }

    /// The identity the permissions pane is for: the one waited for, else
    /// the base of the session stack.
    pub fn acting_base(&self) -> &Principal {
        self.pending
            .as_ref()
            .and_then(|p| p.job.acting.as_ref())
            .unwrap_or_else(|| self.session.stack.base())
    }

    /// Who acts, for the header: `alice → ProdDeploy`.
    pub fn acting_label(&self) -> String {
        match self.pending.as_ref().and_then(|p| p.job.acting.as_ref()) {
            Some(principal) => principal.display_name.clone(),
            None => self.session.stack.chain_label(),
        }
    }

    /// Whether the permissions pane waits for the worker.
    pub fn permissions_pending(&self) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|p| p.job.acting.is_some())
    }

    /// The job for the worker, once: `None` when nothing is waited for or
    /// the job is already handed over.
    pub fn take_job(&mut self) -> Option<Job> {
        let pending = self.pending.as_mut().filter(|p| !p.sent)?;
        pending.sent = true;
        Some(pending.job.clone())
    }

    /// Computes what is waited for here and now: before an action that
    /// reads it (starting a session, a why, the picker...).
    pub fn settle(&mut self) {
        if let Some(computed) = self.pending.as_ref().map(|p| p.job.run()) {
            self.apply_computed(computed);
        }
    }

    /// Puts a worker's answer on screen, unless the screen has moved on
    /// (another selection, context or session since): then it is dropped.
    /// Returns whether it was used.
    pub fn apply_computed(&mut self, computed: Computed) -> bool {
        let current = self.pending.as_ref().map(|p| p.job.generation);
        if current != Some(computed.generation) {
            return false;
        }
        self.pending = None;
        if let Some((arn, line)) = computed.escalation {
            let waiting = self
                .panes
                .detail
                .iter_mut()
                .find(|l| matches!(&l.kind, LineKind::EscalationPending(a) if *a == arn));
            if let Some(waiting) = waiting {
                *waiting = line;
            }
        }
        if let Some(stack) = computed.stack {
            self.session.stack = stack;
            self.refresh(Dirty::PERMISSIONS);
        }
        true
    }

    /// Evaluates the denied actions of the services about to be shown open
    /// that are not known yet: one decision per action, by the engine.
    fn compute_denials(&mut self) {
        let needed = permissions::services_needing_denials(&PermInput {
            permissions: self.session.stack.permissions(),
            gained: None,
            lost: &[],
            filter: "",
            expanded: &self.panes.expanded,
            denied: None,
        });
        for prefix in needed {
            if self.panes.denied.contains_key(&prefix) {
                continue;
            }
            let denied = self.denials_of(&prefix);
            self.panes.denied.insert(prefix, denied);
        }
    }

    /// The actions of service `prefix` the acting identity is denied on
    /// any resource (`*`), each with the layer that decided.
    fn denials_of(&self, prefix: &str) -> Vec<DeniedAction> {
        let catalog = crate::catalog::Catalog::get();
        let Some(service) = catalog.service(prefix) else {
            return Vec::new();
        };
        let allowed = &self.session.stack.permissions().set;
        let acting = self.session.stack.acting();
        service
            .actions
            .clone()
            .filter(|id| !allowed.contains(*id))
            .filter_map(|id| {
                let info = catalog.action(id);
                let decision = crate::eval::evaluate(
                    &self.workspace,
                    acting,
                    &crate::eval::Request {
                        action: info.full_name.clone(),
                        resource: "*".to_string(),
                        context: self.session.context.clone(),
                        now_epoch: self.now(),
                    },
                );
                (decision.decision != Outcome::Allow).then(|| DeniedAction {
                    id,
                    action: info.full_name.clone(),
                    access: info.access,
                    by: permissions::denial_label(&decision),
                    outcome: decision.decision,
                })
            })
            .collect()
    }

    /// `+N -M` of the animation, or of the session in force.
    pub fn change_counts(&self) -> Option<(usize, usize)> {
        match (&self.panes.animation, self.panes.session_changes.last()) {
            (Some(a), _) => Some((a.gained.len(), a.lost.len())),
            (None, Some(c)) => Some((c.gained.len(), c.lost)),
            (None, None) => None,
        }
    }

    /// Records a session event: the log line and the animation.
    pub fn on_session_event(&mut self, event: &SessionEvent) {
        let verb = match event.kind {
            EventKind::Started => format!("{} assumed {}", event.before, event.role_name),
            EventKind::Ended => format!(
                "{} ended the session; acting as {}",
                event.before, event.after
            ),
            EventKind::Expired => format!("{} expired; acting as {}", event.before, event.after),
        };
        if self.timeline.log.len() >= LOG_KEPT {
            self.timeline
                .log
                .drain(..self.timeline.log.len() + 1 - LOG_KEPT);
        }
        self.timeline.log.push(LogEntry {
            at: event.at,
            text: format!(
                "{verb}  +{} -{}",
                event.diff.gained.len(),
                event.diff.lost.len()
            ),
        });
        self.timeline.log_scroll = 0;
        let gained: BTreeSet<String> = event.diff.gained.iter().map(|a| a.action.clone()).collect();
        // A session's diff stays while it lasts (a chained session's, then
        // again its parent's once it ends); an end or an expiry shows only
        // its animation.
        match event.kind {
            EventKind::Started => self.panes.session_changes.push(SessionChange {
                gained,
                lost: event.diff.lost.len(),
            }),
            EventKind::Ended | EventKind::Expired => {
                self.panes.session_changes.pop();
            }
        }
        self.show_diff(Some(event.kind), &event.diff);
    }

    /// Animates a change of the acting identity's permissions, as a session
    /// start does: the services touched open, gains `+`, losses `-` struck
    /// through until the animation ends, the selection on the first change.
    pub fn show_diff(
        &mut self,
        kind: Option<EventKind>,
        diff: &crate::eval::effective::PermissionDiff,
    ) {
        self.panes.expanded.extend(services_to_open(diff));
        self.panes.animation = Some(Animation {
            started_ms: self.timeline.real_ms,
            kind,
            gained: diff.gained.iter().map(|a| a.action.clone()).collect(),
            lost: diff.lost.clone(),
        });
        self.refresh(Dirty::DETAIL);
        // Put the selection on the first change, so `w` and Enter work on it.
        self.panes.perm_selected = self
            .panes
            .perm_rows
            .iter()
            .position(|r| matches!(r, PermRow::Action { change, .. } if *change != Change::Same))
            .or_else(|| {
                self.panes
                    .perm_rows
                    .iter()
                    .position(|r| matches!(r, PermRow::Action { .. }))
            })
            .unwrap_or(0);
    }

    /// The acting identity outside a session, resolved again from the
    /// workspace (after a what-if change of it).
    pub fn rebuild_acting(&mut self) {
        if let Some(principal) = self.selected_principal() {
            self.session.stack = SessionStack::new(
                &self.workspace,
                principal,
                self.session.context.clone(),
                self.now(),
            );
        }
    }

    /// Shows a footer message for a few seconds.
    pub fn flash(&mut self, text: impl Into<String>) {
        self.timeline.status = Some(Status {
            text: text.into(),
            until_ms: self.timeline.real_ms + 3000,
        });
    }

    /// True while something on screen changes by itself.
    pub fn is_animating(&self) -> bool {
        self.panes.animation.is_some() || self.timeline.status.is_some()
    }
}

/// Changed actions a diff opens services for: a session that changes
/// thousands of actions (a role with `"Action": "*"`) would open every
/// service it touches, tens of thousands of rows no one reads and a frame too
/// slow to follow a keypress; beyond this the services stay closed, their
/// rows still counting `+N -M`, and Enter opens one.
const OPENED_CHANGES: usize = 400;

/// The services a diff opens, in the pane's order (by prefix): each touched
/// service while the changes they hold stay within [`OPENED_CHANGES`], and
/// the first one always.
fn services_to_open(diff: &crate::eval::effective::PermissionDiff) -> Vec<String> {
    let mut changes: BTreeMap<&str, usize> = BTreeMap::new();
    for action in diff.gained.iter().chain(&diff.lost) {
        *changes.entry(action.service.as_str()).or_default() += 1;
    }
    let mut shown = 0;
    let mut open = Vec::new();
    for (service, count) in changes {
        if !open.is_empty() && shown + count > OPENED_CHANGES {
            break;
        }
        shown += count;
        open.push(service.to_string());
    }
    open
}

fn build_lists(workspace: &Workspace) -> [EntityList; 3] {
    let several = workspace.accounts.len() > 1;
    let account_note = |account: &crate::model::Account| {
        if several {
            account_label(workspace, &account.id)
        } else {
            String::new()
        }
    };
    let mut users = EntityList::default();
    let mut groups = EntityList::default();
    let mut roles = EntityList::default();
    let mut labels = [Vec::new(), Vec::new(), Vec::new()];
    for (a, account) in workspace.accounts.iter().enumerate() {
        for (i, user) in account.users.iter().enumerate() {
            users.entities.push(EntityRef {
                account: a,
                index: i,
            });
            let groups = if user.groups.is_empty() {
                "—".to_string()
            } else {
                user.groups.join(", ")
            };
            users.notes.push(groups);
            labels[0].push(crate::text::clean(&user.name).into_owned());
        }
        for (i, group) in account.groups.iter().enumerate() {
            groups.entities.push(EntityRef {
                account: a,
                index: i,
            });
            let members = account
                .users
                .iter()
                .filter(|u| u.groups.contains(&group.name))
                .count();
            groups.notes.push(format!(
                "{members} member{}",
                if members == 1 { "" } else { "s" }
            ));
            labels[1].push(crate::text::clean(&group.name).into_owned());
        }
        for (i, role) in account.roles.iter().enumerate() {
            roles.entities.push(EntityRef {
                account: a,
                index: i,
            });
            roles.notes.push(account_note(account));
            labels[2].push(crate::text::clean(&role.name).into_owned());
        }
    }
    let [u, g, r] = labels;
    users.list = FilterList::new(u);
    groups.list = FilterList::new(g);
    roles.list = FilterList::new(r);
    [users, groups, roles]
}

/// What a decision about an entity of the lists reads: a user's or a role
/// session's footprint; for a group, the group and its policies.
pub fn entity_footprint(workspace: &Workspace, tab: Tab, entity: EntityRef) -> Footprint {
    let Some(account) = workspace.accounts.get(entity.account) else {
        return Footprint::default();
    };
    let principal = match tab {
        Tab::Users => account
            .users
            .get(entity.index)
            .map(|u| Principal::user(workspace, account, u)),
        Tab::Roles => account.roles.get(entity.index).map(|r| {
            Principal::role_session(
                workspace,
                account,
                r,
                crate::eval::principal::DEFAULT_SESSION_NAME,
                None,
            )
        }),
        Tab::Groups => {
            let Some(group) = account.groups.get(entity.index) else {
                return Footprint::default();
            };
            let mut footprint = principal_footprint(
                workspace,
                &Principal::group_preview(workspace, account, group),
            );
            footprint.add_place(&group.place);
            return footprint;
        }
    };
    principal.map_or_else(Footprint::default, |p| principal_footprint(workspace, &p))
}

/// The first user, or the first role's session, or the root of the first account.
fn first_principal(workspace: &Workspace) -> Principal {
    for account in &workspace.accounts {
        if let Some(user) = account.users.first() {
            return Principal::user(workspace, account, user);
        }
    }
    for account in &workspace.accounts {
        if let Some(role) = account.roles.first() {
            return Principal::role_session(
                workspace,
                account,
                role,
                crate::eval::principal::DEFAULT_SESSION_NAME,
                None,
            );
        }
    }
    Principal::root(
        workspace
            .accounts
            .first()
            .map_or("000000000000", |a| a.id.as_str()),
    )
}
