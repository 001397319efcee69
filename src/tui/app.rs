//! All state of the terminal UI. Only `update` changes it; render only reads.
//! Everything expensive (evaluation, effective permissions, diffs, filters)
//! is computed here when its inputs change, never while drawing.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::filter_list::FilterList;
use super::theme::Theme;
use super::views::detail::{self, DetailLine};
use super::views::permissions::{self, PermRow};
use crate::eval::effective::EffectiveAction;
use crate::eval::{Decision, Principal};
use crate::model::Workspace;
use crate::policy::RequestContext;
use crate::sts::{EventKind, SessionEvent, SessionStack, SimClock};

/// How many lines the event log keeps.
pub const LOG_KEPT: usize = 500;

/// How long gains and losses stay highlighted, in real milliseconds.
pub const ANIMATION_MS: i64 = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Users,
    Groups,
    Roles,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Users, Tab::Groups, Tab::Roles];

    pub fn index(self) -> usize {
        match self {
            Tab::Users => 0,
            Tab::Groups => 1,
            Tab::Roles => 2,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Users => "Users",
            Tab::Groups => "Groups",
            Tab::Roles => "Roles",
        }
    }
}

/// The panes `Tab` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Detail,
    Permissions,
    Events,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::List, Pane::Detail, Pane::Permissions, Pane::Events];
}

/// A user, group or role: account index and index in that account's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityRef {
    pub account: usize,
    pub index: usize,
}

/// The rows of one tab.
#[derive(Debug, Clone, Default)]
pub struct EntityList {
    pub entities: Vec<EntityRef>,
    /// A second column: groups of a user, member count, account...
    pub notes: Vec<String>,
    pub list: FilterList,
}

/// The gains and losses being shown after a session event.
#[derive(Debug, Clone)]
pub struct Animation {
    pub started_ms: i64,
    pub kind: EventKind,
    pub gained: BTreeSet<String>,
    /// Lost actions stay on screen, struck through, until the animation ends.
    pub lost: Vec<EffectiveAction>,
}

/// A transient line in the footer ("copied ARN").
#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub until_ms: i64,
}

/// One line of the event log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub at: i64,
    pub text: String,
}

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
    /// Index into [`DURATIONS`]; `None` = the role's maximum.
    pub duration: usize,
}

/// Durations the picker offers, in seconds; 0 means "the role's maximum".
pub const DURATIONS: [u32; 4] = [3600, 900, 7200, 0];

#[derive(Debug, Clone)]
pub struct WhyView {
    pub decision: Decision,
    pub scroll: u16,
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

#[derive(Debug, Clone)]
pub enum Overlay {
    /// The help, scrolled by this many lines.
    Help(u16),
    Picker(Picker),
    Why(WhyView),
    Policy(PolicyView),
    Context(ContextForm),
    /// A notice: one paragraph a line, wrapped, scrolled by `scroll` lines.
    Message {
        title: String,
        text: String,
        scroll: u16,
    },
    /// Choosing a guided tour.
    Tours(FilterList),
}

/// How many problems the notice over the first screen lists.
pub const NOTICE_PROBLEMS: usize = 8;

/// The notice over the first screen when the workspace loaded with errors:
/// its title and text, the first problems one a line, then how many more.
pub fn problems_notice(errors: &[String]) -> (String, String) {
    let count = errors.len();
    let mut text = format!(
        "The workspace has {count} error{}; what could not be read is left out, so answers may be wrong. \
         `iamscope validate` lists every problem.\n\n",
        if count == 1 { "" } else { "s" }
    );
    for e in errors.iter().take(NOTICE_PROBLEMS) {
        text.push_str("• ");
        text.push_str(e);
        text.push('\n');
    }
    if count > NOTICE_PROBLEMS {
        text.push_str(&format!(
            "… and {} more: `iamscope validate` lists them all\n",
            count - NOTICE_PROBLEMS
        ));
    }
    ("Problems in the workspace".to_string(), text)
}

/// What is being typed into, when a filter is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterTarget {
    List,
    Permissions,
}

pub struct App {
    pub workspace: Arc<Workspace>,
    pub problems: (usize, usize),
    pub theme: Theme,
    pub size: (u16, u16),
    pub tab: Tab,
    pub focus: Pane,
    pub lists: [EntityList; 3],
    pub filtering: Option<FilterTarget>,
    pub overlay: Option<Overlay>,
    pub clock: SimClock,
    /// Real milliseconds since start, for animations.
    pub real_ms: i64,
    pub context: RequestContext,
    pub stack: SessionStack,
    pub detail: Vec<DetailLine>,
    pub detail_scroll: u16,
    pub perm_rows: Vec<PermRow>,
    pub perm_selected: usize,
    pub perm_filter: String,
    pub expanded: BTreeSet<String>,
    pub animation: Option<Animation>,
    pub log: Vec<LogEntry>,
    pub log_scroll: usize,
    pub status: Option<Status>,
    pub mouse: bool,
    pub quit: bool,
    /// The workspace's guided tours, and the one being shown.
    pub tours: Vec<crate::tour::Tour>,
    pub tour: Option<super::tour::TourState>,
}

