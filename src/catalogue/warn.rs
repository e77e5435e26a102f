//! What a catalogue may say but most likely does not mean: `cookiegate
//! check` prints these as warnings (failures only with `--strict`). Native
//! only: the browser loads a catalogue with warnings like any other.

use super::explain::glob_for;
use super::rules::{item_path, member_path};
use crate::json::{Pos, Value};
use std::fmt;

/// Something allowed that is most likely a mistake, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Line and column of the entry or value.
    pub pos: Pos,
    /// JSON path to it.
    pub path: String,
    /// What looks wrong and the likely fix.
    pub message: String,
}

impl fmt::Display for Warning {
    /// `LINE:COLUMN: PATH: warning: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: warning: {}", self.pos, self.path, self.message)
    }
}

/// Every warning for a parsed catalogue document, in source order. Reads the
/// document, not the model, so an invalid catalogue gets its warnings too,
/// except the empty-category one: while a service's category is wrong, its
/// real category looks empty, and the error already says so.
pub(super) fn warnings(root: &Value, valid: bool) -> Vec<Warning> {
    let mut out = Vec::new();
    let services = root
        .get("services")
        .and_then(Value::as_array)
        .unwrap_or_default();
    let mut declared: Vec<(String, String, Pos)> = Vec::new();
    for (i, service) in services.iter().enumerate() {
        let service_path = item_path("$.services", i);
        for (list, what) in [("cookies", "cookie"), ("storage", "storage key")] {
            let list_path = member_path(&service_path, list);
            let entries = service
                .get(list)
                .and_then(Value::as_array)
                .unwrap_or_default();
            for (j, entry) in entries.iter().enumerate() {
                let path = item_path(&list_path, j);
                if let Some(name) = entry.get("name") {
                    pattern_in_name(&mut out, name, &member_path(&path, "name"), what);
                }
                if let Some(key) = entry_key(entry, what) {
                    match declared.iter().find(|(k, _, _)| *k == key) {
                        Some((_, first_path, first)) => out.push(Warning {
                            pos: entry.pos,
                            path: path.clone(),
                            message: format!(
                                "this {what} is already declared at line {} ({first_path}); keep one entry (under the service that sets it)",
                                first.line
                            ),
                        }),
                        None => declared.push((key, path.clone(), entry.pos)),
                    }
                }
                let third = entry.get("party").and_then(Value::as_str) == Some("third");
                if what == "cookie" && third && entry.get("domain").is_none() {
                    out.push(Warning {
                        pos: entry.pos,
                        path,
                        message: "a third-party cookie without \"domain\": say which domain sets it (\".doubleclick.net\"), so visitors see who sets it".into(),
                    });
                }
            }
        }
    }
    let categories = match valid {
        true => root.get("categories").and_then(Value::as_array),
        false => None,
    };
    let categories = categories.unwrap_or_default();
    for (i, category) in categories.iter().enumerate() {
        let Some(id) = category.get("id").and_then(Value::as_str) else {
            continue;
        };
        let used = services
            .iter()
            .any(|s| s.get("category").and_then(Value::as_str) == Some(id));
        if !used {
            out.push(Warning {
                pos: category.pos,
                path: item_path("$.categories", i),
                message: format!(
                    "no service is in category \"{id}\", so its switch decides nothing; add the services it stands for, or remove it"
                ),
            });
        }
    }
    out.sort_by_key(|w| (w.pos.line, w.pos.column));
    out
}

/// What makes two entries the same: what they match and where it lives.
fn entry_key(entry: &Value, what: &str) -> Option<String> {
    let text = |k: &str| entry.get(k).and_then(Value::as_str);
    let matcher = ["name", "prefix", "glob"]
        .iter()
        .find_map(|k| text(k).map(|v| format!("{k}={v}")))?;
    let place = if what == "cookie" {
        let domain = text("domain").unwrap_or("").trim_start_matches('.');
        format!("domain={domain} path={}", text("path").unwrap_or("/"))
    } else {
        format!("kind={}", text("kind").unwrap_or(""))
    };
    Some(format!("{what} {matcher} {place}"))
}

/// A `name` written as a pattern: `*`, `.*`, `^` and `[` never occur in real
/// names, so the entry never matches and the cookie is never cleared.
fn pattern_in_name(out: &mut Vec<Warning>, name: &Value, path: &str, what: &str) {
    let Some(s) = name.as_str() else {
        return;
    };
    let regex_like = s.contains(".*") || s.contains('^') || s.contains('[');
    if !regex_like && !s.contains('*') {
        return;
    }
    let glob = if regex_like {
        glob_for(s)
    } else {
        Some(s.to_string())
    };
    let fix = match glob.as_deref().and_then(|g| g.strip_suffix('*')) {
        Some(prefix) if !prefix.contains('*') && !prefix.is_empty() => {
            format!("write \"prefix\": \"{prefix}\"")
        }
        _ => match glob {
            Some(g) if g.chars().any(|c| c != '*') => format!("write \"glob\": \"{g}\""),
            _ => "write the exact name, a \"prefix\" or a \"glob\"".into(),
        },
    };
    out.push(Warning {
        pos: name.pos,
        path: path.to_string(),
        message: format!(
            "\"{s}\" is matched as an exact {what} name, and no real {what} is called that, so it is never cleared; {fix}"
        ),
    });
}
