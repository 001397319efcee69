//! The policy viewer: a document as pretty JSON, with the lines of one
//! statement marked.

use crate::model::policy_ref::NamedPolicy;
use crate::model::Workspace;
use crate::tui::overlay::PolicyView;

/// Builds the view of `policy`, marking statement `mark` (its index).
pub fn view(workspace: &Workspace, policy: &NamedPolicy, mark: Option<usize>) -> PolicyView {
    let title = format!(
        "{} — {}",
        policy.origin.name,
        policy.origin.source.describe()
    );
    let Some(document) = workspace.policy_document(policy) else {
        return PolicyView {
            title,
            lines: vec![("(the document's text is not at hand)".to_string(), false)],
            json: String::new(),
            scroll: 0,
        };
    };
    let json = serde_json::to_string_pretty(&document).unwrap_or_default();
    let mut lines = Vec::new();
    let mut first_marked = None;
    match document.as_object() {
        Some(map) => {
            lines.push(("{".to_string(), false));
            let keys: Vec<&String> = map.keys().collect();
            for (k, key) in keys.iter().enumerate() {
                let comma = if k + 1 < keys.len() { "," } else { "" };
                let value = &map[*key];
                if *key == "Statement" {
                    let statements: Vec<&serde_json::Value> = match value {
                        serde_json::Value::Array(list) => list.iter().collect(),
                        other => vec![other],
                    };
                    let is_list = value.is_array();
                    lines.push((
                        format!("  \"Statement\": {}", if is_list { "[" } else { "" }),
                        false,
                    ));
                    for (i, statement) in statements.iter().enumerate() {
                        let marked = mark == Some(i);
                        let text = serde_json::to_string_pretty(statement).unwrap_or_default();
                        let count = text.lines().count();
                        for (j, line) in text.lines().enumerate() {
                            let indent = if is_list { "    " } else { "  " };
                            let tail = if j + 1 == count && i + 1 < statements.len() {
                                ","
                            } else {
                                ""
                            };
                            if marked && first_marked.is_none() {
                                first_marked = Some(lines.len());
                            }
                            lines.push((format!("{indent}{line}{tail}"), marked));
                        }
                    }
                    if is_list {
                        lines.push((format!("  ]{comma}"), false));
                    } else if let Some(last) = lines.last_mut() {
                        last.0.push_str(comma);
                    }
                } else {
                    let text = serde_json::to_string(value).unwrap_or_default();
                    lines.push((format!("  \"{key}\": {text}{comma}"), false));
                }
            }
            lines.push(("}".to_string(), false));
        }
        None => lines.extend(json.lines().map(|l| (l.to_string(), false))),
    }
    PolicyView {
        title,
        lines,
        json,
        scroll: first_marked.map_or(0, |l| l.saturating_sub(2) as u16),
    }
}
