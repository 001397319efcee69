//! Styles. Meaning is never carried by colour alone: selection is also
//! reversed or marked `▶`, gains are `+` and bold, losses `-` and struck
//! through. With `NO_COLOR` set the colours go and the modifiers stay.
//!
//! Three palettes: the default one; a high-contrast one for projectors
//! (bright colours, nothing in ANSI 8 grey, no faint text); a light one for
//! light backgrounds (no yellow or cyan text, no grey). The choice is the
//! `--theme` flag, `T` in the UI, and is remembered in the user's config
//! file (see `settings`).

use ratatui::style::{Color, Modifier, Style};

/// Which colours the styles use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Default,
    /// For projectors: bright colours on a dark background, nothing grey.
    HighContrast,
    /// For light terminal backgrounds: dark colours, nothing grey or yellow.
    Light,
}

impl Palette {
    pub const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Light];

    /// The name the flag and the config file use.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Default => "default",
            Palette::HighContrast => "high-contrast",
            Palette::Light => "light",
        }
    }

    pub fn parse(name: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The next palette, for `T`.
    pub fn next(self) -> Palette {
        match self {
            Palette::Default => Palette::HighContrast,
            Palette::HighContrast => Palette::Light,
            Palette::Light => Palette::Default,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

/// The colours one palette gives each role.
struct Colors {
    dim: Color,
    title: Color,
    key: Color,
    label: Color,
    matched: Color,
    gained_bg: Color,
    lost: Color,
    allowed: Color,
    denied: Color,
    warning: Color,
    session: Color,
    json_key: Color,
    json_string: Color,
    marked_bg: Color,
}

const DEFAULT: Colors = Colors {
    dim: Color::DarkGray,
    title: Color::Cyan,
    key: Color::Yellow,
    label: Color::Blue,
    matched: Color::Yellow,
    gained_bg: Color::Blue,
    lost: Color::Magenta,
    allowed: Color::Green,
    denied: Color::Red,
    warning: Color::Yellow,
    session: Color::Magenta,
    json_key: Color::Cyan,
    json_string: Color::Green,
    marked_bg: Color::DarkGray,
};

const HIGH_CONTRAST: Colors = Colors {
    dim: Color::White,
    title: Color::LightCyan,
    key: Color::LightYellow,
    label: Color::LightCyan,
    matched: Color::LightYellow,
    gained_bg: Color::Blue,
    lost: Color::LightMagenta,
    allowed: Color::LightGreen,
    denied: Color::LightRed,
    warning: Color::LightYellow,
    session: Color::LightMagenta,
    json_key: Color::LightCyan,
    json_string: Color::LightGreen,
    marked_bg: Color::Blue,
};

const LIGHT: Colors = Colors {
    dim: Color::Black,
    title: Color::Blue,
    key: Color::Magenta,
    label: Color::Blue,
    matched: Color::Magenta,
    gained_bg: Color::LightCyan,
    lost: Color::Red,
    allowed: Color::Green,
    denied: Color::Red,
    warning: Color::Magenta,
    session: Color::Blue,
    json_key: Color::Blue,
    json_string: Color::Green,
    marked_bg: Color::LightYellow,
};

impl Theme {
    /// The default palette, with or without colours.
    pub const fn new(color: bool) -> Self {
        Theme {
            color,
            palette: Palette::Default,
        }
    }

    /// Colours unless `NO_COLOR` is set to a non-empty value (no-color.org).
    pub fn from_env() -> Self {
        Theme::new(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
    }

    /// The same colours setting with another palette.
    pub fn with_palette(self, palette: Palette) -> Self {
        Theme { palette, ..self }
    }

    fn colors(&self) -> &'static Colors {
        match self.palette {
            Palette::Default => &DEFAULT,
            Palette::HighContrast => &HIGH_CONTRAST,
            Palette::Light => &LIGHT,
        }
    }

    /// Whether faint text is allowed: not on a projector.
    fn faint(&self) -> Modifier {
        match self.palette {
            Palette::Default => Modifier::DIM,
            Palette::HighContrast | Palette::Light => Modifier::empty(),
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
        self.fg(Style::default(), self.colors().dim)
    }

    pub fn title(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().title,
        )
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.title()
        } else {
            self.dim()
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn key(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().key,
        )
    }

    pub fn label(&self) -> Style {
        self.fg(Style::default(), self.colors().label)
    }

    /// Matched characters of a fuzzy filter.
    pub fn matched(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            self.colors().matched,
        )
    }

    pub fn gained(&self) -> Style {
        let style = self.bg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().gained_bg,
        );
        match self.palette {
            Palette::Default => style,
            // A set foreground, so the background never meets a like colour.
            Palette::HighContrast => self.fg(style, Color::White),
            Palette::Light => self.fg(style, Color::Black),
        }
    }

    pub fn lost(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::CROSSED_OUT | self.faint()),
            self.colors().lost,
        )
    }

    pub fn allowed(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().allowed,
        )
    }

    pub fn denied(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().denied,
        )
    }

    pub fn warning(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().warning,
        )
    }

    pub fn session(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().session,
        )
    }

    pub fn json_key(&self) -> Style {
        self.fg(Style::default(), self.colors().json_key)
    }

    pub fn json_string(&self) -> Style {
        self.fg(Style::default(), self.colors().json_string)
    }

    pub fn marked(&self) -> Style {
        let style = self.bg(
            Style::default().add_modifier(Modifier::BOLD),
            self.colors().marked_bg,
        );
        match self.palette {
            Palette::Default => style,
            Palette::HighContrast => self.fg(style, Color::White),
            Palette::Light => self.fg(style, Color::Black),
        }
    }

    /// Every style the theme gives, for tests that check a palette whole.
    pub fn all_styles(&self) -> Vec<Style> {
        vec![
            self.base(),
            self.dim(),
            self.title(),
            self.border(true),
            self.border(false),
            self.selected(),
            self.key(),
            self.label(),
            self.matched(),
            self.gained(),
            self.lost(),
            self.allowed(),
            self.denied(),
            self.warning(),
            self.session(),
            self.json_key(),
            self.json_string(),
            self.marked(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issue: "no ANSI 8 grey for meaning" on a projector, nor faint text.
    #[test]
    fn the_projector_palettes_use_no_grey_and_no_faint_text() {
        for palette in [Palette::HighContrast, Palette::Light] {
            let theme = Theme::new(true).with_palette(palette);
            for style in theme.all_styles() {
                for color in [style.fg, style.bg].into_iter().flatten() {
                    assert!(
                        !matches!(color, Color::DarkGray | Color::Gray),
                        "{palette:?}: {style:?}"
                    );
                }
                assert!(!style.add_modifier.contains(Modifier::DIM), "{palette:?}");
            }
        }
    }

    #[test]
    fn the_light_palette_has_no_yellow_or_cyan_text() {
        let theme = Theme::new(true).with_palette(Palette::Light);
        for style in theme.all_styles() {
            assert!(
                !matches!(
                    style.fg,
                    Some(Color::Yellow | Color::LightYellow | Color::Cyan | Color::LightCyan)
                ),
                "{style:?}"
            );
        }
    }

    #[test]
    fn without_colour_every_palette_is_the_same_modifiers_only() {
        for palette in Palette::ALL {
            let theme = Theme::new(false).with_palette(palette);
            for style in theme.all_styles() {
                assert_eq!((style.fg, style.bg), (None, None), "{palette:?}");
            }
        }
    }

    #[test]
    fn palettes_cycle_and_read_back_their_names() {
        let mut p = Palette::Default;
        for _ in 0..3 {
            assert_eq!(Palette::parse(p.name()), Some(p));
            p = p.next();
        }
        assert_eq!(p, Palette::Default);
        assert_eq!(Palette::parse("solarized"), None);
    }
}
