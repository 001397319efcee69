//! The effective permissions pane: services, actions, resources, conditions,
//! and the `+`/`-` of a session starting or ending.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::layout::list_offset;
use super::lists::highlight;
use super::text::{clean, fit};
use crate::tui::app::{App, Pane};
use crate::tui::views::permissions::{Change, PermRow};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let focused = app.browser.focus == Pane::Permissions;
    let permissions = app.session.stack.permissions();
    let mut title = vec![Span::styled(" Permissions ", t.title())];
    if let Some((gained, lost)) = app.change_counts() {
        title.push(Span::styled(format!("+{gained}"), t.gained()));
        title.push(Span::raw(" "));
        title.push(Span::styled(format!("-{lost}"), t.lost()));
        title.push(Span::raw(" "));
    }
    let pending = app.permissions_pending();
    let count = if pending {
        "computing… ".to_string()
    } else {
        format!(
            "{} action{} ",
            permissions.actions.len(),
            if permissions.actions.len() == 1 {
                ""
            } else {
                "s"
            }
        )
    };
    title.push(Span::styled(count, t.title()));
    if app.panes.show_denied {
        title.push(Span::styled("✗ denied too ", t.dim()));
    }
    if !app.panes.perm_filter.is_empty() {
        title.push(Span::styled(
            format!("/{} ", clean(&app.panes.perm_filter)),
            t.key(),
        ));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(t.border(focused));
    let width = usize::from(area.width.saturating_sub(2));
    let inner = usize::from(area.height.saturating_sub(2));
    // The selected action's conditions and limits in full, under the list,
    // when they are there: a row may cut them, this strip never does.
    let strip = if focused {
        selected_strip(app, width, inner / 2)
    } else {
        Vec::new()
    };
    let height = inner.saturating_sub(strip.len());
    let offset = list_offset(app.panes.perm_selected, height);
    let mut lines = Vec::new();
    for (i, row) in app
        .panes
        .perm_rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let mut line = match row {
            PermRow::Service {
                prefix,
                name,
                count,
                gained,
                lost,
                denied,
                expanded,
            } => {
                let mut spans = vec![
                    Span::raw(if *expanded { "▾ " } else { "▸ " }),
                    Span::styled(format!("{prefix:<14} "), t.title()),
                    Span::raw(format!("{count:>5} ")),
                ];
                if *gained > 0 {
                    spans.push(Span::styled(format!(" +{gained}"), t.gained()));
                }
                if *lost > 0 {
                    spans.push(Span::styled(format!(" -{lost}"), t.lost()));
                }
                if let Some(denied) = denied.filter(|d| *d > 0) {
                    spans.push(Span::styled(format!(" ✗{denied}"), t.dim()));
                }
                // The service name gets what the rest of the row leaves.
                let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
                let name: String = clean(name)
                    .chars()
                    .take(width.saturating_sub(used + 1))
                    .collect();
                spans.push(Span::styled(format!(" {name}"), t.dim()));
                Line::from(spans)
            }
            PermRow::Denied(denied) => denied_line(denied, width, t),
            PermRow::MoreLost { prefix, count } => Line::from(Span::styled(
                format!(
                    "  … {count} more {prefix} action{} lost",
                    if *count == 1 { "" } else { "s" }
                ),
                t.lost(),
            )),
            PermRow::Action {
                action,
                change,
                matched,
            } => {
                let (sign, style) = match change {
                    Change::Gained => ("+ ", t.gained()),
                    Change::Lost => ("- ", t.lost()),
                    Change::Same => ("  ", t.base()),
                };
                let mut spans = vec![
                    Span::styled(sign, style),
                    Span::styled(format!("{:<7}", short_access(action.access)), t.dim()),
                    // `?`: allowed only if conditions the context leaves open hold.
                    Span::styled(if action.conditional { "?" } else { " " }, t.warning()),
                ];
                let name = action
                    .action
                    .split_once(':')
                    .map_or(action.action.as_str(), |(_, n)| n);
                // Matched positions count in `service:Action`; shift them to the name.
                let shift = action.action.chars().count() - name.chars().count();
                let name_matches: Vec<usize> = matched
                    .iter()
                    .filter(|&&m| m >= shift)
                    .map(|m| m - shift)
                    .collect();
                // A name wider than the row is cut with an ellipsis, never silently.
                let name_room = width.saturating_sub(10);
                let fitted = fit(name, name_room);
                let name = if fitted.len() < name.len() {
                    fitted.as_str()
                } else {
                    name
                };
                let mut name_spans = highlight(name, &name_matches, t);
                if *change != Change::Same {
                    name_spans = name_spans
                        .into_iter()
                        .map(|s| s.patch_style(style))
                        .collect();
                }
                spans.extend(name_spans);
                let used = 10 + name.chars().count();
                let mut rest = String::new();
                // An action of another service sharing the prefix says whose it is.
                if let Some(other) = other_service(action) {
                    rest.push_str(&format!("  ({other})"));
                }
                // A conditional grant says so first, so it is never the part cut off.
                if action.conditional {
                    rest.push_str(&format!("  if {}", action.conditions.join(" and ")));
                }
                rest.push_str(&format!("  {}", action.resources().join(", ")));
                let conditions: Vec<String> = action
                    .grants
                    .iter()
                    .flat_map(|g| g.conditions.iter().cloned())
                    .collect();
                if !action.conditional && !conditions.is_empty() {
                    rest.push_str(&format!("  if {}", conditions.join(" and ")));
                }
                if !action.restrictions.is_empty() {
                    rest.push_str(&format!(
                        "  [{} limit{}]",
                        action.restrictions.len(),
                        if action.restrictions.len() == 1 {
                            ""
                        } else {
                            "s"
                        }
                    ));
                }
                let room = width.saturating_sub(used);
                spans.push(Span::styled(fit(&clean(&rest), room), t.dim()));
                Line::from(spans)
            }
        };
        if i == app.panes.perm_selected && focused {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    if lines.is_empty() {
        let text = if pending {
            "  computing the effective permissions…"
        } else if app.panes.perm_filter.is_empty() {
            "  no action allowed (no policy grants any, or a boundary or SCP blocks them)"
        } else {
            "  no allowed action matches the filter"
        };
        lines.push(Line::from(Span::styled(text, t.dim())));
    }
    if !strip.is_empty() {
        while lines.len() < height {
            lines.push(Line::from(""));
        }
        lines.extend(
            strip
                .into_iter()
                .map(|text| Line::from(Span::styled(text, t.warning()))),
        );
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A denied action, greyed: `✗`, its access level, its name and the layer
/// that decided (the mark, not the grey, says it is denied).
fn denied_line(
    denied: &crate::tui::views::permissions::DeniedAction,
    width: usize,
    t: &crate::tui::theme::Theme,
) -> Line<'static> {
    let name = denied
        .action
        .split_once(':')
        .map_or(denied.action.as_str(), |(_, n)| n);
    let name = fit(name, width.saturating_sub(10));
    let used = 10 + name.chars().count();
    let by = fit(
        &format!("  {}", clean(&denied.by)),
        width.saturating_sub(used),
    );
    Line::from(vec![
        Span::styled("✗ ", t.dim()),
        Span::styled(format!("{:<7} ", short_access(denied.access)), t.dim()),
        Span::styled(name, t.dim()),
        Span::styled(by, t.dim()),
    ])
}

/// The lines under the list for the selected action: its conditions when
/// it is conditional, and each limit, wrapped to `width` and at most `max`
/// lines (the last one ends in `…` if more was left).
fn selected_strip(app: &App, width: usize, max: usize) -> Vec<String> {
    let mut texts = Vec::new();
    let action = match app.panes.perm_rows.get(app.panes.perm_selected) {
        Some(PermRow::Action { action, .. }) => action,
        // A denied row's reason in full: the row may cut it.
        Some(PermRow::Denied(denied)) => {
            texts.push(format!("✗ denied: {} (w: why)", clean(&denied.by)));
            return wrapped(&texts, width, max);
        }
        _ => return Vec::new(),
    };
    if action.conditional {
        texts.push(format!(
            "? allowed only if {}",
            clean(&action.conditions.join(" and "))
        ));
    }
    for r in &action.restrictions {
        texts.push(format!("limit: {}", clean(&r.describe())));
    }
    wrapped(&texts, width, max)
}

/// `texts` wrapped to `width`, at most `max` lines (the last one ends in
/// `…` if more was left).
fn wrapped(texts: &[String], width: usize, max: usize) -> Vec<String> {
    if texts.is_empty() || width < 10 || max == 0 {
        return Vec::new();
    }
    let mut lines: Vec<String> = texts
        .iter()
        .flat_map(|t| super::text::wrap(t, width))
        .collect();
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            *last = fit(&format!("{last} …"), width);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

fn short_access(access: crate::catalog::AccessLevel) -> &'static str {
    match access {
        crate::catalog::AccessLevel::List => "List",
        crate::catalog::AccessLevel::Read => "Read",
        crate::catalog::AccessLevel::Write => "Write",
        crate::catalog::AccessLevel::PermissionsManagement => "Perms",
        crate::catalog::AccessLevel::Tagging => "Tag",
    }
}

/// The service of an action when it is not the one its prefix is named
/// after (AWS Cloud Control API's actions under `cloudformation`).
fn other_service(action: &crate::eval::effective::EffectiveAction) -> Option<&'static str> {
    let catalog = crate::catalog::Catalog::get();
    let info = catalog.action(action.id);
    let own = catalog.service_of(action.id).name;
    (info.service_name != own).then_some(info.service_name)
}
