//! Styles. Meaning is never carried by colour alone: selection is also
//! reversed or marked `▶`, gains are `+` and bold, losses `-` and struck
//! through. With `NO_COLOR` set the colours go and the modifiers stay.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (no-color.org).
    pub fn from_env() -> Self {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, style: Style, color: Color) -> Style {
        if self.color {
            style.fg(color)
        } else {
            style
        }
    }

    fn bg(&self, style: Style, color: Color) -> Style {
        if self.color {
            style.bg(color)
        } else {
            style
        }
    }

    pub fn base(&self) -> Style {
        Style::default()
    }

    pub fn dim(&self) -> Style {
        self.fg(Style::default(), Color::DarkGray)
    }

    pub fn title(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
        } else {
            self.dim()
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn key(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    pub fn label(&self) -> Style {
        self.fg(Style::default(), Color::Blue)
    }

    /// Matched characters of a fuzzy filter.
    pub fn matched(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::Yellow,
        )
    }

    pub fn gained(&self) -> Style {
        self.bg(Style::default().add_modifier(Modifier::BOLD), Color::Blue)
    }

    pub fn lost(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::CROSSED_OUT | Modifier::DIM),
            Color::Magenta,
        )
    }

    pub fn allowed(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Green)
    }

    pub fn denied(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn warning(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    pub fn session(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            Color::Magenta,
        )
    }

    pub fn json_key(&self) -> Style {
        self.fg(Style::default(), Color::Cyan)
    }

    pub fn json_string(&self) -> Style {
        self.fg(Style::default(), Color::Green)
    }

    pub fn marked(&self) -> Style {
        self.bg(
            Style::default().add_modifier(Modifier::BOLD),
            Color::DarkGray,
        )
    }
}
