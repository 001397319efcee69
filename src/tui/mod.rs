//! The terminal UI: a thin layer of state, update and render over the engine
//! (The Elm Architecture). `App` holds the state, `update` is the only place
//! it changes, `ui::render` only reads it. When the workspace cannot be
//! opened at all, `error_screen` takes the place of `App`, in the same way.

pub mod app;
pub mod error_screen;
pub mod filter_list;
pub mod keymap;
pub mod run;
pub mod theme;
pub mod tour;
pub mod ui;
pub mod update;
pub mod views;

pub use app::App;
pub use update::{update, Effect, Msg};
