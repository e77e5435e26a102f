//! Turns a parsed JSON document into a checked [`Catalogue`], collecting
//! every problem rather than stopping at the first. Field names, types,
//! required fields and limits come from the tables in [`super::fields`].

use super::fields::{
    Need, Shape, Ty, CATALOGUE, CATEGORY, COOKIE, DEFAULT_CONSENT_DAYS, MAX_ENTRIES, MAX_LANGUAGES,
    MAX_PROBLEMS, MAX_STRING_CHARS, SCRIPT, SERVICE, STORAGE_KEY,
};
use super::suggest::{did_you_mean, quoted_list};
use super::syntax;
use super::{
    Catalogue, Category, CookieSpec, Localized, Matcher, Party, Problem, ScriptSpec, Service,
    Signal, StorageKind, StorageSpec, TextKey, Texts,
};
use crate::json::{self, Kind, Member, Pos, Value};
use std::collections::HashMap;

/// Reads and checks the whole document, collecting every problem.
pub(super) fn read(root: &Value) -> Result<Catalogue, Vec<Problem>> {
    let mut reader = Reader::default();
    let catalogue = reader.catalogue(root);
    let mut problems = reader.problems;
    problems.sort_by_key(|p| (p.pos.line, p.pos.column));
    if reader.unreported > 0 {
        let last = problems.last().map(|p| p.pos).unwrap_or(root.pos);
        problems.push(Problem {
            pos: last,
            path: "$".into(),
            message: format!(
                "{} more problems are not shown; fix these first",
                reader.unreported
            ),
        });
    }
    match catalogue {
        Some(catalogue) if problems.is_empty() => Ok(catalogue),
        // Every path that yields no catalogue reports why; this guards that promise.
        None if problems.is_empty() => Err(vec![Problem {
            pos: root.pos,
            path: "$".into(),
            message: "the catalogue could not be read".into(),
        }]),
        _ => Err(problems),
    }
}

/// `$.a.b` for identifier keys, `$["weird key"]` for others.
fn member_path(parent: &str, key: &str) -> String {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        format!("{parent}.{key}")
    } else {
        let mut path = format!("{parent}[");
        json::write_str(&mut path, key);
        path.push(']');
        path
    }
}

