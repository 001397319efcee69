//! What the panes show, computed from the engine when inputs change: plain
//! data that the render functions draw.

pub mod assumable;
pub mod detail;
pub mod permissions;
pub mod policy;
