//! Turns a parsed JSON document into a checked [`Catalogue`], collecting
//! every problem rather than stopping at the first, and leaving out the ones
//! that only follow from another (one wrong language tag is one problem, not
//! one per object of texts). Field names, types, required fields and limits
//! come from the tables in [`super::fields`], the checks of each object and
//! value from [`super::rules`], which the browser's strict reader
//! ([`super::strict`]) shares. Native only: `cookiegate check`, `bundle`,
//! `scan` and `records` read with it; problems are [`Issue`] data, worded
//! elsewhere.

use super::fields::{
    Shape, Ty, CATALOGUE, CATEGORY, COOKIE, MAX_ENTRIES, MAX_PROBLEMS, SCRIPT, SERVICE, STORAGE_KEY,
};
use super::problem::{IdOf, Issue};
use super::rules::{
    self, item_path, languages, matcher, member_path, signals, Fields, Found, Languages,
};
use super::syntax;
use super::{
    Catalogue, Category, CookieSpec, Localized, Party, Problem, ScriptSpec, Service, Signal,
    StorageKind, StorageSpec, TextKey, Texts,
};
use crate::json::{Member, Pos, Value};

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

/// An object's valid fields and its path.
struct Obj<'a> {
    path: String,
    fields: Fields<'a>,
}

impl<'a> std::ops::Deref for Obj<'a> {
    type Target = Fields<'a>;

    fn deref(&self) -> &Fields<'a> {
        &self.fields
    }
}

impl Obj<'_> {
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

    /// Reports every problem `rules` found in the object at `path`.
    fn report_found(&mut self, path: &str, found: Vec<Found>) {
        for f in found {
            self.report(f.pos, &f.spot.path(path), f.issue);
        }
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
        Some(Catalogue {
            revision: rules::revision(&top)?,
            consent_days: rules::consent_days(&top)?,
            policy_url: top.str("policy_url")?.to_string(),
            languages: self.languages.as_ref()?.declared.clone(),
            texts: texts?,
            categories,
            services,
        })
    }

    /// An object's members, the first of each key; reports a wrong type and
    /// repeated keys.
    fn members<'a>(
        &mut self,
        v: &'a Value,
        path: &str,
        expected: &'static str,
    ) -> Option<Vec<&'a Member>> {
        let Some(all) = v.as_object() else {
            self.report(v.pos, path, rules::wrong_type(v, expected));
            return None;
        };
        let (members, repeats) = rules::members(all);
        self.report_found(path, repeats);
        Some(members)
    }

    /// Checks an object against its shape ([`rules::shaped`]), reporting
    /// every problem.
    fn shaped<'a>(&mut self, v: &'a Value, path: &str, shape: &'static Shape) -> Option<Obj<'a>> {
        match rules::shaped(v, shape) {
            Err(issue) => {
                self.report(v.pos, path, issue);
                None
            }
            Ok((fields, found)) => {
                self.report_found(path, found);
                Some(Obj {
                    path: path.to_string(),
                    fields,
                })
            }
        }
    }

    /// A non-empty string within the length limit.
    fn text<'a>(&mut self, v: &'a Value, path: &str) -> Option<&'a str> {
        match rules::text(v) {
            Ok(s) => Some(s),
            Err(issue) => {
                self.report(v.pos, path, issue);
                None
            }
        }
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
                    let knock_on = languages.bad_tag || !languages.all_written;
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
            matcher: matcher(&o.fields)?,
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
            matcher: matcher(&o.fields)?,
            kind,
            lifetime,
            purpose: purpose?,
        })
    }
}
