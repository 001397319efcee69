//! The command palette (`:`, as in k9s): one fuzzy search over everything a
//! trainer may want to show — users, groups, roles, managed policies,
//! catalog actions and the workspace's resource ARNs — and Enter goes there.
//! Unlike the lists' filter, matches are ranked best first: among thousands
//! of actions the one typed must come on top.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::action::{Action, FilterEdit, Move, Who};
use crate::model::Workspace;
use crate::workspace::subjects::Subject;

/// What an entry is, shown in its first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    User,
    Group,
    Role,
    Policy,
    Resource,
    Action,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
            Kind::Policy => "policy",
            Kind::Resource => "resource",
            Kind::Action => "action",
        }
    }
}

/// One thing the palette can go to.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    /// What is matched and shown: a name, an action, an ARN.
    pub label: String,
    /// A second column: the account, the ARN, the service.
    pub note: String,
    /// What Enter sends.
    pub go: Action,
}

/// One row of the matches: the entry and the matched characters (char
/// positions, as fuzzy-matcher gives them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub matched: Vec<usize>,
}

/// How many matches are kept (the best ones).
pub const HITS_KEPT: usize = 200;

#[derive(Debug, Clone)]
pub struct Palette {
    pub entries: std::sync::Arc<Vec<Entry>>,
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

/// The workspace's own users, groups, roles, policies and resources count
/// double against the catalog's thousands of actions: "ec2term" is the
/// role EC2Terminator before ec2:TerminateInstances.
fn weigh(kind: Kind, score: i64) -> i64 {
    match kind {
        Kind::Action => score,
        _ => score.saturating_mul(2),
    }
}

impl Palette {
    pub fn new(entries: Vec<Entry>) -> Palette {
        let mut palette = Palette {
            entries: std::sync::Arc::new(entries),
            query: String::new(),
            hits: Vec::new(),
            selected: 0,
        };
        palette.refresh();
        palette
    }

    /// Ranks the entries against the query: best score first, then users,
    /// groups, roles, policies, resources, actions, then the shorter label.
    /// Without a query: every entry but the actions, in that order.
    fn refresh(&mut self) {
        self.selected = 0;
        if self.query.is_empty() {
            self.hits = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind != Kind::Action)
                .take(HITS_KEPT)
                .map(|(entry, _)| Hit {
                    entry,
                    matched: Vec::new(),
                })
                .collect();
            return;
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                matcher
                    .fuzzy_match(&e.label, &self.query)
                    .map(|s| (weigh(e.kind, s), i))
            })
            .collect();
        let entries = &self.entries;
        scored.sort_by(|a, b| {
            let (ea, eb) = (&entries[a.1], &entries[b.1]);
            b.0.cmp(&a.0)
                .then(ea.kind.cmp(&eb.kind))
                .then(ea.label.len().cmp(&eb.label.len()))
                .then(ea.label.cmp(&eb.label))
        });
        self.hits = scored
            .into_iter()
            .take(HITS_KEPT)
            .map(|(_, entry)| Hit {
                entry,
                matched: matcher
                    .fuzzy_indices(&entries[entry].label, &self.query)
                    .map(|(_, m)| m)
                    .unwrap_or_default(),
            })
            .collect();
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.hits
            .get(self.selected)
            .and_then(|h| self.entries.get(h.entry))
    }

    /// Edits the query and ranks the entries again.
    pub fn edit(&mut self, edit: &FilterEdit) {
        match edit {
            FilterEdit::Push(c) => self.query.push(*c),
            FilterEdit::Pop => {
                self.query.pop();
            }
            FilterEdit::Set(text) => self.query = text.clone(),
            FilterEdit::Clear | FilterEdit::Keep | FilterEdit::Open => {}
        }
        self.refresh();
    }

    /// Moves the selection among the matches.
    pub fn move_to(&mut self, m: Move) {
        let last = self.hits.len().saturating_sub(1);
        self.selected = match m {
            Move::By(d) => (self.selected as isize)
                .saturating_add(d)
                .clamp(0, last as isize) as usize,
            Move::First => 0,
            Move::Last => last,
        };
    }
}

/// Everything the palette offers in `workspace`, each with where Enter goes:
/// a user, group or role is selected; a managed policy opens in the viewer
/// (its first holder selected); an action opens its why for the acting
/// identity on `*`; a resource opens its resource policy, or says who owns
/// it when the workspace has none.
pub fn entries(workspace: &Workspace) -> Vec<Entry> {
    let mut out = Vec::new();
    let several = workspace.accounts.len() > 1;
    for account in &workspace.accounts {
        let note = if several {
            crate::tui::views::account_label(workspace, &account.id)
        } else {
            String::new()
        };
        let subject = |kind: Kind, name: &str| -> Action {
            let (account, name) = (account.id.clone(), name.to_string());
            Action::GoTo(match kind {
                Kind::User => Subject::User { account, name },
                Kind::Group => Subject::Group { account, name },
                _ => Subject::Role { account, name },
            })
        };
        for user in &account.users {
            out.push(Entry {
                kind: Kind::User,
                label: user.name.clone(),
                note: note.clone(),
                go: subject(Kind::User, &user.name),
            });
        }
        for group in &account.groups {
            out.push(Entry {
                kind: Kind::Group,
                label: group.name.clone(),
                note: note.clone(),
                go: subject(Kind::Group, &group.name),
            });
        }
        for role in &account.roles {
            out.push(Entry {
                kind: Kind::Role,
                label: role.name.clone(),
                note: note.clone(),
                go: subject(Kind::Role, &role.name),
            });
        }
        for policy in account.policies.values() {
            out.push(Entry {
                kind: Kind::Policy,
                label: policy.name.clone(),
                note: policy.arn.clone(),
                go: Action::GoTo(Subject::ManagedPolicy {
                    account: account.id.clone(),
                    arn: policy.arn.clone(),
                }),
            });
        }
    }
    let mut resources: Vec<(String, String)> = workspace
        .resource_policies
        .iter()
        .map(|r| (r.arn.clone(), "resource policy".to_string()))
        .chain(workspace.resource_owners.iter().map(|o| {
            (
                o.arn.clone(),
                format!(
                    "owned by {}",
                    crate::tui::views::account_label(workspace, &o.account)
                ),
            )
        }))
        .collect();
    resources.sort();
    resources.dedup_by(|a, b| a.0 == b.0);
    for (arn, note) in resources {
        out.push(Entry {
            kind: Kind::Resource,
            go: Action::OpenResource(arn.clone()),
            label: arn,
            note,
        });
    }
    for action in crate::catalog::Catalog::get().actions() {
        out.push(Entry {
            kind: Kind::Action,
            label: action.full_name.clone(),
            note: String::new(),
            go: Action::Explain {
                action: action.full_name.clone(),
                resource: "*".to_string(),
                who: Who::Acting,
            },
        });
    }
    out
}
