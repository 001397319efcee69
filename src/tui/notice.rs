//! The notice over the first screen when the workspace loaded with errors.

use super::keymap::problems_key;

/// How many problems the notice over the first screen lists.
pub const NOTICE_PROBLEMS: usize = 8;

/// The notice over the first screen when the workspace loaded with errors:
/// its title and text, the first problems one a line, then how many more.
pub fn problems_notice(errors: &[String]) -> (String, String) {
    let count = errors.len();
    let mut text = format!(
        "The workspace has {count} error{}: what could not be read is set aside, and answers resting on it \
         say so. `{}` lists every problem and goes to what it sits in.\n\n",
        if count == 1 { "" } else { "s" },
        problems_key()
    );
    for e in errors.iter().take(NOTICE_PROBLEMS) {
        text.push_str("• ");
        text.push_str(e);
        text.push('\n');
    }
    if count > NOTICE_PROBLEMS {
        text.push_str(&format!(
            "… and {} more: `iamscope validate` lists them all\n",
            count - NOTICE_PROBLEMS
        ));
    }
    ("Problems in the workspace".to_string(), text)
}
