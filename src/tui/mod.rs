//! The terminal UI: a thin layer over the engine, as one loop of messages
//! (The Elm Architecture).
//!
//! - `run` reads the terminal on a thread and sends raw input ([`Msg`]: a
//!   key, a click, a resize, real time passing) to the loop.
//! - `input` turns a message into [`Action`]s, the one place keys are
//!   mapped (through the `keymap` table, which also gives the footer and the
//!   help); typed text in filters and forms becomes actions too.
//! - `update(&mut App, Action) -> Vec<Effect>` is the only code that changes
//!   the state: an overlay first handles the actions meant for it and says
//!   what becomes of it (`overlay::Transition`); `App::refresh` recomputes
//!   what changed (detail pane, permissions) in one place. Effects (copy,
//!   mouse capture, quit) go back to the loop.
//! - Guided tours are plans from the engine (`crate::tour::plan`); `tour`
//!   turns each step into the same actions a user would send, and `update`
//!   sends them. `headless` plays a tour without a terminal for `validate`.
//! - `ui::render` only reads the state; `views` compute what the panes show
//!   from narrow inputs (workspace, selection, context, time).
//!
//! When the workspace cannot be opened at all, `error_screen` takes the
//! place of `App`, with an update of its own over the same messages.

pub mod action;
pub mod app;
pub mod demo_state;
pub mod error_screen;
pub mod filter_list;
pub mod headless;
pub mod input;
pub mod keymap;
pub mod loading;
pub mod notice;
pub mod overlay;
pub mod palette;
pub mod pending;
pub mod run;
pub mod selection;
pub mod settings;
pub mod theme;
pub mod tour;
pub mod ui;
pub mod update;
pub mod views;

pub use action::{Action, Effect, Msg};
pub use app::App;
pub use update::{handle, update};
