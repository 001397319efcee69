//! Telling a request's action from a typo: a request names one action, so an
//! action the catalog does not know, or a pattern, is a question that would
//! get a confident but meaningless "denied". The closest names are offered.

use super::Catalog;
use crate::text::edit_distance;

/// How many names a hint offers.
const OFFERED: usize = 5;

impl Catalog {
    /// Why `raw` cannot be the action of one request, if it cannot: not
    /// `service:Action`, a wildcard pattern, an unknown service, or an
    /// action its service does not have; with the closest names.
    pub fn request_action_problem(&self, raw: &str) -> Option<String> {
        let Some((prefix, name)) = raw
            .split_once(':')
            .filter(|(p, n)| !p.is_empty() && !n.is_empty())
        else {
            return Some(format!(
                "\"{raw}\" is not an action: write service:Action, e.g. s3:GetObject"
            ));
        };
        if raw.contains(['*', '?']) {
            return Some(self.pattern_problem(raw));
        }
        let Some(service) = self.service(prefix) else {
            return Some(format!(
                "no service has the prefix \"{prefix}\" in the action catalog ({}){}",
                super::DATA_DATE,
                did_you_mean(&self.similar_prefixes(prefix))
            ));
        };
        if self.find(raw).is_some() {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        let mut close: Vec<(usize, &str)> = self.actions()[service.actions.clone()]
            .iter()
            .map(|a| {
                (
                    edit_distance(&a.name.to_ascii_lowercase(), &lower),
                    a.full_name.as_str(),
                )
            })
            .filter(|(d, _)| *d <= 3)
            .collect();
        close.sort();
        let names: Vec<&str> = close.iter().take(OFFERED).map(|(_, n)| *n).collect();
        Some(format!(
            "\"{raw}\" is not an action of {} in the catalog ({}){}",
            service.name,
            super::DATA_DATE,
            did_you_mean(&names)
        ))
    }

    /// A pattern where one action is asked for: what it matches.
    fn pattern_problem(&self, raw: &str) -> String {
        let pattern = crate::pattern::action::ActionPattern::new(raw);
        let matched: Vec<&str> = self
            .expand(&pattern)
            .iter()
            .map(|id| self.action(id).full_name.as_str())
            .collect();
        let examples = matched
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        match matched.len() {
            0 => format!("\"{raw}\" is a pattern, and it matches no action of the catalog; a request names one action"),
            n => format!(
                "\"{raw}\" is a pattern matching {n} action{} ({examples}{}); a request names one action: ask about one, \
                 or list them with `iamscope permissions --service`",
                if n == 1 { "" } else { "s" },
                if n > 3 { ", …" } else { "" }
            ),
        }
    }

    /// Service prefixes close to `prefix`.
    fn similar_prefixes(&self, prefix: &str) -> Vec<&str> {
        let lower = prefix.to_ascii_lowercase();
        let mut close: Vec<(usize, &str)> = self
            .services()
            .iter()
            .map(|s| (edit_distance(s.prefix, &lower), s.prefix))
            .filter(|(d, p)| *d <= 2 || (lower.len() >= 3 && p.starts_with(lower.as_str())))
            .collect();
        close.sort();
        close.into_iter().take(OFFERED).map(|(_, p)| p).collect()
    }
}

fn did_you_mean(names: &[&str]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;

    #[test]
    fn a_known_action_is_fine_in_any_case() {
        let c = Catalog::get();
        assert_eq!(c.request_action_problem("s3:GetObject"), None);
        assert_eq!(c.request_action_problem("S3:getobject"), None);
    }

    #[test]
    fn a_misspelled_action_gets_the_closest_names() {
        let c = Catalog::get();
        let problem = c.request_action_problem("s3:GetObjekt").unwrap_or_default();
        assert!(
            problem.starts_with("\"s3:GetObjekt\" is not an action of Amazon S3"),
            "{problem}"
        );
        assert!(problem.contains("did you mean s3:GetObject"), "{problem}");
        let service = c.request_action_problem("s4:GetObject").unwrap_or_default();
        assert!(
            service.contains("no service has the prefix \"s4\""),
            "{service}"
        );
        assert!(
            service.contains("did you mean") && service.contains("s3"),
            "{service}"
        );
    }

    #[test]
    fn a_pattern_is_not_one_action() {
        let c = Catalog::get();
        let problem = c.request_action_problem("s3:Get*").unwrap_or_default();
        assert!(
            problem.starts_with("\"s3:Get*\" is a pattern matching "),
            "{problem}"
        );
        assert!(c.request_action_problem("*").is_some());
        assert!(c.request_action_problem("GetObject").is_some());
    }
}
