//! `e`: exporting what is on screen (the why view, the comparison, else
//! the permissions pane) to a file the user names. The text is made when
//! the form opens, from what was on screen then; the event loop writes it.

use super::ask::fail;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::overlay::{ExportForm, Overlay};
use crate::tui::views::export::{self, Export, PermissionsInput};

/// Opens the form over what it exports, which Esc or the export returns to.
pub(super) fn open(app: &mut App) {
    let export = match &app.overlay {
        Some(Overlay::Why(w)) => export::why(&w.decision),
        Some(Overlay::Comparison { export, .. }) => export.clone(),
        None => permissions(app),
        Some(_) => {
            fail(
                app,
                "e exports the why view, a comparison or the permissions pane",
            );
            return;
        }
    };
    let back = app.overlay.take().map(Box::new);
    app.overlay = Some(Overlay::Export(ExportForm {
        path: String::new(),
        error: None,
        export,
        back,
    }));
}

/// The permissions pane's actions, with the diff it shows.
fn permissions(app: &App) -> Export {
    let (gained, lost) = app.perm_diff();
    export::permissions(&PermissionsInput {
        who: &app.session.stack.chain_label(),
        arn: &app.session.stack.acting().arn,
        permissions: app.session.stack.permissions(),
        gained,
        lost,
        filter: &app.panes.perm_filter,
    })
}

/// The form's text for `path` (CSV for `.csv`), for the event loop to
/// write; the screen goes back to what was exported.
pub(super) fn write(app: &mut App, path: &str) -> Option<Effect> {
    let Some(Overlay::Export(form)) = app.overlay.take() else {
        fail(app, "nothing to export: e opens the export form");
        return None;
    };
    app.overlay = form.back.map(|b| *b);
    Some(Effect::Export {
        path: path.to_string(),
        text: form.export.text_for(path).to_string(),
        what: form.export.what,
    })
}