impl App {
    /// A UI over `workspace`, with the clock at `now` (seconds since the epoch).
    pub fn new(workspace: Arc<Workspace>, problems: (usize, usize), now: i64, theme: Theme) -> App {
        let lists = build_lists(&workspace);
        let base = first_principal(&workspace);
        let context = RequestContext::new();
        let stack = SessionStack::new(&workspace, base, context.clone(), now);
        let mut app = App {
            workspace,
            problems,
            theme,
            size: (120, 34),
            tab: Tab::Users,
            focus: Pane::List,
            lists,
            filtering: None,
            overlay: None,
            clock: SimClock::new(now),
            real_ms: 0,
            context,
            stack,
            detail: Vec::new(),
            detail_scroll: 0,
            perm_rows: Vec::new(),
            perm_selected: 0,
            perm_filter: String::new(),
            expanded: BTreeSet::new(),
            animation: None,
            log: Vec::new(),
            log_scroll: 0,
            status: None,
            mouse: false,
            quit: false,
            tours: Vec::new(),
            tour: None,
        };
        if app.lists[0].entities.is_empty() {
            app.tab = Tab::Roles;
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
            app.lists[0].entities.len(),
            app.lists[2].entities.len()
        );
        app.log(summary);
        app.selection_changed();
        app
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn log(&mut self, text: String) {
        if self.log.len() >= LOG_KEPT {
            self.log.drain(..self.log.len() + 1 - LOG_KEPT);
        }
        self.log.push(LogEntry {
            at: self.now(),
            text,
        });
    }

    pub fn current_list(&self) -> &EntityList {
        &self.lists[self.tab.index()]
    }

    pub fn current_list_mut(&mut self) -> &mut EntityList {
        &mut self.lists[self.tab.index()]
    }

    pub fn selected_entity(&self) -> Option<EntityRef> {
        let list = self.current_list();
        list.list.selected().map(|i| list.entities[i])
    }

    pub fn in_session(&self) -> bool {
        !self.stack.sessions().is_empty()
    }

    /// The principal the selection stands for: a user, a session of a role,
    /// or for a group a member holding only the group's policies.
    pub fn selected_principal(&self) -> Option<Principal> {
        let entity = self.selected_entity()?;
        let account = self.workspace.accounts.get(entity.account)?;
        Some(match self.tab {
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

    /// Recomputes what depends on the selection: the detail pane, and when no
    /// session is active, the acting identity and its permissions.
    pub fn selection_changed(&mut self) {
        self.detail = detail::build(self);
        self.detail_scroll = 0;
        if !self.in_session() {
            if let Some(principal) = self.selected_principal() {
                if principal.arn != self.stack.base().arn || self.tab == Tab::Groups {
                    self.stack = SessionStack::new(
                        &self.workspace,
                        principal,
                        self.context.clone(),
                        self.now(),
                    );
                    self.animation = None;
                    self.perm_selected = 0;
                    self.refresh_permissions();
                }
            }
        }
        if self.perm_rows.is_empty() {
            self.refresh_permissions();
        }
    }

    /// Rebuilds the rows of the permissions pane.
    pub fn refresh_permissions(&mut self) {
        self.perm_rows = permissions::rows(self);
        self.perm_selected = self
            .perm_selected
            .min(self.perm_rows.len().saturating_sub(1));
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
        if self.log.len() >= LOG_KEPT {
            self.log.drain(..self.log.len() + 1 - LOG_KEPT);
        }
        self.log.push(LogEntry {
            at: event.at,
            text: format!(
                "{verb}  +{} -{}",
                event.diff.gained.len(),
                event.diff.lost.len()
            ),
        });
        self.log_scroll = 0;
        for action in event.diff.gained.iter().chain(&event.diff.lost) {
            self.expanded.insert(action.service.clone());
        }
        self.animation = Some(Animation {
            started_ms: self.real_ms,
            kind: event.kind,
            gained: event.diff.gained.iter().map(|a| a.action.clone()).collect(),
            lost: event.diff.lost.clone(),
        });
        self.detail = detail::build(self);
        self.refresh_permissions();
        // Put the selection on the first change, so `w` and Enter work on it.
        self.perm_selected = self
            .perm_rows
            .iter()
            .position(|r| matches!(r, PermRow::Action { change, .. } if *change != permissions::Change::Same))
            .or_else(|| self.perm_rows.iter().position(|r| matches!(r, PermRow::Action { .. })))
            .unwrap_or(0);
    }

    /// Shows a footer message for a few seconds.
    pub fn flash(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            until_ms: self.real_ms + 3000,
        });
    }

    /// True while something on screen changes by itself.
    pub fn is_animating(&self) -> bool {
        self.animation.is_some() || self.status.is_some()
    }
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

/// `dev 111111111111` when the organization names the account, else the id.
pub fn account_label(workspace: &Workspace, id: &str) -> String {
    workspace
        .organization
        .as_ref()
        .and_then(|o| o.accounts.iter().find(|a| a.id == id))
        .map(|a| format!("{} {}", a.name, id))
        .unwrap_or_else(|| id.to_string())
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
