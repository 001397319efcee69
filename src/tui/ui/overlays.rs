//! Overlays drawn over the main screen: switch-role picker, why, policy
//! viewer, context form, help and messages.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::layout::{centered, list_offset};
use super::lists::highlight;
use super::message::{message_lines, message_rects};
use super::text::{clean, fit, frame_block};
use crate::eval::decision::{LayerStatus, Outcome};
use crate::tui::app::App;
use crate::tui::keymap::{hints, mode, short_help, Mode, BINDINGS};
use crate::tui::overlay::{
    ContextForm, Overlay, Picker, PolicyView, ProblemsView, WhyView, DURATIONS,
};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(overlay) = &app.overlay else { return };
    let hint = hint_line(app);
    let hint = hint.as_str();
    match overlay {
        Overlay::Help(scroll) => help(&app.theme, *scroll, None, hint, frame, area),
        Overlay::HelpSearch(search) => {
            help(&app.theme, search.scroll, Some(search), hint, frame, area)
        }
        Overlay::Picker(p) => picker(app, p, hint, frame, area),
        Overlay::Why(w) => why(&app.theme, w, hint, frame, area),
        Overlay::Policy(p) => policy(&app.theme, p, hint, frame, area),
        Overlay::Context(f) => context(&app.theme, f, hint, frame, area),
        Overlay::Ask(line) => ask(app, line, hint, frame, area),
        Overlay::Tours(list) => tours(app, list, hint, frame, area),
        Overlay::Problems(view) => problems(&app.theme, view, hint, frame, area),
        Overlay::EscalationPath(view) => {
            super::escalation::path(&app.theme, view, hint, frame, area)
        }
        Overlay::Escalations(view) => super::escalation::list(&app.theme, view, hint, frame, area),
        Overlay::WhatIf(menu) => what_if(&app.theme, menu, hint, frame, area),
        Overlay::Palette(p) => palette(&app.theme, p, hint, frame, area),
        Overlay::SaveDemo(form) => file_form(
            &app.theme,
            &FileForm {
                title: " Save the demo state to ".to_string(),
                path: &form.path,
                error: form.error.as_deref(),
                about: "a JSON file outside the workspace (~/ is your home); iamscope --restore FILE re-opens it",
            },
            hint,
            frame,
            area,
        ),
        Overlay::Export(form) => file_form(
            &app.theme,
            &FileForm {
                title: format!(" Export {} to ", form.export.what),
                path: &form.path,
                error: form.error.as_deref(),
                about: "a file outside the workspace (~/ is home): .csv is CSV, else Markdown",
            },
            hint,
            frame,
            area,
        ),
        Overlay::Message {
            title,
            text,
            scroll,
        }
        | Overlay::Comparison {
            title,
            text,
            scroll,
            ..
        } => message(&app.theme, title, text, *scroll, hint, frame, area),
    }
}

/// The overlay's own keys, from the keymap: those of its mode that the
/// main screen does not share (the footer shows them all, and the tour's).
fn hint_line(app: &App) -> String {
    let mode = mode(app);
    let keys: Vec<String> = hints(app)
        .into_iter()
        .filter(|b| b.modes.contains(&mode) && !b.modes.contains(&Mode::Browse))
        .map(|b| format!("{} {}", b.label, short_help(b.help)))
        .collect();
    format!(" {} ", keys.join(" · "))
}

fn message(
    t: &Theme,
    title: &str,
    text: &str,
    scroll: u16,
    hint: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let (rect, inner) = message_rects(area);
    frame.render_widget(Clear, rect);
    let lines = message_lines(text, inner.width);
    let height = usize::from(inner.height);
    let top = usize::from(scroll).min(lines.len().saturating_sub(height));
    let block = frame_block(t, format!(" {} ", clean(title)), hint, rect.width);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown).block(block), rect);
}

