//! Header, tab bar, event log and footer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::text::{clean, clock_time, format_duration};
use crate::tui::app::{account_label, App, FilterTarget, Pane, Tab, TourState};
use crate::tui::keymap::{hints, problems_key, short_help, Mode, BINDINGS};

/// One piece of the header, with how much it matters: at a narrow width
/// the least important pieces go first (issue: "who is acting, the
/// countdown, the clock speed and PAUSED, then the rest").
struct Piece {
    text: String,
    style: ratatui::style::Style,
    /// 0 never goes; higher goes sooner.
    drop_rank: u8,
    right: bool,
}

/// The header's pieces at full width, in the order they show.
fn header_pieces(app: &App) -> Vec<Piece> {
    let t = &app.theme;
    let piece = |text: String, style, drop_rank, right| Piece {
        text,
        style,
        drop_rank,
        right,
    };
    let mut pieces = vec![
        piece(" iamscope ".into(), t.title(), 7, false),
        piece(
            format!("─ {} ─ ", clean(&app.workspace.name)),
            t.base(),
            6,
            false,
        ),
        piece("acting as:".into(), t.base(), 5, false),
    ];
    if !app.what_if.is_empty() {
        // Never dropped: the room must know the screen is not the files.
        let marker = format!(" WHAT-IF ×{} ", app.what_if.len());
        pieces.insert(1, piece(marker, t.selected(), 0, false));
        pieces.insert(2, piece("(u undoes) ".into(), t.warning(), 4, false));
    }
    let label = clean(&app.acting_label());
    match app.session.stack.current_session() {
        Some(session) => {
            pieces.push(piece(format!(" {label}"), t.session(), 0, false));
            pieces.push(piece(" (session)".into(), t.session(), 4, false));
            let left_seconds = session.remaining(app.now());
            let style = if left_seconds < 300 {
                t.warning()
            } else {
                t.base()
            };
            pieces.push(piece(
                format!(" {} left", format_duration(left_seconds)),
                style,
                0,
                false,
            ));
        }
        None => {
            let kind = match app.acting_base().kind {
                crate::eval::PrincipalKind::User if app.browser.tab == Tab::Groups => {
                    "group preview"
                }
                crate::eval::PrincipalKind::User => "user, own credentials",
                crate::eval::PrincipalKind::RoleSession => "preview of a session",
                crate::eval::PrincipalKind::Root => "root",
            };
            pieces.push(piece(format!(" {label}"), t.label(), 0, false));
            pieces.push(piece(format!(" ({kind})"), t.label(), 4, false));
        }
    }
    if app.presenter {
        if let Some(context) = context_summary(&app.session.context) {
            // For the room it outweighs "(session)" and the clock's time
            // (rank 3, before the clock: the clock goes first).
            pieces.push(piece(format!(" · {context}"), t.warning(), 3, false));
        }
    }
    let paused = app.session.clock.is_paused();
    let clock_style = if paused { t.warning() } else { t.dim() };
    pieces.push(piece(
        format!(" ⏱ {}", clock_time(app.now())),
        clock_style,
        3,
        true,
    ));
    pieces.push(piece(
        format!(" ×{}", app.session.clock.speed()),
        clock_style,
        1,
        true,
    ));
    if paused {
        pieces.push(piece(" PAUSED".into(), t.warning(), 1, true));
    }
    pieces.push(piece(" ".into(), t.base(), 2, true));
    pieces
}

/// The request context in a few words for the room ("MFA on · IP
/// 203.0.113.7"); `None` when no key is set.
pub fn context_summary(context: &crate::policy::RequestContext) -> Option<String> {
    let words: Vec<String> = context
        .entries()
        .map(|e| {
            let value = clean(&e.values.join(","));
            match e.key.to_ascii_lowercase().as_str() {
                "aws:multifactorauthpresent" if value.eq_ignore_ascii_case("true") => {
                    "MFA on".to_string()
                }
                "aws:multifactorauthpresent" => "MFA off".to_string(),
                "aws:sourceip" => format!("IP {value}"),
                "aws:currenttime" => format!("time {value}"),
                _ => format!("{}={value}", clean(&e.key)),
            }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" · "))
}

