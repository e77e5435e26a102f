//! The checks both catalogue readers make of one object or one value, from
//! the field tables in [`super::fields`] and the syntax rules in
//! [`super::syntax`]: each returns every problem it finds, in source order,
//! and the readers differ only in what they do with them — the collecting
//! reader (`cookiegate check`) reports them all, the strict one (the
//! browser) stops at the first. So the two cannot disagree on a field.

use super::fields::{Need, Shape, Ty, DEFAULT_CONSENT_DAYS, MAX_LANGUAGES, MAX_STRING_CHARS};
use super::problem::{detail, Detail, Issue};
use super::syntax::{self, Fault};
use super::{Matcher, Signal};
use crate::json::{self, Kind, Member, Pos, Value};
use crate::text::push_decimal;

/// `$.a.b` for identifier keys, `$["weird key"]` for others.
pub(super) fn member_path(parent: &str, key: &str) -> String {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut path = String::with_capacity(parent.len() + key.len() + 4);
    path.push_str(parent);
    if identifier {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        json::write_str(&mut path, key);
        path.push(']');
    }
    path
}

/// `$.list[3]`.
pub(super) fn item_path(parent: &str, index: usize) -> String {
    let mut path = String::with_capacity(parent.len() + 6);
    path.push_str(parent);
    path.push('[');
    push_decimal(&mut path, index as u64);
    path.push(']');
    path
}

/// Where a problem found in an object is, relative to that object.
#[derive(Clone, Copy)]
pub(super) enum Spot<'a> {
    /// The object itself (a missing field).
    Object,
    /// The member with this key.
    Field(&'a str),
    /// Item `index` of the list in the member with this key.
    Item(&'a str, usize),
}

impl Spot<'_> {
    /// The JSON path of this spot in the object at `parent`.
    pub(super) fn path(self, parent: &str) -> String {
        match self {
            Spot::Object => parent.to_string(),
            Spot::Field(key) => member_path(parent, key),
            Spot::Item(key, index) => item_path(&member_path(parent, key), index),
        }
    }
}

/// One problem found in an object.
pub(super) struct Found<'a> {
    /// Where in the source.
    pub pos: Pos,
    /// Where in the object.
    pub spot: Spot<'a>,
    /// What is wrong.
    pub issue: Issue,
}

/// An object's members, the first of each key, and a problem for each
/// repeated key (which JSON readers silently resolve, each differently).
pub(super) fn members(all: &[Member]) -> (Vec<&Member>, Vec<Found<'_>>) {
    // Keys are compared with the first TRACKED_KEYS distinct ones only, so a
    // hostile object of a million keys costs linear time. No object has more
    // valid keys than that (at most 100 languages, 38 text keys, 13 fields),
    // so one with more has an invalid key, which is reported: an untracked
    // repeat can never make an invalid catalogue pass.
    const TRACKED_KEYS: usize = 128;
    let mut first_at: Vec<(&str, Pos)> = Vec::new();
    let mut members = Vec::with_capacity(all.len());
    let mut repeats = Vec::new();
    for m in all {
        match first_at.iter().find(|(k, _)| *k == m.key) {
            Some(&(_, first)) => repeats.push(Found {
                pos: m.key_pos,
                spot: Spot::Field(&m.key),
                issue: Issue::RepeatedKey {
                    key: detail(|| m.key.clone()),
                    first,
                },
            }),
            None => {
                if first_at.len() < TRACKED_KEYS {
                    first_at.push((&m.key, m.key_pos));
                }
                members.push(m);
            }
        }
    }
    (members, repeats)
}

/// An object's members that are known fields with valid values, plus the
/// names of every known field present (valid or not).
pub(super) struct Fields<'a> {
    valid: Vec<(&'static str, &'a Value)>,
    present: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    /// The valid value of a field.
    pub(super) fn get(&self, name: &str) -> Option<&'a Value> {
        self.valid.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The valid string of a field.
    pub(super) fn str(&self, name: &str) -> Option<&'a str> {
        self.get(name).and_then(Value::as_str)
    }

    /// A valid `true`.
    pub(super) fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The items of a valid list (empty when absent or invalid).
    pub(super) fn items(&self, name: &str) -> &'a [Value] {
        self.get(name).and_then(Value::as_array).unwrap_or_default()
    }

    /// Whether the field is given at all.
    pub(super) fn is_present(&self, name: &str) -> bool {
        self.present.contains(&name)
    }
}

