//! Where each pane goes. One pure function, used by render and by mouse
//! handling, so a click always lands on what is drawn there.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::tui::selection::Pane;

/// The smallest screen the full layout fits.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub permissions: Rect,
    pub events: Rect,
    /// During a guided tour: the step's text, above the event log (which
    /// keeps a line, so that what a step makes happen is seen).
    pub tour: Option<Rect>,
    pub footer: Rect,
}

/// Rows of the event log kept under the tour's text.
const LOG_UNDER_TOUR: u16 = 3;

/// The rows the main panes keep, whatever a tour's text asks.
const MAIN_KEPT: u16 = 5;

/// The screen's areas. `tour_lines`: during a tour, the lines its text needs
/// (wrapped to the panel's width): the panel grows to show them all, down to
/// leaving the main panes [`MAIN_KEPT`] rows.
pub fn areas(area: Rect, tour_lines: Option<u16>) -> Areas {
    areas_with(area, tour_lines, None)
}

/// As [`areas`]; with `zoom` (presenter mode) that pane takes the whole
/// main row (the event log: the main row and its own), the others get no
/// room, and the event log is taller.
pub fn areas_with(area: Rect, tour_lines: Option<u16>, zoom: Option<Pane>) -> Areas {
    let bottom_height = match (zoom.is_some(), area.height >= 30) {
        (false, true) => 6,
        (false, false) => 4,
        (true, true) => 9,
        (true, false) => 6,
    };
    let tour = tour_lines.is_some();
    let (tour_height, events_height) = match tour_lines {
        Some(lines) => {
            let room = area
                .height
                .saturating_sub(1 + 1 + MAIN_KEPT + LOG_UNDER_TOUR + 1);
            (
                lines.saturating_add(2).max(bottom_height).min(room),
                LOG_UNDER_TOUR,
            )
        }
        None => (0, bottom_height),
    };
    let [header, tabs, main, tour_area, events, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(tour_height),
        Constraint::Length(events_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let list_width = if area.width >= 120 { 24 } else { 20 };
    let [list, detail, permissions] = Layout::horizontal([
        Constraint::Length(list_width),
        Constraint::Percentage(38),
        Constraint::Min(20),
    ])
    .areas(main);
    let hidden = Rect {
        width: 0,
        height: 0,
        ..main
    };
    let (list, detail, permissions, events) = match zoom {
        None => (list, detail, permissions, events),
        Some(Pane::List) => (main, hidden, hidden, events),
        Some(Pane::Detail) => (hidden, main, hidden, events),
        Some(Pane::Permissions) => (hidden, hidden, main, events),
        Some(Pane::Events) => (hidden, hidden, hidden, main.union(events)),
    };
    Areas {
        header,
        tabs,
        list,
        detail,
        permissions,
        events,
        tour: tour.then_some(tour_area),
        footer,
    }
}

/// The first row shown so that `selected` stays visible in `height` rows.
pub fn list_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    selected.saturating_sub(height - 1)
}

/// A centred rectangle for overlays.
pub fn centered(area: Rect, width_percent: u16, height_percent: u16) -> Rect {
    let width = (area.width * width_percent / 100).max(area.width.min(40));
    let height = (area.height * height_percent / 100).max(area.height.min(10));
    Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    }
}
