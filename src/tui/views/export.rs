//! What is on screen as text a trainer can paste into notes or a slide:
//! the permissions pane, a why, a comparison, each as a Markdown table and
//! as CSV. Pure functions of what the views already computed; the event
//! loop writes the text to a file the user names, or `y` copies it.

use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::eval::effective::{EffectiveAction, EffectivePermissions, PermissionDiff};
use crate::eval::{Decision, LayerStatus, Outcome};

use super::permissions::{self, Change, PermInput, PermRow};

/// One thing on screen, as both formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// What it is, in a few words, for the form and the event log.
    pub what: String,
    pub markdown: String,
    pub csv: String,
}

impl Export {
    /// The text for a file named `path`: CSV for `.csv`, else Markdown.
    pub fn text_for(&self, path: &str) -> &str {
        if path.trim().to_ascii_lowercase().ends_with(".csv") {
            &self.csv
        } else {
            &self.markdown
        }
    }
}

/// A title, a few lines of prose and one table: the shape of every export.
struct Table {
    title: String,
    lines: Vec<String>,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn export(self, what: String) -> Export {
        Export {
            what,
            markdown: self.markdown(),
            csv: self.csv(),
        }
    }

    fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", md_text(&self.title));
        for line in &self.lines {
            out.push_str(&md_text(line));
            out.push_str("\n\n");
        }
        out.push_str(&md_row(self.headers.iter().map(|h| h.to_string())));
        out.push_str(&md_row(self.headers.iter().map(|_| "---".to_string())));
        for row in &self.rows {
            out.push_str(&md_row(row.iter().cloned()));
        }
        out
    }

    /// Only the table: a spreadsheet reads the header as the first line.
    fn csv(&self) -> String {
        let mut out = csv_row(self.headers.iter().map(|h| h.to_string()));
        for row in &self.rows {
            out.push_str(&csv_row(row.iter().cloned()));
        }
        out
    }
}

/// A Markdown table row. Every cell is escaped, so a name holding `|` or a
/// newline (workspace data) stays in its cell.
fn md_row(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells.map(|c| md_cell(&c)).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// A table cell (GitHub Flavored Markdown spec, "Tables": a pipe inside a
/// cell is written `\|`; a cell cannot span lines).
pub fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\r' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Prose outside the table: one paragraph, never a heading or a table row
/// however the workspace names things.
fn md_text(text: &str) -> String {
    md_cell(text)
}

/// A CSV record (RFC 4180, section 2: fields holding a comma, a double
/// quote or a line break are enclosed in double quotes, and a double quote
/// inside is written twice; records end with CRLF).
fn csv_row(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells.map(|c| csv_field(&c)).collect();
    format!("{}\r\n", cells.join(","))
}

pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// What the permissions pane is computed from, every service open.
pub struct PermissionsInput<'a> {
    /// Whose permissions, in words: the name, or the session chain.
    pub who: &'a str,
    /// The acting identity's ARN.
    pub arn: &'a str,
    pub permissions: &'a EffectivePermissions,
    /// The session's or what-if's gains, when the pane marks them.
    pub gained: Option<&'a BTreeSet<String>>,
    pub lost: &'a [EffectiveAction],
    pub filter: &'a str,
}