/// The catalogue's `revision`, from its valid top-level fields.
pub(super) fn revision(top: &Fields) -> Option<u32> {
    let n = top.get("revision")?.as_u64()?;
    u32::try_from(n).ok()
}

/// The catalogue's `consent_days`, [`DEFAULT_CONSENT_DAYS`] when absent.
pub(super) fn consent_days(top: &Fields) -> Option<u32> {
    match top.get("consent_days").and_then(Value::as_u64) {
        Some(days) => u32::try_from(days).ok(),
        None => Some(DEFAULT_CONSENT_DAYS),
    }
}

/// Checks an object against its shape: repeated keys, unknown fields,
/// missing required fields, exactly-one-of groups, and the type and syntax
/// of every known field (list items included, objects in lists excepted:
/// the reader reads those). `Err` when it is not an object at all.
pub(super) fn shaped<'a>(
    v: &'a Value,
    shape: &'static Shape,
) -> Result<(Fields<'a>, Vec<Found<'a>>), Issue> {
    let all = v.as_object().ok_or_else(|| wrong_type(v, "an object"))?;
    let (members, mut found) = members(all);
    let mut fields = Fields {
        valid: Vec::new(),
        present: Vec::new(),
    };
    let mut one_of_given: Vec<&'static str> = Vec::new();
    for m in members {
        let Some(field) = shape.field(&m.key) else {
            let issue = if m.key == "regex" && shape.field("glob").is_some() {
                // Counts as the entry's matcher, so it is not also "missing" one.
                one_of_given.push("regex");
                Issue::Regex {
                    source: detail(|| m.value.as_str().unwrap_or_default().to_string()),
                }
            } else {
                Issue::UnknownField {
                    key: detail(|| m.key.clone()),
                    shape,
                }
            };
            found.push(Found {
                pos: m.key_pos,
                spot: Spot::Field(&m.key),
                issue,
            });
            continue;
        };
        fields.present.push(field.name);
        if field.need == Need::OneOf {
            if let Some(&first) = one_of_given.first() {
                found.push(Found {
                    pos: m.key_pos,
                    spot: Spot::Field(&m.key),
                    issue: Issue::BothGiven {
                        first,
                        second: field.name,
                        shape,
                    },
                });
            }
            one_of_given.push(field.name);
        }
        let usable = match value(&field.ty, &m.value) {
            Err(issue) => {
                found.push(Found {
                    pos: m.value.pos,
                    spot: Spot::Field(&m.key),
                    issue,
                });
                false
            }
            Ok(()) => {
                if let (Ty::List { of, unique, .. }, Some(items)) = (&field.ty, m.value.as_array())
                {
                    item_problems(&mut found, &m.key, items, of, *unique);
                }
                // Usable even with bad items (each reported), so the good
                // ones still take part in cross-checks such as script hosts.
                true
            }
        };
        if usable {
            fields.valid.push((field.name, &m.value));
        }
    }
    for field in shape.fields {
        if field.need == Need::Required && !fields.is_present(field.name) {
            found.push(Found {
                pos: v.pos,
                spot: Spot::Object,
                issue: Issue::Missing {
                    field: field.name,
                    shape,
                },
            });
        }
    }
    if shape.one_of().next().is_some() && one_of_given.is_empty() {
        found.push(Found {
            pos: v.pos,
            spot: Spot::Object,
            issue: Issue::MissingOneOf { shape },
        });
    }
    Ok((fields, found))
}

