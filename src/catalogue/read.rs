//! Turns a parsed JSON document into a checked [`Catalogue`], collecting
//! every problem rather than stopping at the first, and leaving out the ones
//! that only follow from another (one wrong language tag is one problem, not
//! one per object of texts). Field names, types, required fields and limits
//! come from the tables in [`super::fields`]. The same reader runs in the
//! browser and in `cookiegate check`; problems are [`Issue`] data, worded
//! elsewhere.

use super::fields::{
    Need, Shape, Ty, CATALOGUE, CATEGORY, COOKIE, DEFAULT_CONSENT_DAYS, MAX_ENTRIES, MAX_LANGUAGES,
    MAX_PROBLEMS, MAX_STRING_CHARS, SCRIPT, SERVICE, STORAGE_KEY,
};
use super::problem::{IdOf, Issue};
use super::syntax::{self, Fault};
use super::{
    Catalogue, Category, CookieSpec, Localized, Matcher, Party, Problem, ScriptSpec, Service,
    Signal, StorageKind, StorageSpec, TextKey, Texts,
};
use crate::json::{self, Kind, Member, Pos, Value};
use crate::text::push_decimal;

/// Reads and checks the whole document, collecting every problem.
pub(super) fn read(root: &Value) -> Result<Catalogue, Vec<Problem>> {
    let mut reader = Reader::default();
    let catalogue = reader.catalogue(root);
    let mut problems = reader.problems;
    if reader.unreported > 0 {
        let last = problems.last().map(|p| p.pos).unwrap_or(root.pos);
        problems.push(Problem {
            pos: last,
            path: "$".into(),
            issue: Issue::MoreProblems {
                count: reader.unreported,
            },
        });
    }
    match catalogue {
        Some(catalogue) if problems.is_empty() => Ok(catalogue),
        // Every path that yields no catalogue reports why; this guards that promise.
        None if problems.is_empty() => Err(vec![Problem {
            pos: root.pos,
            path: "$".into(),
            issue: Issue::Unreadable,
        }]),
        _ => Err(problems),
    }
}

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

/// A category whose id is valid, remembered even when something else about
/// it is wrong, so its services are not also told it does not exist.
#[derive(Clone)]
struct KnownCategory {
    id: String,
    id_pos: Pos,
    required: bool,
    consent_mode: Vec<Signal>,
}

/// What `languages` and the keys of `texts` say, worked out first so a
/// mismatch between them is reported once, not in every object of texts.
struct Languages {
    /// The valid, distinct declared tags, in order.
    declared: Vec<String>,
    /// Declared tags that `texts` has no entry for.
    unwritten: Vec<String>,
    /// Keys of `texts` that are not declared.
    unclaimed: Vec<String>,
    /// Some entry of `languages` is not a valid tag (reported there), so a
    /// text in an undeclared language is most likely meant for it.
    bad_tag: bool,
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    /// `None` while `languages` is unusable, which skips the checks that
    /// every text covers them.
    languages: Option<Languages>,
    categories: Vec<KnownCategory>,
    service_ids: Vec<(String, Pos)>,
    /// Each URL prefix read so far and the id of the service claiming it.
    url_prefixes: Vec<(String, String)>,
    /// Cookies and storage keys read so far, against [`MAX_ENTRIES`].
    entries: usize,
    /// Problems found beyond [`MAX_PROBLEMS`].
    unreported: usize,
}

/// An object's members that are known fields with valid values, plus the
/// names of every known field present (valid or not).
struct Obj<'a> {
    path: String,
    valid: Vec<(&'static str, &'a Value)>,
    present: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.valid.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    fn str(&self, name: &str) -> Option<&'a str> {
        self.get(name).and_then(Value::as_str)
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    fn items(&self, name: &str) -> &'a [Value] {
        self.get(name).and_then(Value::as_array).unwrap_or_default()
    }

    fn is_present(&self, name: &str) -> bool {
        self.present.contains(&name)
    }

    fn path(&self, name: &str) -> String {
        member_path(&self.path, name)
    }
}

