//! What the panes show, computed from the engine when inputs change: plain
//! data that the render functions draw. Each view takes what it reads (the
//! workspace, the selection, the context, the time), never the whole app.

pub mod compare;
pub mod detail;
pub mod export;
pub mod permissions;
pub mod policy;
pub mod what_if;

use crate::model::Workspace;

/// `dev 111111111111` when the organization names the account, else the id.
pub fn account_label(workspace: &Workspace, id: &str) -> String {
    workspace
        .organization
        .as_ref()
        .and_then(|o| o.accounts.iter().find(|a| a.id == id))
        .map(|a| format!("{} {}", a.name, id))
        .unwrap_or_else(|| id.to_string())
}