/// The permissions pane's actions, every service open (a folded service
/// is still exported), with a `+/-` column when the pane shows a diff.
pub fn permissions(input: &PermissionsInput) -> Export {
    let expanded: BTreeSet<String> = Catalog::get()
        .services()
        .iter()
        .map(|s| s.prefix.to_string())
        .collect();
    let rows = permissions::rows(&PermInput {
        permissions: input.permissions,
        gained: input.gained,
        lost: input.lost,
        filter: input.filter,
        expanded: &expanded,
        denied: None,
    });
    let diff = input.gained.is_some() || !input.lost.is_empty();
    let mut headers = vec!["service", "access level", "action", "resources"];
    if diff {
        headers.push("+/-");
    }
    let table_rows = rows
        .iter()
        .filter_map(|row| match row {
            PermRow::Action { action, change, .. } => Some((action, *change)),
            _ => None,
        })
        .map(|(action, change)| {
            let mut row = vec![
                action.service.clone(),
                action.access.to_string(),
                action.action.clone(),
                action.resources().join(", "),
            ];
            if diff {
                row.push(mark(change).to_string());
            }
            row
        })
        .collect::<Vec<_>>();
    let mut lines = vec![format!(
        "{}: {} actions allowed.",
        input.arn,
        input.permissions.actions.len()
    )];
    if !input.filter.is_empty() {
        lines.push(format!("Only those matching \"{}\".", input.filter));
    }
    if diff {
        lines.push("+ gained, - lost by the session or change shown.".to_string());
    }
    Table {
        title: format!("Permissions of {}", input.who),
        lines,
        headers,
        rows: table_rows,
    }
    .export(format!("the permissions of {}", input.who))
}

fn mark(change: Change) -> &'static str {
    match change {
        Change::Gained => "+",
        Change::Lost => "-",
        Change::Same => "",
    }
}

