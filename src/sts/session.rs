//! Sessions in time: a stack of role sessions over a base identity, the
//! events that start and end them, and for each event what the acting
//! identity gained and lost. The TUI and the CLI share it.

use serde::Serialize;

use super::assume::{assume_role, AssumeOutcome, AssumeRequest, Refusal, Session};
use crate::eval::effective::{diff, effective_permissions, EffectivePermissions, PermissionDiff};
use crate::eval::Principal;
use crate::model::Workspace;
use crate::policy::RequestContext;

/// What happened to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    Started,
    /// Ended by the user (`x`, or "Back to ..." in the console).
    Ended,
    /// Its credentials expired.
    Expired,
}

/// One event, with the permissions diff it caused.
#[derive(Debug, Clone, Serialize)]
pub struct SessionEvent {
    pub at: i64,
    pub kind: EventKind,
    pub session_arn: String,
    pub role_name: String,
    /// Who acted before and after the event.
    pub before: String,
    pub after: String,
    pub diff: PermissionDiff,
}

/// How many past events a stack keeps: a UI left running at 600x for a day
/// must not grow without bound.
pub const EVENTS_KEPT: usize = 500;

/// The base identity and the sessions stacked on it.
#[derive(Debug, Clone)]
pub struct SessionStack {
    base: Principal,
    sessions: Vec<Session>,
    /// Effective permissions of each level: base first, then each session.
    permissions: Vec<EffectivePermissions>,
    events: Vec<SessionEvent>,
    context: RequestContext,
}

impl SessionStack {
    /// Starts with `base` acting on its own credentials.
    pub fn new(workspace: &Workspace, base: Principal, context: RequestContext, now: i64) -> Self {
        let permissions = vec![effective_permissions(workspace, &base, &context, now)];
        SessionStack {
            base,
            sessions: Vec::new(),
            permissions,
            events: Vec::new(),
            context,
        }
    }

    /// The identity whose permissions are in force: the top session, or the base.
    pub fn acting(&self) -> &Principal {
        self.sessions.last().map_or(&self.base, |s| &s.principal)
    }

    pub fn base(&self) -> &Principal {
        &self.base
    }

    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    pub fn current_session(&self) -> Option<&Session> {
        self.sessions.last()
    }

    /// The effective permissions of the acting identity.
    pub fn permissions(&self) -> &EffectivePermissions {
        // The stack always holds the base's permissions.
        &self.permissions[self.permissions.len() - 1]
    }

    pub fn events(&self) -> &[SessionEvent] {
        &self.events
    }

    pub fn context(&self) -> &RequestContext {
        &self.context
    }

    /// Changes the request context and recomputes every level.
    pub fn set_context(&mut self, workspace: &Workspace, context: RequestContext, now: i64) {
        self.context = context;
        self.recompute(workspace, now);
    }

    fn recompute(&mut self, workspace: &Workspace, now: i64) {
        let mut permissions = vec![effective_permissions(
            workspace,
            &self.base,
            &self.context,
            now,
        )];
        for session in &self.sessions {
            permissions.push(effective_permissions(
                workspace,
                &session.principal,
                &self.context,
                now,
            ));
        }
        self.permissions = permissions;
    }

    /// A label for the acting identity: `alice → ProdDeploy → Audit`.
    pub fn chain_label(&self) -> String {
        let mut label = self.base.display_name.clone();
        for s in &self.sessions {
            label.push_str(" → ");
            label.push_str(&s.role_name);
        }
        label
    }

    /// Assumes a role from the acting identity. On success the session is
    /// pushed and the event returned with its diff.
    pub fn start(
        &mut self,
        workspace: &Workspace,
        mut request: AssumeRequest,
    ) -> Result<(AssumeOutcome, Option<&SessionEvent>), Refusal> {
        for (key, values) in self
            .context
            .entries()
            .map(|e| (e.key.clone(), e.values.clone()))
        {
            if !request.context.contains(&key) {
                request.context.set(&key, values);
            }
        }
        let outcome = assume_role(workspace, self.acting(), &request)?;
        let Some(session) = outcome.session.clone() else {
            return Ok((outcome, None));
        };
        let before = self.chain_label();
        let after_permissions = effective_permissions(
            workspace,
            &session.principal,
            &self.context,
            request.now_epoch,
        );
        let change = diff(self.permissions(), &after_permissions);
        self.sessions.push(session);
        self.permissions.push(after_permissions);
        let event = self.record(EventKind::Started, request.now_epoch, before, change);
        Ok((outcome, Some(event)))
    }

    /// Ends the top session (the user's choice); `None` without a session.
    pub fn end(&mut self, now: i64) -> Option<&SessionEvent> {
        self.pop(EventKind::Ended, now)
    }

    /// Expires every session at the top of the stack whose time is up; a
    /// session below a live one keeps its place until that one ends (chained
    /// credentials do not depend on the parent's).
    pub fn tick(&mut self, now: i64) -> Vec<SessionEvent> {
        let mut events = Vec::new();
        while self.sessions.last().is_some_and(|s| s.expires_at <= now) {
            if let Some(event) = self.pop(EventKind::Expired, now) {
                events.push(event.clone());
            }
        }
        events
    }

    fn pop(&mut self, kind: EventKind, now: i64) -> Option<&SessionEvent> {
        if self.sessions.is_empty() {
            return None;
        }
        let before_label = self.chain_label();
        let before = self.permissions.pop()?;
        let session = self.sessions.pop()?;
        let change = diff(&before, self.permissions());
        let at = if kind == EventKind::Expired {
            session.expires_at.min(now)
        } else {
            now
        };
        if self.events.len() >= EVENTS_KEPT {
            self.events.drain(..self.events.len() + 1 - EVENTS_KEPT);
        }
        self.events.push(SessionEvent {
            at,
            kind,
            session_arn: session.arn().to_string(),
            role_name: session.role_name.clone(),
            before: before_label,
            after: self.chain_label(),
            diff: change,
        });
        self.events.last()
    }

    fn record(
        &mut self,
        kind: EventKind,
        at: i64,
        before: String,
        diff: PermissionDiff,
    ) -> &SessionEvent {
        let session = self.sessions.last();
        if self.events.len() >= EVENTS_KEPT {
            self.events.drain(..self.events.len() + 1 - EVENTS_KEPT);
        }
        self.events.push(SessionEvent {
            at,
            kind,
            session_arn: session.map(|s| s.arn().to_string()).unwrap_or_default(),
            role_name: session.map(|s| s.role_name.clone()).unwrap_or_default(),
            before,
            after: self.chain_label(),
            diff,
        });
        &self.events[self.events.len() - 1]
    }
}
