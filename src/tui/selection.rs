//! Where the user is: the tab, the focused pane, and what a list row stands
//! for. Plain data that the state, the actions and the views all name.

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

    /// "user", "group", "role".
    pub fn noun(self) -> &'static str {
        match self {
            Tab::Users => "user",
            Tab::Groups => "group",
            Tab::Roles => "role",
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

/// What the list has selected: which kind, and which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub tab: Tab,
    pub entity: EntityRef,
}
