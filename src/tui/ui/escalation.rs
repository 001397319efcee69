//! The escalation overlays: one principal's path, its steps as rows (the
//! selected one marked `▶` and reversed, not by colour alone), and the `E`
//! list of who can become admin.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::layout::centered;
use super::text::{clean, fit, frame_block, wrap};
use crate::escalation::{Escalates, PrincipalEscalation, Step};
use crate::tui::overlay::{EscalationPath, EscalationsView};
use crate::tui::theme::Theme;

/// `user/erin` from an ARN; `admin` stays `admin`.
fn short(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// What the principal can become, in words.
fn verdict(found: &PrincipalEscalation) -> &'static str {
    if found.admin {
        return "admin-equivalent";
    }
    match found.escalates {
        Escalates::Yes => "can become admin",
        Escalates::Conditional => "can become admin, if what a step needs holds",
        Escalates::No => "cannot become admin",
    }
}

/// The lines of one step, wrapped to `width`: its head (selectable), then
/// the calls, what it needs, its note, and each statement that allows a call.
fn step_lines(
    t: &Theme,
    n: usize,
    step: &Step,
    selected: bool,
    width: usize,
) -> Vec<Line<'static>> {
    let head = format!(
        "{}{}. {} → {}  [{}]",
        if selected { "▶ " } else { "  " },
        n + 1,
        clean(short(&step.from)),
        clean(short(&step.to)),
        step.method
    );
    let mut lines = vec![Line::from(Span::styled(fit(&head, width), t.title()))];
    if selected {
        lines[0] = lines[0].clone().style(t.selected());
    }
    let mut body: Vec<(String, ratatui::style::Style)> = Vec::new();
    if !step.via.is_empty() {
        body.push((format!("calls {}", step.via.join(", then ")), t.base()));
    }
    if !step.needs.is_empty() {
        body.push((format!("? needs {}", step.needs), t.warning()));
    }
    if !step.note.is_empty() {
        body.push((format!("note: {}", step.note), t.dim()));
    }
    for st in &step.statements {
        body.push((
            format!(
                "✓ {} on {}: allowed by {} {} ({})",
                st.action, st.resource, st.policy, st.statement, st.file
            ),
            t.dim(),
        ));
    }
    for (text, style) in body {
        for piece in wrap(&clean(&text), width.saturating_sub(5)) {
            lines.push(Line::from(Span::styled(format!("     {piece}"), style)));
        }
    }
    lines
}

/// The path's lines on `rect`: the head (verdict, what the keys do), and
/// the steps from the first one to show so that the selected step fits
/// below the head; and the rows the steps have.
fn path_lines(
    t: &Theme,
    view: &EscalationPath,
    rect: Rect,
) -> (Vec<Line<'static>>, Vec<Line<'static>>, usize) {
    let found = &view.found;
    let width = usize::from(rect.width.saturating_sub(2)).max(10);
    let height = usize::from(rect.height.saturating_sub(2));
    let tone = if found.admin || found.escalates == Escalates::Yes {
        t.denied()
    } else if found.escalates == Escalates::Conditional {
        t.warning()
    } else {
        t.allowed()
    };
    let steps = view.steps();
    let mut head = vec![Line::from(vec![
        Span::styled(verdict(found), tone),
        Span::raw(format!("   {}", clean(&found.principal))),
    ])];
    if steps.is_empty() {
        let text = "No path to admin with the methods iamscope knows: each method's requests were asked of the evaluator, boundaries, SCPs and denies included.";
        head.extend(wrap(text, width).into_iter().map(Line::from));
    } else {
        let text = "w or Enter on a step: why its first request is allowed, asked as the search asked it (Esc comes back here).";
        head.extend(
            wrap(text, width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, t.dim()))),
        );
    }
    head.push(Line::from(""));
    let rendered: Vec<Vec<Line>> = steps
        .iter()
        .enumerate()
        .map(|(n, step)| step_lines(t, n, step, n == view.selected, width))
        .collect();
    // Skip whole steps above the selected one until it fits below the head.
    let room = height.saturating_sub(head.len());
    let mut start = 0;
    let lines_of =
        |from: usize, to: usize| -> usize { rendered[from..to].iter().map(Vec::len).sum() };
    while start < view.selected && lines_of(start, view.selected + 1) > room {
        start += 1;
    }
    let body = rendered.into_iter().skip(start).flatten().collect();
    (head, body, room)
}

