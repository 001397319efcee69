//! A demo prepared before the workshop: the selection, the request
//! context, the role sessions, the clock and the tour's step, saved to a
//! JSON file (`S`) and re-established at start (`--restore FILE`) through
//! the same actions a user sends, never by writing the state directly.

use serde::{Deserialize, Serialize};

use super::action::{Action, ClockAction, TourAction};
use super::app::App;
use super::selection::Tab;
use crate::policy::RequestContext;
use crate::sts::clock::SPEEDS;

/// The file's version; another is refused with a message.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoState {
    pub version: u32,
    /// The workspace's name and account ids: a file saved on another
    /// workspace is refused.
    pub workspace: String,
    pub accounts: Vec<String>,
    pub clock: Clock,
    #[serde(default)]
    pub selection: Option<Selected>,
    /// Each key with its values, in the order they were set.
    #[serde(default)]
    pub context: Vec<(String, Vec<String>)>,
    /// The role sessions in force, oldest first.
    #[serde(default)]
    pub sessions: Vec<SavedSession>,
    #[serde(default)]
    pub tour: Option<TourPosition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Simulated seconds since the epoch.
    pub now: i64,
    pub speed: u32,
    pub paused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selected {
    /// `users`, `groups` or `roles`.
    pub tab: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    pub role_arn: String,
    pub duration: u32,
    pub started_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TourPosition {
    pub title: String,
    /// Steps done (the step shown is this one, counted from 1).
    pub step: usize,
}

fn tab_word(tab: Tab) -> &'static str {
    match tab {
        Tab::Users => "users",
        Tab::Groups => "groups",
        Tab::Roles => "roles",
    }
}

fn tab_of(word: &str) -> Option<Tab> {
    Tab::ALL.into_iter().find(|t| tab_word(*t) == word)
}

/// What is on screen now, to be saved.
pub fn capture(app: &App) -> DemoState {
    let clock = &app.session.clock;
    DemoState {
        version: VERSION,
        workspace: app.workspace.name.clone(),
        accounts: app
            .workspace
            .accounts
            .iter()
            .map(|a| a.id.clone())
            .collect(),
        clock: Clock {
            now: app.now(),
            speed: clock.speed(),
            paused: clock.is_paused(),
        },
        selection: app.selected_name().map(|name| Selected {
            tab: tab_word(app.browser.tab).to_string(),
            name: name.to_string(),
        }),
        context: app
            .session
            .context
            .entries()
            .map(|e| (e.key.clone(), e.values.clone()))
            .collect(),
        sessions: app
            .session
            .stack
            .sessions()
            .iter()
            .map(|s| SavedSession {
                role_arn: s.role_arn.clone(),
                duration: s.duration,
                started_at: s.started_at,
            })
            .collect(),
        tour: app.tour.as_ref().map(|t| TourPosition {
            title: t.tour.title.clone(),
            step: t.done,
        }),
    }
}

/// The actions that re-establish `state` on a UI just opened, or why the
/// file does not fit this workspace. A tour's position is replayed by the
/// tour itself (its steps set the selection, context and sessions); without
/// a tour: the clock at the first session's start, the selection, the
/// context, each session started at its time, then the clock, its speed and
/// pause as saved.
pub fn plan(state: &DemoState, app: &App) -> Result<Vec<Action>, String> {
    if state.version != VERSION {
        return Err(format!(
            "a demo state of version {} (this iamscope reads {VERSION})",
            state.version
        ));
    }
    let accounts: Vec<&str> = app
        .workspace
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    if state.workspace != app.workspace.name || state.accounts != accounts {
        return Err(format!(
            "it was saved on the workspace \"{}\" (accounts {}), not this one (\"{}\", accounts {})",
            state.workspace,
            state.accounts.join(", "),
            app.workspace.name,
            accounts.join(", ")
        ));
    }
    let mut actions = Vec::new();
    let set_clock = |at: i64| Action::Clock(ClockAction::At(at));
    if let Some(tour) = &state.tour {
        let index = app
            .tours
            .iter()
            .position(|t| t.title == tour.title)
            .ok_or_else(|| format!("the tour \"{}\" is not in this workspace", tour.title))?;
        actions.push(set_clock(state.clock.now));
        actions.push(Action::Tour(TourAction::Start(index)));
        for _ in 1..tour.step {
            actions.push(Action::Tour(TourAction::Next));
        }
    } else {
        let first = state
            .sessions
            .first()
            .map_or(state.clock.now, |s| s.started_at);
        actions.push(set_clock(first));
        if let Some(selected) = &state.selection {
            let tab = tab_of(&selected.tab)
                .ok_or_else(|| format!("\"{}\" is not users, groups or roles", selected.tab))?;
            actions.push(Action::Select {
                tab,
                name: selected.name.clone(),
            });
        }
        let mut context = RequestContext::new();
        for (key, values) in &state.context {
            context.set(key, values.iter().cloned());
        }
        if !context.is_empty() {
            actions.push(Action::SetContext(context));
        }
        // Each session starts at its time; from the first on, the clock
        // only moves forward (it cannot be set under a running session).
        let mut at = first;
        for session in &state.sessions {
            actions.push(Action::Clock(ClockAction::Skip(session.started_at - at)));
            at = at.max(session.started_at);
            actions.push(Action::StartSession {
                role_arn: session.role_arn.clone(),
                duration: Some(session.duration),
            });
        }
        actions.push(Action::Clock(ClockAction::Skip(state.clock.now - at)));
    }
    let speed = SPEEDS
        .iter()
        .position(|s| *s == state.clock.speed)
        .unwrap_or(0);
    actions.extend((0..speed).map(|_| Action::Clock(ClockAction::Faster)));
    if state.clock.paused {
        actions.push(Action::Clock(ClockAction::Pause));
    }
    Ok(actions)
}

/// The file's text.
pub fn to_json(state: &DemoState) -> String {
    serde_json::to_string_pretty(state).unwrap_or_default() + "\n"
}

/// Reads a saved file's text, or says in one line why it cannot.
pub fn from_json(text: &str) -> Result<DemoState, String> {
    serde_json::from_str(text).map_err(|e| format!("not a demo state file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_reads_back_and_a_bad_file_is_one_line() {
        let state = DemoState {
            version: VERSION,
            workspace: "workshop".into(),
            accounts: vec!["111111111111".into()],
            clock: Clock {
                now: 1_767_260_400,
                speed: 60,
                paused: true,
            },
            selection: Some(Selected {
                tab: "users".into(),
                name: "carol".into(),
            }),
            context: vec![("aws:MultiFactorAuthPresent".into(), vec!["true".into()])],
            sessions: vec![SavedSession {
                role_arn: "arn:aws:iam::111111111111:role/EC2Terminator".into(),
                duration: 3600,
                started_at: 1_767_260_000,
            }],
            tour: None,
        };
        assert_eq!(from_json(&to_json(&state)), Ok(state));
        let error = from_json("{\"version\": 1}").expect_err("incomplete");
        assert!(
            error.starts_with("not a demo state file: missing field"),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }
}
