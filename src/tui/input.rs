//! Raw input into actions: the one place keys become actions. Keys go
//! through the keymap for the current mode; in a filter or a form, typed
//! characters become text-editing actions; with mouse capture on, clicks and
//! the wheel become actions on the pane under the pointer.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::action::{Action, ClockAction, FilterEdit, FormEdit, Msg};
use super::app::{App, Pane};
use super::keymap::{lookup, mode, tour_keys_apply, Command, Mode};
use super::ui::chrome::app_areas;
use super::ui::layout::list_offset;

/// The actions `msg` asks for in the app's current state.
pub fn actions(app: &App, msg: &Msg) -> Vec<Action> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            key_action(app, key).into_iter().collect()
        }
        Msg::Key(_) => Vec::new(),
        Msg::Mouse(mouse) => mouse_actions(app, mouse),
        Msg::Resize(w, h) => vec![Action::Resize(*w, *h)],
        Msg::Tick(ms) => vec![Action::Clock(ClockAction::Tick(*ms))],
        Msg::Computed(computed) => vec![Action::Computed(computed.clone())],
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let mode = mode(app);
    if tour_keys_apply(app) {
        if let Some(binding) = lookup(Mode::Tour, key) {
            return Some(match binding.command {
                // Esc over what a step opened closes it; the tour stays.
                Command::TourLeave if app.overlay.is_some() => Action::Back,
                command => command.action(),
            });
        }
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match mode {
        Mode::Filter | Mode::Palette => {
            if let Some(binding) = lookup(mode, key) {
                return Some(binding.command.action());
            }
            match key.code {
                KeyCode::Char(c) if plain => Some(Action::Filter(FilterEdit::Push(c))),
                _ => None,
            }
        }
        Mode::Form | Mode::Ask | Mode::SaveForm | Mode::ExportForm => {
            let on_text_field = match &app.overlay {
                Some(super::overlay::Overlay::Context(f)) => f.field > 0,
                Some(
                    super::overlay::Overlay::Ask(_)
                    | super::overlay::Overlay::SaveDemo(_)
                    | super::overlay::Overlay::Export(_),
                ) => true,
                _ => false,
            };
            match key.code {
                KeyCode::Char(c) if plain && (on_text_field || c == ' ') => {
                    Some(Action::Form(FormEdit::Push(c)))
                }
                KeyCode::Backspace if plain => Some(Action::Form(FormEdit::Pop)),
                _ => lookup(mode, key).map(|b| b.command.action()),
            }
        }
        _ => lookup(mode, key).map(|b| b.command.action()),
    }
}

fn mouse_actions(app: &App, mouse: &MouseEvent) -> Vec<Action> {
    if !app.mouse || app.overlay.is_some() {
        return Vec::new();
    }
    let layout = app_areas(app, Rect::new(0, 0, app.size.0, app.size.1));
    let at = Position::new(mouse.column, mouse.row);
    let Some((pane, rect)) = [
        (Pane::List, layout.list),
        (Pane::Detail, layout.detail),
        (Pane::Permissions, layout.permissions),
        (Pane::Events, layout.events),
    ]
    .into_iter()
    .find(|(_, r)| r.contains(at)) else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let row = usize::from(mouse.row.saturating_sub(rect.y + 1));
            let height = usize::from(rect.height.saturating_sub(2));
            let offset = match pane {
                Pane::List => list_offset(app.current_list().list.selected_row(), height),
                Pane::Permissions => list_offset(app.panes.perm_selected, height),
                Pane::Detail => list_offset(usize::from(app.panes.detail_scroll), height),
                Pane::Events => 0,
            };
            vec![
                Action::Focus(pane),
                Action::Click {
                    pane,
                    row: offset + row,
                },
            ]
        }
        MouseEventKind::ScrollDown => vec![Action::Scroll { pane, delta: 3 }],
        MouseEventKind::ScrollUp => vec![Action::Scroll { pane, delta: -3 }],
        _ => Vec::new(),
    }
}