/// The why view: the question, the verdict, then one row per layer and
/// per deciding statement of that layer.
pub fn why(decision: &Decision) -> Export {
    let mut rows = Vec::new();
    for layer in &decision.layers {
        let status = status_word(layer.status);
        if layer.matches.is_empty() {
            rows.push(vec![
                layer.layer.title().to_string(),
                status.to_string(),
                layer.note.clone(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for m in &layer.matches {
            let policy = match &m.level {
                Some(level) => format!("{} at {level}", m.policy),
                None => m.policy.clone(),
            };
            rows.push(vec![
                layer.layer.title().to_string(),
                status.to_string(),
                layer.note.clone(),
                policy,
                m.statement_label(),
                format!("{} {} on {}", m.effect.as_str(), m.action, m.resource),
            ]);
        }
    }
    let mut lines = vec![
        format!(
            "May {} do {} on {}?",
            decision.principal, decision.action, decision.resource
        ),
        format!("Verdict: {}.", outcome_word(decision.decision)),
    ];
    lines.extend(decision.reasons.iter().map(|r| r.message.clone()));
    Table {
        title: format!("Why: {}", decision.action),
        lines,
        headers: vec![
            "layer",
            "verdict",
            "note",
            "policy",
            "statement",
            "effect, action, resource",
        ],
        rows,
    }
    .export(format!("the why of {}", decision.action))
}

fn status_word(status: LayerStatus) -> &'static str {
    match status {
        LayerStatus::Allows => "allows",
        LayerStatus::Denies => "denies",
        LayerStatus::NoAllow => "no allow",
        LayerStatus::NotApplicable => "n/a",
    }
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allowed",
        Outcome::ExplicitDeny => "denied (explicit deny)",
        Outcome::ImplicitDeny => "denied (no allow)",
    }
}

/// A comparison: every action one may do and the other may not, by
/// service, gains (`+`, the selected one's) first.
pub fn comparison(from: &str, to: &str, diff: &PermissionDiff) -> Export {
    let mut actions: Vec<(&EffectiveAction, &str)> = diff
        .gained
        .iter()
        .map(|a| (a, "+"))
        .chain(diff.lost.iter().map(|a| (a, "-")))
        .collect();
    actions.sort_by(|a, b| (&a.0.service, a.1, a.0.id).cmp(&(&b.0.service, b.1, b.0.id)));
    let rows = actions
        .into_iter()
        .map(|(a, sign)| {
            vec![
                a.service.clone(),
                sign.to_string(),
                a.action.clone(),
                a.resources().join(", "),
            ]
        })
        .collect();
    Table {
        title: format!("{from} → {to}"),
        lines: vec![format!(
            "+{} -{}: + {to} may do and {from} may not, - {from} may do and {to} may not.",
            diff.gained.len(),
            diff.lost.len()
        )],
        headers: vec!["service", "+/-", "action", "resources"],
        rows,
    }
    .export(format!("the comparison {from} → {to}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks_only() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(
            csv_row(["x,y".to_string(), "z".to_string()].into_iter()),
            "\"x,y\",z\r\n"
        );
    }

    #[test]
    fn markdown_cells_escape_pipes_backslashes_and_newlines() {
        assert_eq!(md_cell("a|b"), "a\\|b");
        assert_eq!(md_cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(md_cell("one\r\ntwo"), "one two");
    }

    #[test]
    fn a_hostile_name_stays_in_its_cell() {
        let table = Table {
            title: "t".to_string(),
            lines: vec![],
            headers: vec!["a", "b"],
            rows: vec![vec!["evil | name\n| x | y |".to_string(), "2".to_string()]],
        };
        let md = table.markdown();
        let last = md.lines().last().unwrap_or_default();
        // Unescaped pipes: the two borders and the one separator only.
        let bare = last
            .char_indices()
            .filter(|(i, c)| *c == '|' && (*i == 0 || last.as_bytes()[i - 1] != b'\\'))
            .count();
        assert_eq!(bare, 3, "{last}");
        // The title, a blank line, the header, its rule and the one row.
        assert_eq!(md.lines().count(), 5, "{md}");
    }

    #[test]
    fn csv_or_markdown_by_the_file_name() {
        let e = Export {
            what: String::new(),
            markdown: "md".to_string(),
            csv: "csv".to_string(),
        };
        assert_eq!(e.text_for("~/out.CSV"), "csv");
        assert_eq!(e.text_for("/tmp/out.md"), "md");
        assert_eq!(e.text_for("/tmp/notes"), "md");
    }

    fn allowed(name: &str, resource: &str) -> Option<EffectiveAction> {
        let catalog = Catalog::get();
        let id = catalog.find(name)?;
        Some(EffectiveAction {
            action: catalog.action(id).full_name.to_string(),
            service: catalog.service_of(id).prefix.to_string(),
            access: catalog.action(id).access,
            id,
            grants: vec![crate::eval::effective::Grant {
                source: crate::eval::effective::StatementRef {
                    layer: crate::eval::Layer::Identity,
                    file: "f.json".to_string(),
                    policy: "p".to_string(),
                    statement: "Sid \"A\"".to_string(),
                    statement_index: 0,
                },
                resources: vec![resource.to_string()],
                not_resource: false,
                conditions: vec![],
            }],
            conditional: false,
            conditions: vec![],
            restrictions: vec![],
        })
    }

    #[test]
    fn a_comparison_marks_gains_and_losses_by_service() {
        let (Some(get), Some(put), Some(list)) = (
            allowed("s3:GetObject", "arn:aws:s3:::a,b/*"),
            allowed("s3:PutObject", "*"),
            allowed("ec2:DescribeInstances", "*"),
        ) else {
            panic!("the catalog lacks an action the test names");
        };
        let diff = PermissionDiff {
            gained: vec![get, list],
            lost: vec![put],
        };
        let e = comparison("alice", "bob|admin", &diff);
        let md: Vec<&str> = e.markdown.lines().collect();
        assert_eq!(md[0], "# alice → bob\\|admin");
        assert!(
            md.contains(&"| service | +/- | action | resources |"),
            "{md:?}"
        );
        assert!(
            md.contains(&"| ec2 | + | ec2:DescribeInstances | * |"),
            "{md:?}"
        );
        assert!(
            md.contains(&"| s3 | + | s3:GetObject | arn:aws:s3:::a,b/* |"),
            "{md:?}"
        );
        assert!(md.contains(&"| s3 | - | s3:PutObject | * |"), "{md:?}");
        assert_eq!(
            e.csv,
            "service,+/-,action,resources\r\n\
             ec2,+,ec2:DescribeInstances,*\r\n\
             s3,+,s3:GetObject,\"arn:aws:s3:::a,b/*\"\r\n\
             s3,-,s3:PutObject,*\r\n"
        );
    }
}