fn picker(app: &App, p: &Picker, hint: &str, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rect = centered(area, 80, 70);
    frame.render_widget(Clear, rect);
    let duration = match DURATIONS[p.duration] {
        0 => "the longest allowed".to_string(),
        d => super::text::format_duration(i64::from(d)),
    };
    let filter = if p.filtering || !p.list.filter().is_empty() {
        format!(
            " /{}{}",
            clean(p.list.filter()),
            if p.filtering { "▏" } else { "" }
        )
    } else {
        String::new()
    };
    // Session tags come from the context form's aws:RequestTag/ keys; the
    // roles above are marked assumable with them (sts:TagSession included).
    let tags: Vec<String> = crate::sts::assume::session_tags(&app.session.context)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("  · session tags {}", clean(&tags.join(",")))
    };
    let title = format!(
        " Switch role — acting as {}  · duration {duration}{tags}{filter} ",
        clean(&app.session.stack.chain_label())
    );
    let block = frame_block(t, title, hint, rect.width);
    let height = usize::from(rect.height.saturating_sub(2));
    let offset = list_offset(p.list.selected_row(), height);
    // Columns as wide as the longest name (within a third of the box), so
    // that a long role name never runs into the account beside it.
    let name_width = p
        .roles
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(12, (usize::from(rect.width) / 3).max(12));
    let mut lines = Vec::new();
    for (row, visible) in p
        .list
        .visible()
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let Some(role) = p.roles.get(visible.item) else {
            continue;
        };
        let (mark, style) = if role.assumable {
            ("✓ ", t.allowed())
        } else {
            ("✗ ", t.dim())
        };
        let mut spans = vec![
            Span::raw(if row == p.list.selected_row() {
                "▶ "
            } else {
                "  "
            }),
            Span::styled(mark, style),
        ];
        let name = fit(&clean(&role.name), name_width);
        let pad = name_width + 1 - name.chars().count();
        spans.extend(highlight(&name, &visible.matched, t));
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(
            format!("{:<26} ", fit(&clean(&role.account), 26)),
            t.dim(),
        ));
        // The reason takes what is left of the row, cut with a mark.
        let used = 2 + 2 + name_width + 1 + 27;
        let room = usize::from(rect.width.saturating_sub(2)).saturating_sub(used);
        spans.push(Span::styled(
            fit(&clean(&role.reason), room),
            if role.assumable { t.base() } else { t.dim() },
        ));
        let mut line = Line::from(spans);
        if row == p.list.selected_row() {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("  no role matches", t.dim())));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn tours(
    app: &App,
    list: &crate::tui::filter_list::FilterList,
    hint: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let rect = centered(area, 70, 50);
    frame.render_widget(Clear, rect);
    let block = frame_block(t, " Guided tours ".to_string(), hint, rect.width);
    let mut lines = Vec::new();
    for (row, visible) in list.visible().iter().enumerate() {
        let Some(tour) = app.tours.get(visible.item) else {
            continue;
        };
        let selected = row == list.selected_row();
        let mut line = Line::from(vec![
            Span::raw(if selected { "▶ " } else { "  " }),
            Span::styled(clean(&tour.title), t.title()),
            Span::styled(format!("  {} steps", tour.steps.len()), t.dim()),
        ]);
        if selected {
            line = line.style(t.selected());
        }
        lines.push(line);
        lines.push(Line::from(Span::styled(
            format!("    {}", clean(&tour.summary)),
            t.dim(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}

/// The what-if menu: one change a row, the selected one marked `▶`.
fn what_if(
    t: &Theme,
    menu: &crate::tui::overlay::WhatIfMenu,
    hint: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let rect = centered(area, 90, 70);
    frame.render_widget(Clear, rect);
    let block = frame_block(
        t,
        " What-if: a change on a copy (the files are never touched) ".to_string(),
        hint,
        rect.width,
    );
    let width = usize::from(rect.width.saturating_sub(4));
    let height = usize::from(rect.height.saturating_sub(2));
    let visible = menu.list.visible();
    let offset = list_offset(menu.list.selected_row(), height);
    let mut lines = Vec::new();
    for (row, item) in visible.iter().enumerate().skip(offset).take(height) {
        let Some(choice) = menu.choices.get(item.item) else {
            continue;
        };
        let selected = row == menu.list.selected_row();
        let mut line = Line::from(vec![
            Span::raw(if selected { "▶ " } else { "  " }),
            Span::raw(fit(&clean(&choice.label), width)),
        ]);
        if selected {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The workspace's problems: each as `✗`/`!` (error or warning, not by
/// colour alone), its place, what it sits in, and the message, wrapped.
fn problems(t: &Theme, view: &ProblemsView, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 90, 80);
    frame.render_widget(Clear, rect);
    let (errors, warnings) = (view.errors, view.warnings);
    let title = format!(
        " Problems: {errors} error{}, {warnings} warning{} ",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    let block = frame_block(t, title, hint, rect.width);
    let width = usize::from(rect.width.saturating_sub(2)).max(10);
    let height = usize::from(rect.height.saturating_sub(2));
    // Each problem takes its first line and the message wrapped below it.
    let mut rendered: Vec<(usize, Vec<Line>)> = Vec::new();
    let selected = view.list.selected_row();
    for (row, visible) in view.list.visible().iter().enumerate() {
        let Some(problem) = view.rows.get(visible.item) else {
            continue;
        };
        let is_selected = row == selected;
        let (mark, style) = if problem.error {
            ("✗ error  ", t.denied())
        } else {
            ("! warning", t.warning())
        };
        let mut head = Line::from(vec![
            Span::raw(if is_selected { "▶ " } else { "  " }),
            Span::styled(mark, style),
            Span::raw("  "),
            Span::styled(
                fit(
                    &clean(&problem.subject.describe()),
                    width.saturating_sub(14),
                ),
                t.title(),
            ),
        ]);
        if is_selected {
            head = head.style(t.selected());
        }
        let mut lines = vec![head];
        let body = format!("{}  {}", clean(&problem.place), clean(&problem.message));
        for piece in wrap(&body, width.saturating_sub(4)) {
            lines.push(Line::from(Span::styled(format!("    {piece}"), t.dim())));
        }
        rendered.push((row, lines));
    }
    // Scroll so the selected problem's lines are all in view.
    let mut start = 0;
    let lines_before =
        |from: usize, to: usize| -> usize { rendered[from..to].iter().map(|(_, l)| l.len()).sum() };
    if let Some(pos) = rendered.iter().position(|(row, _)| *row == selected) {
        while start < pos && lines_before(start, pos + 1) > height {
            start += 1;
        }
    }
    let lines: Vec<Line> = rendered
        .into_iter()
        .skip(start)
        .flat_map(|(_, l)| l)
        .take(height)
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// `text` in pieces of at most `width` characters, cut at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            let rest: String = line.chars().skip(width).collect();
            out.push(head);
            line = rest;
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

fn why(t: &Theme, w: &WhyView, hint: &str, frame: &mut Frame, area: Rect) {
    let d = &w.decision;
    let rect = centered(area, 90, 80);
    frame.render_widget(Clear, rect);
    let (verdict, style) = match d.decision {
        Outcome::Allow => ("ALLOWED", t.allowed()),
        Outcome::ExplicitDeny => ("DENIED (explicit deny)", t.denied()),
        Outcome::ImplicitDeny => ("DENIED (implicit: nothing allows it)", t.denied()),
    };
    let title = format!(" Why: {} on {} ", clean(&d.action), clean(&d.resource));
    let block = frame_block(t, title, hint, rect.width);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(verdict, style),
            Span::raw(format!("   {}", clean(&d.principal))),
        ]),
        Line::from(""),
    ];
    if !w.listed_conditions.is_empty() {
        let conditions = clean(&w.listed_conditions.join(" and "));
        let text = if d.decision.is_allowed() {
            format!("Listed as conditional (if {conditions}): allowed as the context stands.")
        } else {
            format!(
                "Listed as conditional: allowed only if {conditions}. The context does not give \
                 these keys, so the request as it stands is denied; set them with the context form (c)."
            )
        };
        lines.push(Line::from(Span::styled(text, t.warning())));
        lines.push(Line::from(""));
    }
    for (n, layer) in d.layers.iter().enumerate() {
        let (mark, status, st) = match layer.status {
            LayerStatus::Allows => ("✓", "allows", t.allowed()),
            LayerStatus::Denies => ("✗", "DENIES", t.denied()),
            LayerStatus::NoAllow => ("✗", "no allow", t.warning()),
            LayerStatus::NotApplicable => ("–", "n/a", t.dim()),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", n + 1)),
            Span::styled(format!("{:<21}", layer.layer.title()), t.label()),
            Span::styled(format!("{mark} {status:<9}"), st),
            Span::raw(clean(&layer.note)),
        ]));
        for m in layer.matches.iter().filter(|m| !m.implied) {
            // An SCP or RCP attached at several levels is one line per level:
            // each names its root, OU or account.
            let level = m
                .level
                .as_deref()
                .map(|l| format!(" at {}", clean(l)))
                .unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!(
                    "      {} {}{level} ({}) · action {} · resource {}{}",
                    m.effect.as_str(),
                    clean(&m.policy),
                    clean(&m.statement_label()),
                    clean(&m.action),
                    clean(&m.resource),
                    if m.conditions.is_empty() {
                        String::new()
                    } else {
                        format!(" · if {}", clean(&m.conditions.join(" and ")))
                    }
                ),
                t.dim(),
            )));
        }
        for miss in &layer.near_misses {
            lines.push(Line::from(Span::styled(
                format!(
                    "      {} in {} would apply, but its condition failed: {}",
                    miss.effect.as_str(),
                    clean(&miss.policy),
                    clean(&miss.failed_conditions.join(" and "))
                ),
                t.warning(),
            )));
        }
    }
    if let Some(owner) = &d.owner_unknown {
        let elsewhere = if owner.if_another_account.is_allowed() {
            "allowed"
        } else {
            "denied"
        };
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(
                "Owner unknown: the resource is taken to be in the caller's account ({}); \
                 in another account it would be {elsewhere}.",
                clean(&owner.assumed_owner)
            ),
            t.warning(),
        )));
    }
    if let Some(refused) = &d.refused {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(format!("REFUSED by {}: ", refused.by), t.denied()),
            Span::raw(clean(&refused.reason)),
        ]));
        lines.push(Line::from(Span::styled(
            format!("  {}; the policies' decision is shown above", refused.page),
            t.dim(),
        )));
    }
    lines.push(Line::from(""));
    for reason in &d.reasons {
        lines.push(Line::from(vec![
            Span::styled("→ ", style),
            Span::raw(clean(&reason.message)),
        ]));
    }
    if !d.aws_message.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("AWS would say:", t.label())));
        lines.push(Line::from(clean(&d.aws_message)));
    }
    if !w.caveats.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(
                "Caveats: {} problem{} in the data this answer rests on",
                w.caveats.len(),
                if w.caveats.len() == 1 { "" } else { "s" }
            ),
            t.label(),
        )));
        for caveat in &w.caveats {
            let (mark, style) = if caveat.severity == "error" {
                ("✗ ", t.denied())
            } else {
                ("! ", t.warning())
            };
            lines.push(Line::from(vec![
                Span::styled(mark, style),
                Span::raw(clean(&caveat.to_string())),
            ]));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((w.scroll, 0))
            .block(block),
        rect,
    );
}