fn item_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// `"a", "b" or "c"`.
fn either(options: &[&str]) -> String {
    match options.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} or \"{last}\"", quoted_list(rest.iter().copied()))
        }
        _ => quoted_list(options.iter().copied()),
    }
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

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    /// The valid declared languages; `None` while `languages` is unusable,
    /// which skips the checks that every text covers them.
    languages: Option<Vec<String>>,
    categories: Vec<KnownCategory>,
    service_ids: HashMap<String, Pos>,
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
    fn report(&mut self, pos: Pos, path: &str, message: impl Into<String>) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.unreported += 1;
            return;
        }
        self.problems.push(Problem {
            pos,
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn wrong_type(&mut self, v: &Value, path: &str, expected: &str) {
        let found = v.kind_name();
        self.report(v.pos, path, format!("expected {expected}, found {found}"));
    }

    fn catalogue(&mut self, root: &Value) -> Option<Catalogue> {
        if root.as_object().is_none() {
            let found = root.kind_name();
            self.report(
                root.pos,
                "$",
                format!("expected an object ({{ … }}) holding the whole catalogue, found {found}"),
            );
            return None;
        }
        self.languages = declared_languages(root);
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
            languages: self.languages.clone()?,
            texts: texts?,
            categories,
            services,
        })
    }

    /// An object's members, the first of each key; reports a wrong type and
    /// repeated keys (which JSON readers silently resolve, each differently).
    fn members<'a>(&mut self, v: &'a Value, path: &str, expected: &str) -> Option<Vec<&'a Member>> {
        let Some(all) = v.as_object() else {
            self.wrong_type(v, path, expected);
            return None;
        };
        let mut first_at: HashMap<&str, Pos> = HashMap::new();
        let mut members = Vec::with_capacity(all.len());
        for m in all {
            match first_at.get(m.key.as_str()) {
                Some(first) => {
                    let message = format!(
                        "\"{}\" is given twice in this object (first at line {}, column {}); keep one",
                        m.key, first.line, first.column
                    );
                    self.report(m.key_pos, &member_path(path, &m.key), message);
                }
                None => {
                    first_at.insert(&m.key, m.key_pos);
                    members.push(m);
                }
            }
        }
        Some(members)
    }

    /// Checks an object against its shape: unknown fields (with a
    /// suggestion), missing required fields, exactly-one-of groups, and the
    /// type and syntax of every known field.
    fn shaped<'a>(&mut self, v: &'a Value, path: &str, shape: &'static Shape) -> Option<Obj<'a>> {
        let members = self.members(v, path, "an object")?;
        let mut obj = Obj {
            path: path.to_string(),
            valid: Vec::new(),
            present: Vec::new(),
        };
        let names = || shape.fields.iter().map(|f| f.name);
        let mut one_of_given: Vec<&str> = Vec::new();
        for m in members {
            let field_path = member_path(path, &m.key);
            let Some(field) = shape.field(&m.key) else {
                let mut hint = did_you_mean(&m.key, names());
                if hint.is_empty() {
                    hint = format!("; {} has {}", shape.noun, quoted_list(names()));
                }
                self.report(
                    m.key_pos,
                    &field_path,
                    format!("unknown field \"{}\"{hint}", m.key),
                );
                continue;
            };
            obj.present.push(field.name);
            if field.need == Need::OneOf {
                if let Some(first) = one_of_given.first() {
                    let message = format!(
                        "give only one of {}: this entry has both \"{first}\" and \"{}\"",
                        either(&shape.one_of().collect::<Vec<_>>()),
                        field.name
                    );
                    self.report(m.key_pos, &field_path, message);
                }
                one_of_given.push(field.name);
            }
            if self.check(&field.ty, &m.value, &field_path) {
                obj.valid.push((field.name, &m.value));
            }
        }
        for field in shape.fields {
            if field.need == Need::Required && !obj.is_present(field.name) {
                let message = format!("missing \"{}\": {} needs one", field.name, shape.noun);
                self.report(v.pos, path, message);
            }
        }
        let one_of: Vec<&str> = shape.one_of().collect();
        if !one_of.is_empty() && one_of_given.is_empty() {
            let message = format!(
                "missing {}: {} is named by exactly one of them",
                either(&one_of),
                shape.noun
            );
            self.report(v.pos, path, message);
        }
        Some(obj)
    }

    /// Checks one value against its type from the field tables; returns
    /// whether it is usable. Objects are only checked to be objects: their
    /// contents are read by the caller. Lists of the right size are usable
    /// even when some items are not; callers keep only the valid items.
    fn check(&mut self, ty: &Ty, v: &Value, path: &str) -> bool {
        match ty {
            Ty::Text => self.text(v, path).is_some(),
            Ty::Slug => self.syntax(v, path, syntax::slug),
            Ty::HttpsUrl => self.syntax(v, path, |s| syntax::https_url(s).map(drop)),
            Ty::Host => self.syntax(v, path, syntax::host),
            Ty::UrlPrefix => self.syntax(v, path, |s| syntax::url_prefix(s).map(drop)),
            Ty::CookieDomain => self.syntax(v, path, syntax::cookie_domain),
            Ty::CookiePath => self.syntax(v, path, syntax::cookie_path),
            Ty::LanguageTag => self.syntax(v, path, syntax::language_tag),
            Ty::Lifetime => self.syntax(v, path, |s| syntax::lifetime(s).map(drop)),
            Ty::Integrity => self.syntax(v, path, syntax::integrity),
            Ty::NamePattern { what } => {
                self.syntax(v, path, |s| syntax::name_pattern(s, what).map(drop))
            }
            Ty::Integer { min, max, why, .. } => self.integer(v, path, *min, *max, why),
            Ty::Bool => {
                let ok = v.as_bool().is_some();
                if !ok {
                    self.wrong_type(v, path, ty.expected());
                }
                ok
            }
            Ty::Choice(options) => self.syntax(v, path, |s| {
                if options.contains(&s) {
                    Ok(())
                } else {
                    let hint = did_you_mean(s, options.iter().copied());
                    Err(format!("expected {}, found \"{s}\"{hint}", either(options)))
                }
            }),
            Ty::Signal => self.syntax(v, path, |s| match Signal::from_name(s) {
                Some(_) => Ok(()),
                None => {
                    let names = Signal::ALL.map(Signal::as_str);
                    let mut hint = did_you_mean(s, names);
                    if hint.is_empty() {
                        hint = format!("; the types are {}", quoted_list(names));
                    }
                    Err(format!("unknown Consent Mode type \"{s}\"{hint}"))
                }
            }),
            Ty::List {
                of,
                min,
                max,
                unique,
            } => self.list(v, path, of, *min, *max, *unique),
            Ty::Localized | Ty::TextsByLanguage | Ty::Object(_) => {
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
            self.report(v.pos, path, "this text is empty; write it");
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_STRING_CHARS {
            let message = format!(
                "this text is {chars} characters long; at most {MAX_STRING_CHARS} are allowed"
            );
            self.report(v.pos, path, message);
            return None;
        }
        Some(s)
    }

    /// A text that must also pass `rule`.
    fn syntax(&mut self, v: &Value, path: &str, rule: impl Fn(&str) -> Result<(), String>) -> bool {
        let Some(s) = self.text(v, path) else {
            return false;
        };
        match rule(s) {
            Ok(()) => true,
            Err(message) => {
                self.report(v.pos, path, message);
                false
            }
        }
    }

    fn integer(&mut self, v: &Value, path: &str, min: u64, max: u64, why: &str) -> bool {
        let Kind::Number(written) = &v.kind else {
            self.wrong_type(v, path, "a whole number");
            return false;
        };
        let message = match v.as_u64() {
            Some(n) if n < min => format!("{n} is less than {min}: {why}"),
            Some(n) if n > max => format!("{n} is more than {max}: {why}"),
            Some(_) => return true,
            None if written.starts_with('-') => format!("{written} is less than {min}: {why}"),
            None if written.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{written} is more than {max}: {why}")
            }
            None => format!(
                "{written} is not a whole number; write it without a decimal point or exponent"
            ),
        };
        self.report(v.pos, path, message);
        false
    }

    fn list(
        &mut self,
        v: &Value,
        path: &str,
        of: &Ty,
        min: usize,
        max: usize,
        unique: bool,
    ) -> bool {
        let Some(items) = v.as_array() else {
            self.wrong_type(v, path, "a list");
            return false;
        };
        if items.len() < min {
            let message = format!("this list is empty; it needs at least {min} item(s)");
            self.report(v.pos, path, message);
            return false;
        }
        if items.len() > max {
            let message = format!(
                "this list has {} items; at most {max} are allowed, to keep the banner fast",
                items.len()
            );
            self.report(v.pos, path, message);
            return false;
        }
        if matches!(of, Ty::Object(_)) {
            return true;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = item_path(path, i);
            if !self.check(of, item, &item_path) {
                continue;
            }
            let Some(s) = item.as_str().filter(|_| unique) else {
                continue;
            };
            // Case-blind, since language tags and host names are.
            if let Some(first) = seen.insert(s.to_ascii_lowercase(), i) {
                let message = format!("\"{s}\" is listed twice (also at [{first}]); keep one");
                self.report(item.pos, &item_path, message);
            }
        }
        // Usable even with bad items (each reported), so the good ones still
        // take part in cross-checks such as script hosts and Consent Mode.
        true
    }

    /// An object of texts by declared language, covering every one.
    fn localized(&mut self, v: &Value, path: &str) -> Option<Localized> {
        let members = self.members(v, path, Ty::Localized.expected())?;
        let languages = self.languages.clone();
        let mut pairs = Vec::with_capacity(members.len());
        let mut ok = true;
        for m in &members {
            let text_path = member_path(path, &m.key);
            if let Some(languages) = &languages {
                if !languages.contains(&m.key) {
                    let hint = did_you_mean(&m.key, languages.iter().map(String::as_str));
                    let message = format!(
                        "text in \"{}\", which is not a declared language{hint}; add it to \"languages\" or remove this text",
                        m.key
                    );
                    self.report(m.key_pos, &text_path, message);
                    ok = false;
                    continue;
                }
            }
            match self.text(&m.value, &text_path) {
                Some(s) => pairs.push((m.key.clone(), s.to_string())),
                None => ok = false,
            }
        }
        for lang in languages.iter().flatten() {
            if !members.iter().any(|m| m.key == *lang) {
                let message = format!("missing text for declared language \"{lang}\"");
                self.report(v.pos, path, message);
                ok = false;
            }
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

    /// `texts`: one object per declared language, in `languages` order.
    fn texts(&mut self, v: &Value, path: &str) -> Option<Vec<Texts>> {
        let members = self.members(v, path, "an object")?;
        let languages = self.languages.clone();
        let mut read = Vec::with_capacity(members.len());
        for m in &members {
            let lang_path = member_path(path, &m.key);
            if let Some(languages) = &languages {
                if !languages.contains(&m.key) {
                    let hint = did_you_mean(&m.key, languages.iter().map(String::as_str));
                    let message = format!(
                        "texts for \"{}\", which is not a declared language{hint}; add it to \"languages\" or remove these texts",
                        m.key
                    );
                    self.report(m.key_pos, &lang_path, message);
                    continue;
                }
            }
            read.push(self.ui_texts(&m.value, &lang_path, &m.key));
        }
        let languages = languages?;
        let mut ordered = Vec::with_capacity(languages.len());
        for lang in &languages {
            match read.iter().flatten().find(|t| t.lang == *lang) {
                Some(texts) => ordered.push(texts.clone()),
                None if members.iter().any(|m| m.key == *lang) => {}
                None => {
                    let message = format!("missing texts for declared language \"{lang}\"");
                    self.report(v.pos, path, message);
                }
            }
        }
        (ordered.len() == languages.len()).then_some(ordered)
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
                let mut hint = did_you_mean(&m.key, names);
                if hint.is_empty() {
                    hint = "; the text keys are listed in policies/README.md".into();
                }
                self.report(
                    m.key_pos,
                    &text_path,
                    format!("unknown text \"{}\"{hint}", m.key),
                );
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
        for (name, given) in names.iter().zip(&present) {
            if !given {
                let message = format!("missing text \"{name}\" for declared language \"{lang}\"");
                self.report(v.pos, path, message);
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
            self.report(
                gpc.pos,
                &o.path("gpc_opt_out"),
                "a required category is always on, so \"gpc_opt_out\" has no effect; remove it or make the category optional",
            );
        }
        let id = o.str("id");
        if let (Some(id), Some(id_value)) = (id, o.get("id")) {
            match self.categories.iter().find(|c| c.id == id) {
                Some(first) => {
                    let message = format!(
                        "the category id \"{id}\" is already used by the category at line {}; ids must be unique",
                        first.id_pos.line
                    );
                    self.report(id_value.pos, &o.path("id"), message);
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
            if let Some(first) = self.service_ids.get(id) {
                let message = format!(
                    "the service id \"{id}\" is already used by the service at line {}; ids must be unique",
                    first.line
                );
                self.report(id_value.pos, &o.path("id"), message);
            } else {
                self.service_ids.insert(id.to_string(), id_value.pos);
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
                let message = format!(
                    "this service is in the required category \"{}\" but sends data to other hosts; add a \"justification\" saying why it is strictly necessary, or move it to an optional category",
                    category.id
                );
                self.report(v.pos, path, message);
            }
        }
        let purpose = self.localized_field(&o, "purpose");
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
            name: o.str("name")?.to_string(),
            provider: o.str("provider")?.to_string(),
            purpose: purpose?,
            policy_url: o.str("policy_url")?.to_string(),
            hosts,
            urls,
            scripts,
            consent_mode,
            third_country: o.str("third_country").map(String::from),
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
                let message = [
                    "the prefix's host \"",
                    host,
                    "\" is not one of this service's \"hosts\"; add it there",
                ]
                .concat();
                self.report(item.pos, &item_path(&list_path, i), message);
                continue;
            }
            let claimed = self.url_prefixes.iter().find(|(p, _)| p == prefix);
            if let Some((_, other)) = claimed.filter(|(_, o)| o != service) {
                let message = [
                    "the service \"",
                    other,
                    "\" already claims the prefix \"",
                    prefix,
                    "\"; a URL belongs to one service, so keep it in one",
                ]
                .concat();
                self.report(item.pos, &item_path(&list_path, i), message);
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
        let ids = || self.categories.iter().map(|c| c.id.as_str());
        let mut hint = did_you_mean(name, ids());
        if hint.is_empty() {
            hint = match self.categories.is_empty() {
                true => "; define it under \"categories\"".into(),
                false => format!("; the categories are {}", quoted_list(ids())),
            };
        }
        let message = format!("category \"{name}\" is not defined{hint}");
        self.report(value.pos, &o.path("category"), message);
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
            let message = format!(
                "\"{}\" is not granted by category \"{}\"; add it to that category's \"consent_mode\" or remove it here",
                signal.as_str(),
                category.id
            );
            self.report(item.pos, &item_path(&list_path, i), message);
        }
    }

    fn script(&mut self, v: &Value, path: &str, hosts: &[String]) -> Option<ScriptSpec> {
        let o = self.shaped(v, path, &SCRIPT)?;
        let src = o.str("src");
        if let (Some(src), Some(src_value)) = (src, o.get("src")) {
            let host = syntax::https_url(src).unwrap_or_default();
            if !hosts.contains(&host) {
                let message = format!(
                    "the script's host \"{host}\" is not one of this service's \"hosts\"; add it there"
                );
                self.report(src_value.pos, &o.path("src"), message);
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
                    let message = format!("the catalogue has more than {MAX_ENTRIES} cookies and storage keys; use prefixes or patterns to cover families of names");
                    self.report(item.pos, &item_path(&list_path, i), message);
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
            matcher: matcher(&o, "cookie")?,
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
            matcher: matcher(&o, "storage key")?,
            kind,
            lifetime,
            purpose: purpose?,
        })
    }
}

/// The valid, distinct language tags of `languages`, even when some others
/// are not, so texts can still be checked against them.
fn declared_languages(root: &Value) -> Option<Vec<String>> {
    let tags = root
        .get("languages")?
        .as_array()
        .filter(|t| t.len() <= MAX_LANGUAGES)?;
    let mut valid: Vec<String> = Vec::new();
    for tag in tags.iter().filter_map(Value::as_str) {
        let fresh = !valid.iter().any(|v| v.eq_ignore_ascii_case(tag));
        if fresh && syntax::language_tag(tag).is_ok() {
            valid.push(tag.to_string());
        }
    }
    (!valid.is_empty()).then_some(valid)
}

/// The valid Consent Mode types of a list.
fn signals(items: &[Value]) -> Vec<Signal> {
    items
        .iter()
        .filter_map(|v| v.as_str().and_then(Signal::from_name))
        .collect()
}

/// What a cookie or storage entry matches; `None` unless exactly one of
/// `name`, `prefix`, `regex` is given and valid.
fn matcher(o: &Obj, what: &str) -> Option<Matcher> {
    let given = ["name", "prefix", "regex"]
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
    let source = o.str("regex")?;
    let compiled = syntax::name_pattern(source, what).ok()?;
    Some(Matcher::Regex {
        source: source.to_string(),
        compiled,
    })
}