/// Adds the problems of the items of list `key` to `found`, in order: each
/// item against `of`, then, in a unique list, a valid item given before
/// (case-blind, since language tags and host names are). Lists of objects
/// are left to the reader.
fn item_problems<'a>(
    found: &mut Vec<Found<'a>>,
    key: &'a str,
    items: &'a [Value],
    of: &'static Ty,
    unique: bool,
) {
    if matches!(of, Ty::Object(_)) {
        return;
    }
    // Unique lists are short (at most 100 hosts or languages): each valid
    // item is compared with the valid ones before it.
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let issue = match value(of, item) {
            Err(issue) => issue,
            Ok(()) => {
                let Some(s) = item.as_str().filter(|_| unique) else {
                    continue;
                };
                match seen.iter().find(|(k, _)| k.eq_ignore_ascii_case(s)) {
                    Some(&(_, first)) => Issue::Listed {
                        item: detail(|| s.to_string()),
                        first,
                    },
                    None => {
                        seen.push((s, i));
                        continue;
                    }
                }
            }
        };
        found.push(Found {
            pos: item.pos,
            spot: Spot::Item(key, i),
            issue,
        });
    }
}

/// "Expected …, found …" for `v`.
pub(super) fn wrong_type(v: &Value, expected: &'static str) -> Issue {
    Issue::WrongType {
        expected,
        found: v.kind_name(),
    }
}

/// What is wrong with one value of type `ty` (at the value's position).
/// Objects are only checked to be objects and lists to be lists of the
/// right length: their contents are the caller's.
pub(super) fn value(ty: &'static Ty, v: &Value) -> Result<(), Issue> {
    match ty {
        Ty::Text => text(v).map(drop),
        Ty::Slug => rule(v, syntax::slug),
        Ty::HttpsUrl => rule(v, |s| syntax::https_url(s).map(drop)),
        Ty::Host => rule(v, |s| syntax::host(s).map_err(Fault::Host)),
        Ty::UrlPrefix => rule(v, |s| syntax::url_prefix(s).map(drop)),
        Ty::CookieDomain => rule(v, syntax::cookie_domain),
        Ty::CookiePath => rule(v, syntax::cookie_path),
        Ty::LanguageTag => rule(v, syntax::language_tag),
        Ty::Lifetime => rule(v, |s| syntax::lifetime(s).map(drop)),
        Ty::Integrity => rule(v, syntax::integrity),
        Ty::Glob => rule(v, syntax::glob),
        Ty::Integer { min, max, .. } => integer(v, ty, *min, *max),
        Ty::Bool => match v.as_bool() {
            Some(_) => Ok(()),
            None => Err(wrong_type(v, ty.expected())),
        },
        Ty::Choice(options) => {
            let s = text(v)?;
            if options.contains(&s) {
                Ok(())
            } else {
                Err(Issue::NotAChoice {
                    found: detail(|| s.to_string()),
                    options,
                })
            }
        }
        Ty::Signal => {
            let s = text(v)?;
            match Signal::from_name(s) {
                Some(_) => Ok(()),
                None => Err(Issue::UnknownSignal {
                    found: detail(|| s.to_string()),
                }),
            }
        }
        Ty::List { min, max, .. } => {
            let items = v.as_array().ok_or_else(|| wrong_type(v, "a list"))?;
            if items.len() < *min {
                Err(Issue::EmptyList { min: *min })
            } else if items.len() > *max {
                Err(Issue::TooManyItems {
                    count: items.len(),
                    max: *max,
                })
            } else {
                Ok(())
            }
        }
        Ty::Translatable if v.as_str().is_some() => text(v).map(drop),
        Ty::Localized | Ty::Translatable | Ty::TextsByLanguage | Ty::Object(_) => {
            match v.as_object() {
                Some(_) => Ok(()),
                None => Err(wrong_type(v, ty.expected())),
            }
        }
    }
}

/// A non-empty string within the length limit.
pub(super) fn text(v: &Value) -> Result<&str, Issue> {
    let s = v.as_str().ok_or_else(|| wrong_type(v, "a string"))?;
    if s.trim().is_empty() {
        return Err(Issue::EmptyText);
    }
    let chars = crate::text::char_count(s);
    if chars > MAX_STRING_CHARS {
        return Err(Issue::TooLong { chars });
    }
    Ok(s)
}

/// A text that must also pass `check` (a function pointer, not a generic:
/// one copy of this for every syntax rule, not one each).
#[inline(never)]
fn rule(v: &Value, check: fn(&str) -> Result<(), Fault>) -> Result<(), Issue> {
    let s = text(v)?;
    check(s).map_err(|fault| Issue::Syntax {
        fault,
        value: detail(|| s.to_string()),
    })
}

