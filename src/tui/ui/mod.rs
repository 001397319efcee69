//! Pure render functions: one file per pane or overlay. They only read the
//! app; every string from the workspace goes through [`text::clean`] so that
//! names, tags and Sids can never inject terminal escape sequences.

pub mod chrome;
mod detail;
pub mod error_screen;
pub mod escalation;
pub mod layout;
mod lists;
pub mod loading;
pub mod message;
mod overlays;
mod permissions;
pub mod text;

use ratatui::layout::Rect;
use ratatui::Frame;

use super::app::App;
use super::keymap::{mode, quit_keys};
use chrome::app_areas;
use layout::{MIN_HEIGHT, MIN_WIDTH};
use text::too_small;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let quit = quit_keys(mode(app));
        too_small(frame, area, "iamscope", (MIN_WIDTH, MIN_HEIGHT), quit);
        return;
    }
    let a = app_areas(app, area);
    chrome::header(app, frame, a.header);
    chrome::tabs(app, frame, a.tabs);
    // In presenter mode only the zoomed pane has room.
    if !a.list.is_empty() {
        lists::render(app, frame, a.list);
    }
    if !a.detail.is_empty() {
        detail::render(app, frame, a.detail);
    }
    if !a.permissions.is_empty() {
        permissions::render(app, frame, a.permissions);
    }
    chrome::events(app, frame, a.events);
    if let Some(panel) = a.tour {
        chrome::tour_panel(app, frame, panel);
    }
    chrome::footer(app, frame, a.footer);
    overlays::render(app, frame, overlay_area(app, area));
}

/// Where overlays go on `area`: during a tour the room must keep reading
/// the step's text, so they stay above its panel. Update reads it too, to
/// bound how far an overlay scrolls.
pub fn overlay_area(app: &App, area: Rect) -> Rect {
    let a = app_areas(app, area);
    match a.tour {
        Some(panel) => Rect {
            height: panel.y.saturating_sub(area.y),
            ..area
        },
        None => area,
    }
}
