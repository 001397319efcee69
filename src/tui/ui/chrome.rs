//! Header, tab bar, event log and footer.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::{clean, clock_time, format_duration};
use crate::tui::app::{account_label, App, FilterTarget, Overlay, Pane, Tab};
use crate::tui::keymap::{hints, Mode};
use crate::tui::update::mode;

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let accounts: Vec<String> = app
        .workspace
        .accounts
        .iter()
        .map(|a| account_label(&app.workspace, &a.id))
        .collect();
    let mut spans = vec![
        Span::styled(" iamscope ", t.title()),
        Span::raw(format!(
            "─ {}: {} ",
            clean(&app.workspace.name),
            accounts.join(" · ")
        )),
    ];
    if app.problems.0 + app.problems.1 > 0 {
        spans.push(Span::styled(
            format!("[{} errors, {} warnings] ", app.problems.0, app.problems.1),
            t.warning(),
        ));
    }
    spans.push(Span::raw("─ acting as: "));
    let label = clean(&app.stack.chain_label());
    match app.stack.current_session() {
        Some(session) => {
            spans.push(Span::styled(format!("{label} (session)"), t.session()));
            let left = session.remaining(app.now());
            spans.push(Span::raw(" ─ expires in "));
            let style = if left < 300 { t.warning() } else { t.base() };
            spans.push(Span::styled(format_duration(left), style));
        }
        None => {
            let kind = match app.stack.base().kind {
                crate::eval::PrincipalKind::User if app.tab == Tab::Groups => "group preview",
                crate::eval::PrincipalKind::User => "user",
                crate::eval::PrincipalKind::RoleSession => "role session preview",
                crate::eval::PrincipalKind::Root => "root",
            };
            spans.push(Span::styled(format!("{label} ({kind})"), t.label()));
        }
    }
    let clock = format!(
        " ─ ⏱ {} ×{}{} ",
        clock_time(app.now()),
        app.clock.speed(),
        if app.clock.is_paused() { " PAUSED" } else { "" }
    );
    spans.push(Span::styled(
        clock,
        if app.clock.is_paused() {
            t.warning()
        } else {
            t.dim()
        },
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn tabs(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for tab in Tab::ALL {
        let count = app.lists[tab.index()].entities.len();
        let text = format!("[{}] {} {}", tab.index() + 1, tab.title(), count);
        let style = if tab == app.tab {
            t.selected().add_modifier(Modifier::BOLD)
        } else {
            t.base()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw("   "));
    }
    if app.mouse {
        spans.push(Span::styled("mouse on (m)", t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn events(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Pane::Events;
    let block = Block::bordered()
        .title(Span::styled(" Events ", t.title()))
        .border_style(t.border(focused));
    let height = usize::from(area.height.saturating_sub(2));
    let end = app.log.len().saturating_sub(app.log_scroll);
    let start = end.saturating_sub(height);
    let lines: Vec<Line> = app.log[start..end]
        .iter()
        .map(|e| {
            Line::from(vec![
                Span::styled(format!(" {}  ", clock_time(e.at)), t.dim()),
                Span::raw(clean(&e.text)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(target) = app.filtering.filter(|_| app.overlay.is_none()) {
        let text = match target {
            FilterTarget::List => app.current_list().list.filter().to_string(),
            FilterTarget::Permissions => app.perm_filter.clone(),
        };
        let line = Line::from(vec![
            Span::styled(" / ", t.key()),
            Span::raw(clean(&text)),
            Span::styled("▏", t.key()),
            Span::styled("   Enter keep · Esc clear · ↑↓ move", t.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(status) = &app.status {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(" {}", clean(&status.text)),
                t.warning(),
            ))),
            area,
        );
        return;
    }
    let mode = match (&app.overlay, mode(app)) {
        (Some(Overlay::Picker(_)), Mode::Filter) => Mode::Picker,
        (_, m) => m,
    };
    let mut spans = vec![Span::raw(" ")];
    for (key, help) in hints(mode) {
        if mode == Mode::Browse && key == "x" && !app.in_session() {
            continue;
        }
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