fn policy(t: &Theme, p: &PolicyView, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 85, 85);
    frame.render_widget(Clear, rect);
    let block = frame_block(t, format!(" {} ", clean(&p.title)), hint, rect.width);
    let lines: Vec<Line> = p
        .lines
        .iter()
        .map(|(text, marked)| {
            let mut spans = vec![Span::styled(if *marked { "▶ " } else { "  " }, t.key())];
            spans.extend(json_spans(&clean(text), t));
            let line = Line::from(spans);
            if *marked {
                line.style(t.marked())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).scroll((p.scroll, 0)).block(block),
        rect,
    );
}

/// Colours a line of pretty JSON: keys, strings, the rest.
fn json_spans(line: &str, t: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        spans.push(Span::raw(rest[..start].to_string()));
        let after = &rest[start + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else {
            spans.push(Span::raw(rest[start..].to_string()));
            return spans;
        };
        let literal = &rest[start..start + end + 2];
        let tail = &rest[start + end + 2..];
        let style = if tail.trim_start().starts_with(':') {
            t.json_key()
        } else {
            t.json_string()
        };
        spans.push(Span::styled(literal.to_string(), style));
        rest = tail;
    }
    spans.push(Span::raw(rest.to_string()));
    spans
}

/// The ask line: what is typed, the completions of the word being typed
/// (the first is what Tab takes), and why Enter could not ask.
fn ask(app: &App, line: &crate::tui::overlay::AskLine, hint: &str, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let height = (4 + crate::tui::overlay::ASK_CANDIDATES as u16).min(area.height);
    let width = area.width.saturating_sub(4).min(100);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + 2.min(area.height.saturating_sub(height)),
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let title = format!(
        " Ask as {}: ACTION [RESOURCE] ",
        clean(&app.session.stack.chain_label())
    );
    let block = frame_block(
        t,
        fit(&title, usize::from(width.saturating_sub(2))),
        hint,
        rect.width,
    );
    let room = usize::from(width.saturating_sub(4));
    let typed: String = line
        .text
        .chars()
        .rev()
        .take(room.saturating_sub(1))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", t.key()),
        Span::raw(clean(&typed)),
        Span::styled("▏", t.key()),
    ])];
    if let Some(error) = &line.error {
        lines.push(Line::from(Span::styled(
            fit(&clean(error), room),
            t.denied(),
        )));
    } else if line.candidates.is_empty() {
        lines.push(Line::from(Span::styled(
            fit("type an action (s3:Get* asks about many); a space, then a resource ARN or nothing for *", room),
            t.dim(),
        )));
    }
    for (i, candidate) in line.candidates.iter().enumerate() {
        let (mark, style) = if i == 0 {
            ("Tab ", t.key())
        } else {
            ("    ", t.dim())
        };
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(fit(&clean(candidate), room.saturating_sub(4))),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn context(t: &Theme, f: &ContextForm, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 70, 50);
    frame.render_widget(Clear, rect);
    let block = frame_block(t, " Request context ".to_string(), hint, rect.width);
    let mfa = match f.mfa {
        None => "not present (long-term credentials)",
        Some(true) => "yes: aws:MultiFactorAuthPresent = true",
        Some(false) => "no: aws:MultiFactorAuthPresent = false",
    };
    let fields = [
        ("MFA", mfa.to_string()),
        ("Source IP", f.source_ip.clone()),
        ("Current time", f.current_time.clone()),
        ("More keys", f.extra.clone()),
    ];
    let mut lines = vec![Line::from(Span::styled(
        "Conditions on these keys change every answer live.",
        t.dim(),
    ))];
    lines.push(Line::from(""));
    for (i, (label, value)) in fields.iter().enumerate() {
        let focused = i == f.field;
        let cursor = if focused && i > 0 { "▏" } else { "" };
        let mut line = Line::from(vec![
            Span::styled(if focused { "▶ " } else { "  " }, t.key()),
            Span::styled(format!("{label:<14}"), t.label()),
            Span::raw(format!("{}{cursor}", clean(value))),
        ]);
        if focused {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "  Source IP: 203.0.113.7 · time: 2026-11-27T10:00:00Z · more: aws:ResourceTag/critical=true; aws:PrincipalTag/team=blue",
        t.dim(),
    )));
    if let Some(error) = &f.error {
        lines.push(Line::from(Span::styled(
            format!("  {}", clean(error)),
            t.denied(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}

/// The help's lines: a section title (`None` key) or a key (or mark) and
/// what it does.
fn help_rows() -> Vec<(Option<&'static str>, &'static str)> {
    let mut rows = Vec::new();
    for (mode, title) in crate::tui::keymap::MODE_TITLES
        .into_iter()
        .filter(|(m, _)| *m != Mode::ErrorScreen)
    {
        rows.push((None, title));
        for b in BINDINGS.iter().filter(|b| b.modes.contains(&mode)) {
            rows.push((Some(b.label), b.help));
        }
    }
    rows.push((None, "What the marks mean"));
    for (glyph, meaning) in crate::tui::keymap::LEGEND {
        rows.push((Some(glyph), meaning));
    }
    rows
}

/// The rows whose key or text contains `query` (any case), under their
/// section titles; every row without a query.
fn help_matches(query: &str) -> Vec<(Option<&'static str>, &'static str)> {
    let rows = help_rows();
    if query.is_empty() {
        return rows;
    }
    let wanted = query.to_lowercase();
    let mut out = Vec::new();
    let mut section = None;
    for row in rows {
        match row {
            (None, _) => section = Some(row),
            (Some(key), text) => {
                let hit =
                    key.to_lowercase().contains(&wanted) || text.to_lowercase().contains(&wanted);
                if hit {
                    if let Some(title) = section.take() {
                        out.push(title);
                    }
                    out.push(row);
                }
            }
        }
    }
    out
}

fn help(
    t: &Theme,
    scroll: u16,
    search: Option<&crate::tui::overlay::HelpSearch>,
    hint: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let rect = centered(area, 80, 90);
    frame.render_widget(Clear, rect);
    let query = search.map_or("", |s| s.query.as_str());
    let rows = help_matches(query);
    let title = match search {
        None => " Help: every key ".to_string(),
        Some(s) => format!(
            " Help: /{}{} — {} line{} ",
            clean(&s.query),
            if s.typing { "▏" } else { "" },
            rows.iter().filter(|r| r.0.is_some()).count(),
            if rows.iter().filter(|r| r.0.is_some()).count() == 1 {
                ""
            } else {
                "s"
            }
        ),
    };
    let block = frame_block(t, title, hint, rect.width);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|row| match row {
            (None, title) => Line::from(Span::styled(title, t.title())),
            (Some(key), text) => Line::from(vec![
                Span::styled(format!("  {key:<10}"), t.key()),
                Span::raw(text),
            ]),
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no key or mark mentions it (Esc shows the whole help)",
            t.dim(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        rect,
    );
}

/// The command palette: what is typed, then the best matches, each with its
/// kind, its name (matched letters marked) and a note.
fn palette(t: &Theme, p: &crate::tui::palette::Palette, hint: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 80, 70);
    frame.render_widget(Clear, rect);
    let title = format!(
        " Go to: {} match{} ",
        p.hits.len(),
        if p.hits.len() == 1 { "" } else { "es" }
    );
    let block = frame_block(t, title, hint, rect.width);
    let width = usize::from(rect.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", t.key()),
        Span::raw(clean(&p.query)),
        Span::styled("▏", t.key()),
    ])];
    let height = usize::from(rect.height.saturating_sub(3));
    let offset = list_offset(p.selected, height);
    for (row, hit) in p.hits.iter().enumerate().skip(offset).take(height) {
        let Some(entry) = p.entries.get(hit.entry) else {
            continue;
        };
        let selected = row == p.selected;
        let label = fit(&clean(&entry.label), width.saturating_sub(14).max(10));
        let used = 2 + 10 + label.chars().count() + 2;
        let mut spans = vec![
            Span::raw(if selected { "▶ " } else { "  " }),
            Span::styled(format!("{:<10}", entry.kind.word()), t.label()),
        ];
        spans.extend(highlight(&label, &hit.matched, t));
        if !entry.note.is_empty() && used < width {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                fit(&clean(&entry.note), width - used),
                t.dim(),
            ));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    if p.hits.is_empty() {
        lines.push(Line::from(Span::styled(
            "  nothing matches: a user, group, role, policy, action (s3:GetObject) or ARN",
            t.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// A form naming a file (`S` saves the demo state, `e` exports): what
/// is typed, then why it could not be written or what the file will be.
struct FileForm<'a> {
    title: String,
    path: &'a str,
    error: Option<&'a str>,
    about: &'a str,
}

fn file_form(t: &Theme, form: &FileForm, hint: &str, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(90);
    let height = 6.min(area.height);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + 2.min(area.height.saturating_sub(height)),
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = frame_block(t, clean(&form.title), hint, rect.width);
    let room = usize::from(width.saturating_sub(4));
    let typed: String = {
        let chars: Vec<char> = form.path.chars().collect();
        chars[chars.len().saturating_sub(room.saturating_sub(1))..]
            .iter()
            .collect()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", t.key()),
        Span::raw(clean(&typed)),
        Span::styled("▏", t.key()),
    ])];
    lines.push(match form.error {
        Some(error) => Line::from(Span::styled(fit(&clean(error), room), t.denied())),
        None => Line::from(Span::styled(fit(form.about, room), t.dim())),
    });
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