/// A whole number within `min..=max`.
fn integer(v: &Value, ty: &'static Ty, min: u64, max: u64) -> Result<(), Issue> {
    let Kind::Number(written) = &v.kind else {
        return Err(wrong_type(v, "a whole number"));
    };
    let whole = written
        .strip_prefix("-")
        .unwrap_or(written)
        .bytes()
        .all(|b| b.is_ascii_digit());
    match v.as_u64() {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        _ if whole => Err(Issue::OutOfRange {
            written: detail(|| written.clone()),
            ty,
        }),
        _ => Err(Issue::NotWhole {
            written: detail(|| written.clone()),
        }),
    }
}

/// What `languages` and the keys of `texts` say, worked out first so a
/// mismatch between them is reported once, not in every object of texts.
pub(super) struct Languages {
    /// The valid, distinct declared tags, in order.
    pub declared: Vec<String>,
    /// Whether `texts` has an entry for every declared tag.
    pub all_written: bool,
    /// Declared tags that `texts` has no entry for (for the collecting
    /// reader's knock-on rules).
    #[cfg(not(target_arch = "wasm32"))]
    pub unwritten: Vec<String>,
    /// Keys of `texts` that are not declared (for the collecting reader's
    /// knock-on rules and `check`'s words: the strict reader stops before).
    pub unclaimed: Detail<Vec<String>>,
    /// Some entry of `languages` is not a valid tag (reported there), so a
    /// text in an undeclared language is most likely meant for it.
    pub bad_tag: bool,
}

/// What `languages` declares and how the keys of `texts` compare, even when
/// some tags are not valid, so texts can still be checked against the rest.
pub(super) fn languages(root: &Value) -> Option<Languages> {
    let tags = root
        .get("languages")?
        .as_array()
        .filter(|t| t.len() <= MAX_LANGUAGES)?;
    let mut declared: Vec<String> = Vec::new();
    let mut bad_tag = false;
    for tag in tags {
        match tag.as_str().filter(|t| syntax::language_tag(t).is_ok()) {
            Some(tag) if !declared.iter().any(|d| d.eq_ignore_ascii_case(tag)) => {
                declared.push(tag.to_string());
            }
            Some(_) => {}
            None => bad_tag = true,
        }
    }
    if declared.is_empty() {
        return None;
    }
    // The members of `texts` themselves: no list of their keys is built.
    let written = root
        .get("texts")
        .and_then(Value::as_object)
        .unwrap_or_default();
    let is_written = |tag: &String| written.iter().any(|m| m.key == *tag);
    let all_written = declared.iter().all(is_written);
    #[cfg(not(target_arch = "wasm32"))]
    let unwritten = declared
        .iter()
        .filter(|d| !is_written(d))
        .cloned()
        .collect();
    let unclaimed = detail(|| {
        written
            .iter()
            .filter(|m| !declared.contains(&m.key))
            .map(|m| m.key.clone())
            .collect()
    });
    Some(Languages {
        declared,
        all_written,
        #[cfg(not(target_arch = "wasm32"))]
        unwritten,
        unclaimed,
        bad_tag,
    })
}

/// The valid Consent Mode types of a list.
pub(super) fn signals(items: &[Value]) -> Vec<Signal> {
    let mut out = Vec::new();
    for v in items {
        if let Some(signal) = v.as_str().and_then(Signal::from_name) {
            out.push(signal);
        }
    }
    out
}

/// What a cookie or storage entry matches; `None` unless exactly one of
/// `name`, `prefix`, `glob` is given and valid.
pub(super) fn matcher(o: &Fields) -> Option<Matcher> {
    let given = ["name", "prefix", "glob"]
        .iter()
        .filter(|n| o.is_present(n))
        .count();
    if given != 1 {
        return None;
    }
    if let Some(name) = o.str("name") {
        return Some(Matcher::Exact(name.to_string()));
    }
    if let Some(prefix) = o.str("prefix") {
        return Some(Matcher::Prefix(prefix.to_string()));
    }
    o.str("glob").map(|glob| Matcher::Glob(glob.to_string()))
}