/// Drops the least important pieces until the rest fit `width`; what must
/// stay and still does not fit is cut at the acting label, with `…`.
fn fit_header(mut pieces: Vec<Piece>, width: usize) -> Vec<Piece> {
    let used = |pieces: &[Piece]| -> usize { pieces.iter().map(|p| p.text.chars().count()).sum() };
    while used(&pieces) > width {
        let Some(worst) = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| p.drop_rank > 0)
            .max_by_key(|(i, p)| (p.drop_rank, *i))
            .map(|(i, _)| i)
        else {
            break;
        };
        pieces.remove(worst);
    }
    let over = used(&pieces).saturating_sub(width);
    if over > 0 {
        // The acting label gives way from its start: the role it ends in
        // is what the room needs to read.
        if let Some(label) = pieces.iter_mut().find(|p| p.drop_rank == 0) {
            let chars: Vec<char> = label.text.chars().collect();
            let keep = chars.len().saturating_sub(over + 1);
            label.text = std::iter::once('…')
                .chain(chars[chars.len() - keep..].iter().copied())
                .collect();
        }
    }
    pieces
}

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let pieces = fit_header(header_pieces(app), usize::from(area.width));
    let right_width: u16 = pieces
        .iter()
        .filter(|p| p.right)
        .map(|p| p.text.chars().count() as u16)
        .sum();
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    let spans = |on_right: bool| -> Line {
        Line::from(
            pieces
                .iter()
                .filter(|p| p.right == on_right)
                .map(|p| Span::styled(p.text.clone(), p.style))
                .collect::<Vec<_>>(),
        )
    };
    frame.render_widget(Paragraph::new(spans(false)), left);
    frame.render_widget(Paragraph::new(spans(true)), right);
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
    if app.presenter {
        spans.push(Span::styled("presenter (P)", t.dim()));
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
    let style_of = |i: usize| {
        if i >= step_from {
            t.key()
        } else {
            t.base()
        }
    };
    if app.presenter {
        // For the room, whole lines: each entry wrapped under its time,
        // the newest at the bottom.
        let width = usize::from(area.width.saturating_sub(2)).saturating_sub(11);
        let mut lines: Vec<Line> = Vec::new();
        for (i, e) in app.timeline.log[..end].iter().enumerate().rev() {
            let pieces = super::text::wrap(&clean(&e.text), width);
            for (n, piece) in pieces.into_iter().enumerate().rev() {
                let time = if n == 0 {
                    format!(" {}  ", clock_time(e.at))
                } else {
                    " ".repeat(11)
                };
                lines.push(Line::from(vec![
                    Span::styled(time, t.dim()),
                    Span::styled(piece, style_of(i)),
                ]));
            }
            if lines.len() >= height {
                break;
            }
        }
        lines.truncate(height);
        lines.reverse();
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let lines: Vec<Line> = app
        .timeline
        .log
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Line::from(vec![
                Span::styled(format!(" {}  ", clock_time(e.at)), t.dim()),
                Span::styled(clean(&e.text), style_of(start + i)),
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
    // Whole hints only: those that do not fit give way to one mark saying
    // where the rest are, rather than a hint cut mid-word.
    const MORE: &str = "… ? all keys";
    let width = usize::from(area.width);
    let mut used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let all = hints(app);
    for (i, binding) in all.iter().enumerate() {
        let text = format!(" {}  ", short_help(binding.help));
        let needs = binding.label.chars().count() + text.chars().count();
        let last = i + 1 == all.len();
        let reserve = if last { 0 } else { MORE.chars().count() };
        if used + needs + reserve > width {
            spans.push(Span::styled(MORE, t.key()));
            break;
        }
        used += needs;
        spans.push(Span::styled(binding.label, t.key()));
        spans.push(Span::raw(text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The tour's text for the room, wrapped to a panel `width` wide: the
/// step's narration, and why the step could not run if it could not.
fn tour_text(app: &App, width: u16) -> Vec<(String, bool)> {
    let Some(tour) = &app.tour else {
        return Vec::new();
    };
    let inner = usize::from(width.saturating_sub(2));
    let mut lines: Vec<(String, bool)> = clean(tour.current_text())
        .lines()
        .flat_map(|line| super::text::wrap(line.trim(), inner))
        .map(|line| (line, false))
        .collect();
    if let Some(error) = &tour.error {
        let text = format!("(this step could not run: {})", clean(error));
        lines.extend(
            super::text::wrap(&text, inner)
                .into_iter()
                .map(|l| (l, true)),
        );
    }
    lines
}

/// The areas of `app`'s screen: its tour's text, and in presenter mode the
/// focused pane zoomed.
pub fn app_areas(app: &App, area: Rect) -> super::layout::Areas {
    let tour_lines = tour_lines(app, area.width);
    super::layout::areas_with(area, tour_lines, app.presenter.then_some(app.browser.focus))
}

/// During a tour, the lines its panel needs at `width` (for the layout).
pub fn tour_lines(app: &App, width: u16) -> Option<u16> {
    app.tour.as_ref()?;
    Some(u16::try_from(tour_text(app, width).len()).unwrap_or(u16::MAX))
}

/// The tour's text for the room, above the event log. The panel grows to
/// the text; where the screen is too small even so, the last line says how
/// much is left unseen rather than cutting silently.
pub fn tour_panel(app: &App, frame: &mut Frame, area: Rect) {
    let Some(tour) = &app.tour else { return };
    let t = &app.theme;
    let title = format!(
        " Tour: {} — step {}/{} ",
        clean(&tour.tour.title),
        tour.done,
        tour.plan.len()
    );
    let width = usize::from(area.width.saturating_sub(2));
    let keys = super::text::fit(&tour_keys(app, tour), width);
    let block = Block::bordered()
        .title(Span::styled(super::text::fit(&title, width), t.title()))
        .title_bottom(Line::from(Span::styled(keys, t.key())))
        .border_style(t.border(true));
    let text = tour_text(app, area.width);
    let room = usize::from(area.height.saturating_sub(2));
    let mut lines: Vec<Line> = text
        .iter()
        .take(room)
        .map(|(line, error)| {
            let style = if *error { t.denied() } else { t.base() };
            Line::from(Span::styled(line.clone(), style))
        })
        .collect();
    if text.len() > room && room > 0 {
        let unseen = text.len() - room + 1;
        lines.pop();
        lines.push(Line::from(Span::styled(
            format!(
                "… {unseen} more line{} (a taller terminal shows them)",
                if unseen == 1 { "" } else { "s" }
            ),
            t.warning(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
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

#[cfg(test)]
mod tests {
    use super::{fit_header, Piece};
    use ratatui::style::Style;

    fn piece(text: &str, drop_rank: u8) -> Piece {
        Piece {
            text: text.to_string(),
            style: Style::default(),
            drop_rank,
            right: false,
        }
    }

    fn text(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn the_least_important_pieces_go_first_and_the_label_is_cut_from_its_start() {
        let pieces = || {
            vec![
                piece(" iamscope ", 7),
                piece("acting as:", 5),
                piece(" alice → Deploy → Admin", 0),
                piece(" (session)", 4),
                piece(" 59:12 left", 0),
                piece(" ×1", 1),
            ]
        };
        assert_eq!(
            text(&fit_header(pieces(), 200)),
            " iamscope acting as: alice → Deploy → Admin (session) 59:12 left ×1"
        );
        assert_eq!(
            text(&fit_header(pieces(), 40)),
            " alice → Deploy → Admin 59:12 left ×1"
        );
        let cut = text(&fit_header(pieces(), 25));
        assert_eq!(cut.chars().count(), 25, "{cut}");
        assert!(
            cut.starts_with('…') && cut.contains("Admin 59:12 left"),
            "{cut}"
        );
    }
}
