//! Text for the terminal: cleaned of escape sequences, wrapped, and the
//! durations and times the screens show.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

/// An overlay's frame, `width` columns wide: its title on top, its keys at
/// the bottom, each cut to fit with a visible mark (a room reading a
/// projector must never see a key's text end mid-word).
pub fn frame_block<'a>(
    t: &crate::tui::theme::Theme,
    title: String,
    hint: &str,
    width: u16,
) -> Block<'a> {
    let inner = usize::from(width.saturating_sub(2));
    Block::bordered()
        .title(Span::styled(fit(&title, inner), t.title()))
        .title_bottom(Line::from(Span::styled(fit_hints(hint, inner), t.dim())))
        .border_style(t.border(true))
}

/// Key hints (`Enter open · Esc close · …`) cut to `width`: whole hints
/// only, the ones that do not fit replaced by `…` (the `?` help lists
/// every key).
pub fn fit_hints(hint: &str, width: usize) -> String {
    if hint.chars().count() <= width {
        return hint.to_string();
    }
    const SEPARATOR: &str = " · ";
    let mut kept = String::new();
    for part in hint.split(SEPARATOR) {
        let next = if kept.is_empty() {
            part.to_string()
        } else {
            format!("{kept}{SEPARATOR}{part}")
        };
        // Room for the closing " · …".
        if next.chars().count() + SEPARATOR.chars().count() + 1 > width {
            break;
        }
        kept = next;
    }
    if kept.is_empty() {
        fit(hint, width)
    } else {
        format!("{kept}{SEPARATOR}…")
    }
}

/// Text safe for the terminal.
pub fn clean(text: &str) -> String {
    crate::text::clean(text).into_owned()
}

/// `text` cut to `width` characters, its last one an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        cut.push('…');
    }
    cut
}

/// `text` in lines of at most `width` columns: broken at spaces, and inside
/// a word only when the word alone is wider than a line (a long path).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let word_width = str_width(word);
        if used > 0 && used + 1 + word_width <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + word_width;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let w = str_width(c.encode_utf8(&mut [0; 4]));
            if used > 0 && used + w > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
    }
    lines.push(line);
    lines
}

/// Columns `text` takes on a terminal.
fn str_width(text: &str) -> usize {
    Span::raw(text).width()
}

/// `1:05:09`, `59:58`.
pub fn format_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `HH:MM:SS` of an epoch time, UTC.
pub fn clock_time(epoch: i64) -> String {
    let iso = crate::policy::date::format_iso(epoch);
    iso.get(11..19).unwrap_or(&iso).to_string()
}

/// What a screen shows instead of itself when the terminal is smaller than
/// `min`; `quit` is how the keymap writes the keys that quit in this mode.
pub fn too_small(frame: &mut Frame, area: Rect, title: &str, min: (u16, u16), quit: &str) {
    let (width, height) = min;
    let text = vec![
        Line::from(title.to_string()),
        Line::from(format!("The terminal is {}×{}.", area.width, area.height)),
        Line::from(format!(
            "It needs at least {width}×{height}: enlarge the window or reduce the font size."
        )),
        Line::from(format!("{quit} quits.")),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn fit_cuts_with_an_ellipsis_only_when_needed() {
        assert_eq!(super::fit("short", 8), "short");
        assert_eq!(super::fit("exactly8", 8), "exactly8");
        assert_eq!(super::fit("github-actions-ml-deploy", 12), "github-acti…");
        assert_eq!(super::fit("ééééé", 3), "éé…");
        assert_eq!(super::fit("abc", 0), "");
    }

    #[test]
    fn wraps_at_spaces_and_breaks_only_words_wider_than_a_line() {
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(
            wrap("a /very/long/path/name b", 8),
            vec!["a", "/very/lo", "ng/path/", "name b"]
        );
        // Wide characters count twice.
        assert_eq!(wrap("日本語 x", 4), vec!["日本", "語 x"]);
        assert_eq!(wrap("abc", 0), vec!["a", "b", "c"]);
    }
}

#[cfg(test)]
mod fit_hints_tests {
    use super::fit_hints;

    #[test]
    fn hints_are_kept_whole_and_the_rest_becomes_a_mark() {
        let hint = " / filter · Enter start the session · d session duration ";
        assert_eq!(fit_hints(hint, 80), hint);
        assert_eq!(
            fit_hints(hint, 40),
            " / filter · Enter start the session · …"
        );
        assert_eq!(fit_hints(hint, 20), " / filter · …");
        // Not even the first hint fits: cut with the mark.
        assert_eq!(fit_hints(hint, 5), " / f…");
    }
}
