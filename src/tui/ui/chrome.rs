//! Header, tab bar, event log and footer.

use ratatui::layout::{Constraint, Layout, Rect};
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
    let clock = format!(
        " ⏱ {} ×{}{} ",
        clock_time(app.now()),
        app.clock.speed(),
        if app.clock.is_paused() { " PAUSED" } else { "" }
    );
    let clock_width = clock.chars().count() as u16;
    let [left, right] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(clock_width)]).areas(area);
    let mut spans = vec![
        Span::styled(" iamscope ", t.title()),
        Span::raw(format!("─ {} ─ acting as: ", clean(&app.workspace.name))),
    ];
    let label = clean(&app.stack.chain_label());
    match app.stack.current_session() {
        Some(session) => {
            spans.push(Span::styled(format!("{label} (session)"), t.session()));
            let left_seconds = session.remaining(app.now());
            spans.push(Span::raw(" ─ expires in "));
            let style = if left_seconds < 300 {
                t.warning()
            } else {
                t.base()
            };
            spans.push(Span::styled(format_duration(left_seconds), style));
        }
        None => {
            let kind = match app.stack.base().kind {
                crate::eval::PrincipalKind::User if app.tab == Tab::Groups => "group preview",
                crate::eval::PrincipalKind::User => "user, own credentials",
                crate::eval::PrincipalKind::RoleSession => "preview of a session",
                crate::eval::PrincipalKind::Root => "root",
            };
            spans.push(Span::styled(format!("{label} ({kind})"), t.label()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    let style = if app.clock.is_paused() {
        t.warning()
    } else {
        t.dim()
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(clock, style))),
        right,
    );
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
    let accounts: Vec<String> = app
        .workspace
        .accounts
        .iter()
        .map(|a| account_label(&app.workspace, &a.id))
        .collect();
    let mut right = vec![Span::styled(clean(&accounts.join(" · ")), t.dim())];
    let (errors, warnings) = app.problems;
    if errors + warnings > 0 {
        right.push(Span::styled(
            format!(
                " · {errors} error{} {warnings} warning{} (iamscope validate) ",
                plural(errors),
                plural(warnings)
            ),
            if errors > 0 { t.denied() } else { t.dim() },
        ));
    } else {
        right.push(Span::raw(" "));
    }
    let left_width: u16 = spans.iter().map(|s| s.content.chars().count() as u16).sum();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let right_line = Line::from(right);
    let right_width = right_line.width() as u16;
    if area.width > left_width + right_width {
        let rect = Rect {
            x: area.x + area.width - right_width,
            width: right_width,
            ..area
        };
        frame.render_widget(Paragraph::new(right_line), rect);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn events(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(tour) = &app.tour {
        tour_panel(app, tour, frame, area);
        return;
    }
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
    if app.tour.is_some() && mode != Mode::Form {
        for (key, help) in hints(Mode::Tour) {
            spans.push(Span::styled(key, t.key()));
            spans.push(Span::raw(format!(" {help}  ")));
        }
    }
    for (key, help) in hints(mode) {
        if mode == Mode::Browse && key == "x" && !app.in_session() {
            continue;
        }
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The tour's text for the room, where the event log usually is.
fn tour_panel(app: &App, tour: &crate::tui::tour::TourState, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let title = format!(
        " Tour: {} — step {}/{} ",
        clean(&tour.tour.title),
        tour.done,
        tour.tour.steps.len()
    );
    let hint = if tour.is_last() {
        " last step · ← back · Esc leave "
    } else {
        " → next · ← back · Esc leave "
    };
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .title_bottom(Line::from(Span::styled(hint, t.key())))
        .border_style(t.border(true));
    let mut lines = vec![Line::from(clean(tour.current_text()))];
    if let Some(error) = &tour.error {
        lines.push(Line::from(Span::styled(
            format!("(this step could not run: {})", clean(error)),
            t.denied(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(block),
        area,
    );
}