impl Reader {
    /// Records a problem in source order (inserted where it belongs rather
    /// than sorted at the end: no sort routine in the wasm for at most
    /// [`MAX_PROBLEMS`] problems).
    fn report(&mut self, pos: Pos, path: &str, issue: Issue) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.unreported += 1;
            return;
        }
        let place = (pos.line, pos.column);
        let at = self
            .problems
            .partition_point(|p| (p.pos.line, p.pos.column) <= place);
        let problem = Problem {
            pos,
            path: path.to_string(),
            issue,
        };
        self.problems.insert(at, problem);
    }

    fn wrong_type(&mut self, v: &Value, path: &str, expected: &'static str) {
        let found = v.kind_name();
        self.report(v.pos, path, Issue::WrongType { expected, found });
    }

    fn catalogue(&mut self, root: &Value) -> Option<Catalogue> {
        if root.as_object().is_none() {
            let found = root.kind_name();
            self.report(root.pos, "$", Issue::NotAnObject { found });
            return None;
        }
        self.languages = languages(root);
        let top = self.shaped(root, "$", &CATALOGUE)?;
        let texts = top
            .get("texts")
            .and_then(|v| self.texts(v, &top.path("texts")));
        let categories_path = top.path("categories");
        let categories: Vec<Category> = top
            .items("categories")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.category(v, &item_path(&categories_path, i)))
            .collect();
        let services_path = top.path("services");
        let services: Vec<Service> = top
            .items("services")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.service(v, &item_path(&services_path, i)))
            .collect();
        let revision = top
            .get("revision")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let consent_days = match top.get("consent_days").and_then(Value::as_u64) {
            Some(days) => u32::try_from(days).ok(),
            None => Some(DEFAULT_CONSENT_DAYS),
        };
        Some(Catalogue {
            revision: revision?,
            consent_days: consent_days?,
            policy_url: top.str("policy_url")?.to_string(),
            languages: self.languages.as_ref()?.declared.clone(),
            texts: texts?,
            categories,
            services,
        })
    }

    /// An object's members, the first of each key; reports a wrong type and
    /// repeated keys (which JSON readers silently resolve, each differently).
    fn members<'a>(
        &mut self,
        v: &'a Value,
        path: &str,
        expected: &'static str,
    ) -> Option<Vec<&'a Member>> {
        let Some(all) = v.as_object() else {
            self.wrong_type(v, path, expected);
            return None;
        };
        // Keys are compared with the first TRACKED_KEYS distinct ones only,
        // so a hostile object of a million keys costs linear time. No object
        // has more valid keys than that (at most 100 languages, 38 text keys,
        // 13 fields), so one with more has an invalid key, which is reported:
        // an untracked repeat can never make an invalid catalogue pass.
        const TRACKED_KEYS: usize = 128;
        let mut first_at: Vec<(&str, Pos)> = Vec::new();
        let mut members = Vec::with_capacity(all.len());
        for m in all {
            match first_at.iter().find(|(k, _)| *k == m.key) {
                Some(&(_, first)) => {
                    let issue = Issue::RepeatedKey {
                        key: m.key.clone(),
                        first,
                    };
                    self.report(m.key_pos, &member_path(path, &m.key), issue);
                }
                None => {
                    if first_at.len() < TRACKED_KEYS {
                        first_at.push((&m.key, m.key_pos));
                    }
                    members.push(m);
                }
            }
        }
        Some(members)
    }

    /// Checks an object against its shape: unknown fields, missing required
    /// fields, exactly-one-of groups, and the type and syntax of every known
    /// field.
    fn shaped<'a>(&mut self, v: &'a Value, path: &str, shape: &'static Shape) -> Option<Obj<'a>> {
        let members = self.members(v, path, "an object")?;
        let mut obj = Obj {
            path: path.to_string(),
            valid: Vec::new(),
            present: Vec::new(),
        };
        let mut one_of_given: Vec<&'static str> = Vec::new();
        for m in members {
            let field_path = member_path(path, &m.key);
            let Some(field) = shape.field(&m.key) else {
                let issue = if m.key == "regex" && shape.field("glob").is_some() {
                    // Counts as the entry's matcher, so it is not also "missing" one.
                    one_of_given.push("regex");
                    Issue::Regex {
                        source: m.value.as_str().unwrap_or_default().to_string(),
                    }
                } else {
                    Issue::UnknownField {
                        key: m.key.clone(),
                        shape,
                    }
                };
                self.report(m.key_pos, &field_path, issue);
                continue;
            };
            obj.present.push(field.name);
            if field.need == Need::OneOf {
                if let Some(&first) = one_of_given.first() {
                    let issue = Issue::BothGiven {
                        first,
                        second: field.name,
                        shape,
                    };
                    self.report(m.key_pos, &field_path, issue);
                }
                one_of_given.push(field.name);
            }
            if self.check(&field.ty, &m.value, &field_path) {
                obj.valid.push((field.name, &m.value));
            }
        }
        for field in shape.fields {
            if field.need == Need::Required && !obj.is_present(field.name) {
                let issue = Issue::Missing {
                    field: field.name,
                    shape,
                };
                self.report(v.pos, path, issue);
            }
        }
        if shape.one_of().next().is_some() && one_of_given.is_empty() {
            self.report(v.pos, path, Issue::MissingOneOf { shape });
        }
        Some(obj)
    }

    /// Checks one value against its type from the field tables; returns
    /// whether it is usable. Objects are only checked to be objects: their
    /// contents are read by the caller. Lists of the right size are usable
    /// even when some items are not; callers keep only the valid items.
    fn check(&mut self, ty: &'static Ty, v: &Value, path: &str) -> bool {
        match ty {
            Ty::Text => self.text(v, path).is_some(),
            Ty::Slug => self.syntax(v, path, syntax::slug),
            Ty::HttpsUrl => self.syntax(v, path, |s| syntax::https_url(s).map(drop)),
            Ty::Host => self.syntax(v, path, |s| syntax::host(s).map_err(Fault::Host)),
            Ty::UrlPrefix => self.syntax(v, path, |s| syntax::url_prefix(s).map(drop)),
            Ty::CookieDomain => self.syntax(v, path, syntax::cookie_domain),
            Ty::CookiePath => self.syntax(v, path, syntax::cookie_path),
            Ty::LanguageTag => self.syntax(v, path, syntax::language_tag),
            Ty::Lifetime => self.syntax(v, path, |s| syntax::lifetime(s).map(drop)),
            Ty::Integrity => self.syntax(v, path, syntax::integrity),
            Ty::Glob => self.syntax(v, path, syntax::glob),
            Ty::Integer { .. } => self.integer(v, path, ty),
            Ty::Bool => {
                let ok = v.as_bool().is_some();
                if !ok {
                    self.wrong_type(v, path, ty.expected());
                }
                ok
            }
            Ty::Choice(options) => {
                let Some(s) = self.text(v, path) else {
                    return false;
                };
                let ok = options.contains(&s);
                if !ok {
                    let found = s.to_string();
                    let options = *options;
                    self.report(v.pos, path, Issue::NotAChoice { found, options });
                }
                ok
            }
            Ty::Signal => {
                let Some(s) = self.text(v, path) else {
                    return false;
                };
                let ok = Signal::from_name(s).is_some();
                if !ok {
                    let found = s.to_string();
                    self.report(v.pos, path, Issue::UnknownSignal { found });
                }
                ok
            }
            Ty::List {
                of,
                min,
                max,
                unique,
            } => self.list(v, path, of, *min, *max, *unique),
            Ty::Translatable if v.as_str().is_some() => self.text(v, path).is_some(),
            Ty::Localized | Ty::Translatable | Ty::TextsByLanguage | Ty::Object(_) => {
                let ok = v.as_object().is_some();
                if !ok {
                    self.wrong_type(v, path, ty.expected());
                }
                ok
            }
        }
    }

    /// A non-empty string within the length limit.
    fn text<'a>(&mut self, v: &'a Value, path: &str) -> Option<&'a str> {
        let Some(s) = v.as_str() else {
            self.wrong_type(v, path, "a string");
            return None;
        };
        if s.trim().is_empty() {
            self.report(v.pos, path, Issue::EmptyText);
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_STRING_CHARS {
            self.report(v.pos, path, Issue::TooLong { chars });
            return None;
        }
        Some(s)
    }

    /// A text that must also pass `rule`.
    fn syntax(&mut self, v: &Value, path: &str, rule: impl Fn(&str) -> Result<(), Fault>) -> bool {
        let Some(s) = self.text(v, path) else {
            return false;
        };
        match rule(s) {
            Ok(()) => true,
            Err(fault) => {
                let value = s.to_string();
                self.report(v.pos, path, Issue::Syntax { fault, value });
                false
            }
        }
    }

    fn integer(&mut self, v: &Value, path: &str, ty: &'static Ty) -> bool {
        let (Kind::Number(written), Ty::Integer { min, max, .. }) = (&v.kind, ty) else {
            self.wrong_type(v, path, "a whole number");
            return false;
        };
        let whole = written
            .strip_prefix('-')
            .unwrap_or(written)
            .bytes()
            .all(|b| b.is_ascii_digit());
        let issue = match v.as_u64() {
            Some(n) if (*min..=*max).contains(&n) => return true,
            _ if whole => Issue::OutOfRange {
                written: written.clone(),
                ty,
            },
            _ => Issue::NotWhole {
                written: written.clone(),
            },
        };
        self.report(v.pos, path, issue);
        false
    }

    fn list(
        &mut self,
        v: &Value,
        path: &str,
        of: &'static Ty,
        min: usize,
        max: usize,
        unique: bool,
    ) -> bool {
        let Some(items) = v.as_array() else {
            self.wrong_type(v, path, "a list");
            return false;
        };
        if items.len() < min {
            self.report(v.pos, path, Issue::EmptyList { min });
            return false;
        }
        if items.len() > max {
            let count = items.len();
            self.report(v.pos, path, Issue::TooManyItems { count, max });
            return false;
        }
        if matches!(of, Ty::Object(_)) {
            return true;
        }
        // Unique lists are short (at most 100 hosts or languages).
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = item_path(path, i);
            if !self.check(of, item, &item_path) {
                continue;
            }
            let Some(s) = item.as_str().filter(|_| unique) else {
                continue;
            };
            // Case-blind, since language tags and host names are.
            let lower = s.to_ascii_lowercase();
            match seen.iter().find(|(k, _)| *k == lower) {
                Some(&(_, first)) => {
                    let issue = Issue::Listed {
                        item: s.to_string(),
                        first,
                    };
                    self.report(item.pos, &item_path, issue);
                }
                None => seen.push((lower, i)),
            }
        }
        // Usable even with bad items (each reported), so the good ones still
        // take part in cross-checks such as script hosts and Consent Mode.
        true
    }

    /// An object of texts by declared language, covering every one.
    fn localized(&mut self, v: &Value, path: &str) -> Option<Localized> {
        let members = self.members(v, path, Ty::Localized.expected())?;
        let mut pairs = Vec::with_capacity(members.len());
        let mut ok = true;
        let mut undeclared = Vec::new();
        for m in &members {
            let text_path = member_path(path, &m.key);
            if let Some(languages) = &self.languages {
                if !languages.declared.contains(&m.key) {
                    // A knock-on of a language problem reported once elsewhere.
                    let knock_on = languages.bad_tag || languages.unclaimed.contains(&m.key);
                    if !knock_on {
                        let issue = Issue::UndeclaredLanguage {
                            lang: m.key.clone(),
                            declared: languages.declared.clone(),
                        };
                        undeclared.push((m.key_pos, text_path, issue));
                    }
                    ok = false;
                    continue;
                }
            }
            match self.text(&m.value, &text_path) {
                Some(s) => pairs.push((m.key.clone(), s.to_string())),
                None => ok = false,
            }
        }
        for (pos, path, issue) in undeclared {
            self.report(pos, &path, issue);
        }
        let missing: Vec<String> = self
            .languages
            .iter()
            .flat_map(|l| l.declared.iter().filter(|d| !l.unwritten.contains(d)))
            .filter(|lang| !members.iter().any(|m| m.key == **lang))
            .cloned()
            .collect();
        for lang in missing {
            self.report(v.pos, path, Issue::MissingLanguage { lang });
            ok = false;
        }
        ok.then_some(Localized(pairs))
    }

    /// A localized field: its texts, empty when absent, `None` when invalid.
    fn localized_field(&mut self, o: &Obj, name: &str) -> Option<Localized> {
        match o.get(name) {
            Some(v) => self.localized(v, &o.path(name)),
            None if o.is_present(name) => None,
            None => Some(Localized::default()),
        }
    }

    /// A translatable field: one text for every language, or its texts by
    /// language; `Some(None)` when absent, `None` when invalid.
    fn translatable_field(&mut self, o: &Obj, name: &str) -> Option<Option<Localized>> {
        match o.get(name) {
            Some(v) => match v.as_str() {
                Some(same) => Some(Some(Localized::from(same))),
                None => self.localized(v, &o.path(name)).map(Some),
            },
            None if o.is_present(name) => None,
            None => Some(None),
        }
    }

    /// `texts`: one object per declared language, in `languages` order.
    fn texts(&mut self, v: &Value, path: &str) -> Option<Vec<Texts>> {
        let members = self.members(v, path, "an object")?;
        let mut read = Vec::with_capacity(members.len());
        for m in &members {
            let lang_path = member_path(path, &m.key);
            if let Some(languages) = &self.languages {
                if !languages.declared.contains(&m.key) {
                    // When a declared tag is wrong or has no texts, these
                    // texts are most likely the ones meant for it: that one
                    // problem is reported instead.
                    let knock_on = languages.bad_tag || !languages.unwritten.is_empty();
                    if !knock_on {
                        let issue = Issue::UndeclaredTexts {
                            lang: m.key.clone(),
                            declared: languages.declared.clone(),
                        };
                        self.report(m.key_pos, &lang_path, issue);
                    }
                    continue;
                }
            }
            read.push(self.ui_texts(&m.value, &lang_path, &m.key));
        }
        let languages = self.languages.as_ref()?;
        let mut ordered = Vec::with_capacity(languages.declared.len());
        let mut missing = Vec::new();
        for lang in &languages.declared {
            match read.iter().flatten().find(|t| t.lang == *lang) {
                Some(texts) => ordered.push(texts.clone()),
                None if members.iter().any(|m| m.key == *lang) => {}
                None => missing.push(Issue::MissingTexts {
                    lang: lang.clone(),
                    unclaimed: languages.unclaimed.clone(),
                }),
            }
        }
        let complete = ordered.len() == languages.declared.len();
        for issue in missing {
            self.report(v.pos, path, issue);
        }
        complete.then_some(ordered)
    }

    /// One language's UI texts: every [`TextKey`], nothing else.
    fn ui_texts(&mut self, v: &Value, path: &str, lang: &str) -> Option<Texts> {
        let members = self.members(v, path, "an object of the banner's texts")?;
        let names = TextKey::ALL.map(TextKey::as_str);
        let mut values: Vec<Option<String>> = vec![None; names.len()];
        let mut present = vec![false; names.len()];
        for m in members {
            let text_path = member_path(path, &m.key);
            let Some(index) = names.iter().position(|n| *n == m.key) else {
                let issue = Issue::UnknownTextKey { key: m.key.clone() };
                self.report(m.key_pos, &text_path, issue);
                continue;
            };
            if let Some(flag) = present.get_mut(index) {
                *flag = true;
            }
            let text = self.text(&m.value, &text_path).map(str::to_string);
            if let Some(slot) = values.get_mut(index) {
                *slot = text;
            }
        }
        for (key, given) in names.iter().zip(&present) {
            if !given {
                let lang = lang.to_string();
                self.report(v.pos, path, Issue::MissingTextKey { key, lang });
            }
        }
        Some(Texts {
            lang: lang.to_string(),
            values: values.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    fn category(&mut self, v: &Value, path: &str) -> Option<Category> {
        let o = self.shaped(v, path, &CATEGORY)?;
        let title = self.localized_field(&o, "title");
        let description = self.localized_field(&o, "description");
        let required = o.flag("required");
        let gpc_opt_out = o.flag("gpc_opt_out");
        let consent_mode = signals(o.items("consent_mode"));
        if let (true, Some(gpc)) = (required, o.get("gpc_opt_out").filter(|_| gpc_opt_out)) {
            self.report(gpc.pos, &o.path("gpc_opt_out"), Issue::GpcOnRequired);
        }
        let id = o.str("id");
        if let (Some(id), Some(id_value)) = (id, o.get("id")) {
            match self.categories.iter().find(|c| c.id == id) {
                Some(first) => {
                    let issue = Issue::DuplicateId {
                        id: id.to_string(),
                        of: IdOf::Category,
                        first_line: first.id_pos.line,
                    };
                    self.report(id_value.pos, &o.path("id"), issue);
                }
                None => self.categories.push(KnownCategory {
                    id: id.to_string(),
                    id_pos: id_value.pos,
                    required,
                    consent_mode: consent_mode.clone(),
                }),
            }
        }
        Some(Category {
            id: id?.to_string(),
            required,
            title: title?,
            description: description?,
            consent_mode,
            gpc_opt_out,
        })
    }

    fn service(&mut self, v: &Value, path: &str) -> Option<Service> {
        let o = self.shaped(v, path, &SERVICE)?;
        let id = o.str("id");
        if let (Some(id), Some(id_value)) = (id, o.get("id")) {
            // At most MAX_SERVICES (2,000) services are read.
            match self.service_ids.iter().find(|(k, _)| k == id) {
                Some((_, first)) => {
                    let issue = Issue::DuplicateId {
                        id: id.to_string(),
                        of: IdOf::Service,
                        first_line: first.line,
                    };
                    self.report(id_value.pos, &o.path("id"), issue);
                }
                None => self.service_ids.push((id.to_string(), id_value.pos)),
            }
        }
        let category = self.service_category(&o);
        let hosts: Vec<String> = o
            .items("hosts")
            .iter()
            .filter_map(Value::as_str)
            .filter(|h| syntax::host(h).is_ok())
            .map(String::from)
            .collect();
        let urls = self.url_prefixes(&o, &hosts, id.unwrap_or_default());
        let consent_mode = signals(o.items("consent_mode"));
        if let Some(category) = &category {
            self.check_granted(&o, category);
            let needs_justification =
                category.required && !hosts.is_empty() && !o.is_present("justification");
            if needs_justification {
                let issue = Issue::NeedsJustification {
                    category: category.id.clone(),
                };
                self.report(v.pos, path, issue);
            }
        }
        let name = self.translatable_field(&o, "name");
        let provider = self.translatable_field(&o, "provider");
        let purpose = self.localized_field(&o, "purpose");
        let third_country = self.translatable_field(&o, "third_country");
        let scripts_path = o.path("scripts");
        let scripts = o
            .items("scripts")
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.script(s, &item_path(&scripts_path, i), &hosts))
            .collect();
        let cookies = self.entries_of(&o, "cookies", Reader::cookie);
        let storage = self.entries_of(&o, "storage", Reader::storage_key);
        Some(Service {
            id: id?.to_string(),
            category: category?.id,
            name: name??,
            provider: provider??,
            purpose: purpose?,
            policy_url: o.str("policy_url")?.to_string(),
            hosts,
            urls,
            scripts,
            consent_mode,
            third_country: third_country?,
            justification: o.str("justification").map(String::from),
            cookies,
            storage,
        })
    }

    /// A service's valid URL prefixes. Each must be on one of its `hosts`
    /// and claimed by no other service: a URL belongs to one owner.
    fn url_prefixes(&mut self, o: &Obj, hosts: &[String], service: &str) -> Vec<String> {
        let list_path = o.path("urls");
        let mut out = Vec::new();
        for (i, item) in o.items("urls").iter().enumerate() {
            let Some(prefix) = item.as_str() else {
                continue;
            };
            let Ok(host) = syntax::url_prefix(prefix) else {
                continue;
            };
            if !hosts.iter().any(|h| h == host) {
                let issue = Issue::PrefixHostNotListed {
                    host: host.to_string(),
                };
                self.report(item.pos, &item_path(&list_path, i), issue);
                continue;
            }
            let claimed = self.url_prefixes.iter().find(|(p, _)| p == prefix);
            if let Some((_, other)) = claimed.filter(|(_, o)| o != service) {
                let issue = Issue::PrefixClaimed {
                    prefix: prefix.to_string(),
                    other: other.clone(),
                };
                self.report(item.pos, &item_path(&list_path, i), issue);
                continue;
            }
            self.url_prefixes
                .push((prefix.to_string(), service.to_string()));
            out.push(prefix.to_string());
        }
        out
    }

    /// The service's category, reporting one that is not defined.
    fn service_category(&mut self, o: &Obj) -> Option<KnownCategory> {
        let (name, value) = (o.str("category")?, o.get("category")?);
        if let Some(known) = self.categories.iter().find(|c| c.id == name) {
            return Some(known.clone());
        }
        let issue = Issue::UndefinedCategory {
            name: name.to_string(),
            known: self.categories.iter().map(|c| c.id.clone()).collect(),
        };
        self.report(value.pos, &o.path("category"), issue);
        None
    }

    /// Each Consent Mode type a service needs must be granted by its category.
    fn check_granted(&mut self, o: &Obj, category: &KnownCategory) {
        let list_path = o.path("consent_mode");
        for (i, item) in o.items("consent_mode").iter().enumerate() {
            let Some(signal) = item.as_str().and_then(Signal::from_name) else {
                continue;
            };
            // security_storage is always granted, whatever the category says.
            if signal == Signal::SecurityStorage || category.consent_mode.contains(&signal) {
                continue;
            }
            let issue = Issue::NotGranted {
                signal,
                category: category.id.clone(),
            };
            self.report(item.pos, &item_path(&list_path, i), issue);
        }
    }

    fn script(&mut self, v: &Value, path: &str, hosts: &[String]) -> Option<ScriptSpec> {
        let o = self.shaped(v, path, &SCRIPT)?;
        let src = o.str("src");
        if let (Some(src), Some(src_value)) = (src, o.get("src")) {
            let host = syntax::https_url(src).unwrap_or_default();
            if !hosts.contains(&host) {
                let issue = Issue::ScriptHostNotListed { host };
                self.report(src_value.pos, &o.path("src"), issue);
            }
        }
        Some(ScriptSpec {
            src: src?.to_string(),
            integrity: o.str("integrity").map(String::from),
            is_async: o.flag("async"),
        })
    }

    /// Reads a service's cookies or storage keys, stopping once the whole
    /// catalogue holds more than [`MAX_ENTRIES`].
    fn entries_of<T>(
        &mut self,
        o: &Obj,
        name: &str,
        read: fn(&mut Reader, &Value, &str) -> Option<T>,
    ) -> Vec<T> {
        let list_path = o.path(name);
        let mut out = Vec::new();
        for (i, item) in o.items(name).iter().enumerate() {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                if self.entries == MAX_ENTRIES + 1 {
                    self.report(item.pos, &item_path(&list_path, i), Issue::TooManyEntries);
                }
                break;
            }
            if let Some(entry) = read(self, item, &item_path(&list_path, i)) {
                out.push(entry);
            }
        }
        out
    }

    fn cookie(&mut self, v: &Value, path: &str) -> Option<CookieSpec> {
        let o = self.shaped(v, path, &COOKIE)?;
        let purpose = self.localized_field(&o, "purpose");
        let party = match o.str("party")? {
            "first" => Party::First,
            _ => Party::Third,
        };
        Some(CookieSpec {
            matcher: matcher(&o)?,
            lifetime: syntax::lifetime(o.str("lifetime")?).ok()?,
            party,
            domain: o.str("domain").map(String::from),
            path: o.str("path").unwrap_or("/").to_string(),
            purpose: purpose?,
        })
    }

    fn storage_key(&mut self, v: &Value, path: &str) -> Option<StorageSpec> {
        let o = self.shaped(v, path, &STORAGE_KEY)?;
        let purpose = self.localized_field(&o, "purpose");
        let kind = match o.str("kind")? {
            "local" => StorageKind::Local,
            _ => StorageKind::Session,
        };
        let lifetime = match o.str("lifetime") {
            Some(s) => Some(syntax::lifetime(s).ok()?),
            None => None,
        };
        Some(StorageSpec {
            matcher: matcher(&o)?,
            kind,
            lifetime,
            purpose: purpose?,
        })
    }
}

/// What `languages` declares and how the keys of `texts` compare, even when
/// some tags are not valid, so texts can still be checked against the rest.
fn languages(root: &Value) -> Option<Languages> {
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
    let written: Vec<&str> = root
        .get("texts")
        .and_then(Value::as_object)
        .unwrap_or_default()
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    let unwritten = declared
        .iter()
        .filter(|d| !written.contains(&d.as_str()))
        .cloned()
        .collect();
    let unclaimed = written
        .iter()
        .filter(|w| !declared.iter().any(|d| d == *w))
        .map(|w| w.to_string())
        .collect();
    Some(Languages {
        declared,
        unwritten,
        unclaimed,
        bad_tag,
    })
}

/// The valid Consent Mode types of a list.
fn signals(items: &[Value]) -> Vec<Signal> {
    items
        .iter()
        .filter_map(|v| v.as_str().and_then(Signal::from_name))
        .collect()
}

/// What a cookie or storage entry matches; `None` unless exactly one of
/// `name`, `prefix`, `glob` is given and valid.
fn matcher(o: &Obj) -> Option<Matcher> {
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