/// How far PgDn scrolls the path on a screen where overlays get `area`:
/// until its last line is in sight.
pub fn path_max_scroll(view: &EscalationPath, area: Rect) -> u16 {
    let theme = Theme::new(false);
    let (_, body, room) = path_lines(&theme, view, centered(area, 90, 80));
    u16::try_from(body.len().saturating_sub(room.max(1))).unwrap_or(u16::MAX)
}

/// One principal's path: the verdict, then each step; the view scrolls so
/// the selected step's lines are in sight, and PgDn scrolls further.
pub fn path(t: &Theme, view: &EscalationPath, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 90, 80);
    frame.render_widget(Clear, rect);
    let title = format!(" Escalation path: {} ", clean(&view.found.name));
    let block = frame_block(t, title, hint, rect.width);
    let height = usize::from(rect.height.saturating_sub(2));
    let (head, body, room) = path_lines(t, view, rect);
    let scroll = view.scroll.min(body.len().saturating_sub(room.max(1)));
    let mut lines: Vec<Line> = head
        .into_iter()
        .chain(body.into_iter().skip(scroll))
        .collect();
    // Never cut silently: the last row says how much more there is.
    if lines.len() > height && height > 0 {
        let more = lines.len() - (height - 1);
        lines.truncate(height - 1);
        lines.push(Line::from(Span::styled(
            format!("     … {more} more lines (PgDn)"),
            t.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// What a row of the `E` list says after the name.
fn summary(p: &PrincipalEscalation) -> String {
    if p.admin {
        return "admin-equivalent".to_string();
    }
    let path = p.paths.first();
    let steps = path.map_or(0, |path| path.steps.len());
    let first = path
        .and_then(|path| path.steps.first())
        .map(|s| s.via.join("+"))
        .unwrap_or_default();
    let kind = if p.escalates == Escalates::Conditional {
        "conditionally, "
    } else {
        ""
    };
    format!(
        "{kind}{steps} step{}: {first}",
        if steps == 1 { "" } else { "s" }
    )
}

/// `E`: every user and role that is admin or can become admin.
pub fn list(t: &Theme, view: &EscalationsView, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 90, 80);
    frame.render_widget(Clear, rect);
    let title = format!(
        " Who can become admin: {} of {} users and roles ",
        view.rows.len(),
        view.asked
    );
    let block = frame_block(t, title, hint, rect.width);
    let width = usize::from(rect.width.saturating_sub(2)).max(10);
    let height = usize::from(rect.height.saturating_sub(2));
    let mut lines = Vec::new();
    if view.rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nobody: no user or role is admin or has a path to admin.",
            t.allowed(),
        )));
    }
    let selected = view.list.selected_row();
    let top = super::layout::list_offset(selected, height);
    for (row, visible) in view.list.visible().iter().enumerate().skip(top) {
        let Some(p) = view.rows.get(visible.item) else {
            continue;
        };
        let kind = if p.is_role { "role" } else { "user" };
        let text = format!(
            "{}{kind:<5} {}  {}",
            if row == selected { "▶ " } else { "  " },
            clean(&p.name),
            clean(&summary(p))
        );
        let style = if p.admin || p.escalates == Escalates::Yes {
            t.denied()
        } else {
            t.warning()
        };
        let mut line = Line::from(Span::styled(fit(&text, width), style));
        if row == selected {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
