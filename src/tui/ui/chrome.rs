//! Header, tab bar, event log and footer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::text::{clean, clock_time, format_duration};
use crate::tui::app::{account_label, App, FilterTarget, Pane, Tab, TourState};
use crate::tui::keymap::{hints, problems_key, short_help, Mode, BINDINGS};

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let clock = format!(
        " ⏱ {} ×{}{} ",
        clock_time(app.now()),
        app.session.clock.speed(),
        if app.session.clock.is_paused() {
            " PAUSED"
        } else {
            ""
        }
    );
    let clock_width = clock.chars().count() as u16;
    let [left, right] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(clock_width)]).areas(area);
    let mut spans = vec![
        Span::styled(" iamscope ", t.title()),
        Span::raw(format!("─ {} ─ acting as: ", clean(&app.workspace.name))),
    ];
    let label = clean(&app.session.stack.chain_label());
    match app.session.stack.current_session() {
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
            let kind = match app.session.stack.base().kind {
                crate::eval::PrincipalKind::User if app.browser.tab == Tab::Groups => {
                    "group preview"
                }
                crate::eval::PrincipalKind::User => "user, own credentials",
                crate::eval::PrincipalKind::RoleSession => "preview of a session",
                crate::eval::PrincipalKind::Root => "root",
            };
            spans.push(Span::styled(format!("{label} ({kind})"), t.label()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    let style = if app.session.clock.is_paused() {
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
        let count = app.browser.lists[tab.index()].entities.len();
        let text = format!("[{}] {} {}", tab.index() + 1, tab.title(), count);
        let style = if tab == app.browser.tab {
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
    let left_width: u16 = spans.iter().map(|s| s.content.chars().count() as u16).sum();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    // The problem count comes first: the account labels give way to it.
    let room = usize::from(area.width.saturating_sub(left_width));
    let problems = problem_spans(app, room);
    let used: usize = problems.iter().map(|s| s.content.chars().count()).sum();
    let accounts: Vec<String> = app
        .workspace
        .accounts
        .iter()
        .map(|a| account_label(&app.workspace, &a.id))
        .collect();
    let accounts = clean(&accounts.join(" · "));
    let mut right = Vec::new();
    if room > used + accounts.chars().count() + 2 {
        right.push(Span::styled(accounts, t.dim()));
    }
    right.extend(problems);
    if right.is_empty() {
        return;
    }
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

/// " · 3 errors 10 warnings (! lists them) ", or shorter forms down to
/// " ✗3 !10 " when `room` is narrow; nothing without problems.
fn problem_spans(app: &App, room: usize) -> Vec<Span<'static>> {
    let t = &app.theme;
    let (errors, warnings) = (app.problems.errors(), app.problems.warnings());
    if errors + warnings == 0 {
        return vec![Span::raw(" ")];
    }
    let style = if errors > 0 { t.denied() } else { t.warning() };
    let long = format!(
        " · {errors} error{} {warnings} warning{} ({} lists them) ",
        plural(errors),
        plural(warnings),
        problems_key()
    );
    let short = format!(" ✗{errors} !{warnings} ");
    let text = if long.chars().count() < room {
        long
    } else {
        short
    };
    vec![Span::styled(text, style)]
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
    let focused = app.browser.focus == Pane::Events;
    let block = Block::bordered()
        .title(Span::styled(" Events ", t.title()))
        .border_style(t.border(focused));
    let height = usize::from(area.height.saturating_sub(2));
    let end = app
        .timeline
        .log
        .len()
        .saturating_sub(app.timeline.log_scroll);
    let start = end.saturating_sub(height);
    // During a tour, what the current step made happen stands out.
    let step_from = app.tour.as_ref().map_or(usize::MAX, |s| s.step_log_from);
    let lines: Vec<Line> = app
        .timeline
        .log
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let style = if start + i >= step_from {
                t.key()
            } else {
                t.base()
            };
            Line::from(vec![
                Span::styled(format!(" {}  ", clock_time(e.at)), t.dim()),
                Span::styled(clean(&e.text), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    if let Some(target) = app.browser.filtering.filter(|_| app.overlay.is_none()) {
        let text = match target {
            FilterTarget::List => app.current_list().list.filter().to_string(),
            FilterTarget::Permissions => app.panes.perm_filter.clone(),
        };
        spans = vec![
            Span::styled(" / ", t.key()),
            Span::raw(clean(&text)),
            Span::styled("▏   ", t.key()),
        ];
    } else if let Some(status) = &app.timeline.status {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(" {}", clean(&status.text)),
                t.warning(),
            ))),
            area,
        );
        return;
    }
    for binding in hints(app) {
        spans.push(Span::styled(binding.label, t.key()));
        spans.push(Span::raw(format!(" {}  ", short_help(binding.help))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The tour's text for the room, above the event log.
pub fn tour_panel(app: &App, frame: &mut Frame, area: Rect) {
    let Some(tour) = &app.tour else { return };
    let t = &app.theme;
    let title = format!(
        " Tour: {} — step {}/{} ",
        clean(&tour.tour.title),
        tour.done,
        tour.plan.len()
    );
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .title_bottom(Line::from(Span::styled(tour_keys(app, tour), t.key())))
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

/// The tour's keys that act now, from the keymap.
fn tour_keys(app: &App, tour: &TourState) -> String {
    let keys: Vec<String> = BINDINGS
        .iter()
        .filter(|b| b.modes.contains(&Mode::Tour))
        .filter(|b| b.when.is_none_or(|when| when(app)))
        .map(|b| format!("{} {}", b.label, short_help(b.help)))
        .collect();
    let last = if tour.is_last() { "last step · " } else { "" };
    format!(" {last}{} ", keys.join(" · "))
}
