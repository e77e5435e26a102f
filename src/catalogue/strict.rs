//! The reader the browser runs: turns a parsed JSON document into a checked
//! [`Catalogue`] or stops at the first problem, with its place, JSON path
//! and [`Issue`]. It checks each object and value with [`super::rules`], as
//! the collecting reader of `cookiegate check` does, and makes the same
//! cross-checks in the same order; tests hold that the two accept exactly
//! the same documents, read them into the same catalogue, and that the one
//! problem found here is one of those `cookiegate check` reports. Because it
//! stops at the first problem, the knock-on rules of the collecting reader
//! (one wrong language tag is one problem, not one per text) need no state
//! here: by the time a text is read, `languages` and `texts` are valid.

use super::fields::{
    Shape, Ty, CATALOGUE, CATEGORY, COOKIE, MAX_ENTRIES, SCRIPT, SERVICE, STORAGE_KEY,
};
use super::problem::{detail, IdOf, Issue};
use super::rules::{self, item_path, member_path, Fields, Found, Languages};
use super::syntax;
use super::{
    Catalogue, Category, CookieSpec, Localized, Party, Problem, ScriptSpec, Service, StorageKind,
    StorageSpec, TextKey, Texts,
};
use crate::json::{Member, Pos, Value};

/// A value read, or the first problem that keeps the catalogue from
/// loading (boxed: every `?` moves one pointer, not a whole problem).
type Read<T> = Result<T, Box<Problem>>;

/// Where a value is, as a chain back to the root: turned into a JSON path
/// only when there is a problem, so a valid catalogue builds no paths.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Item(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    fn item(&'a self, index: usize) -> At<'a> {
        At::Item(self, index)
    }

    /// `$.services[3].category`.
    fn path(&self) -> String {
        match self {
            At::Root => "$".into(),
            At::Key(parent, key) => member_path(&parent.path(), key),
            At::Item(parent, index) => item_path(&parent.path(), *index),
        }
    }

    fn fail<T>(&self, pos: Pos, issue: Issue) -> Read<T> {
        Err(self.problem(pos, issue))
    }

    // Out of line: a valid catalogue never gets here.
    #[cold]
    #[inline(never)]
    fn problem(&self, pos: Pos, issue: Issue) -> Box<Problem> {
        Box::new(Problem {
            pos,
            path: self.path(),
            issue,
        })
    }

    /// Fails with the first of the problems `rules` found in the object here.
    fn first(&self, mut found: Vec<Found>) -> Read<()> {
        // The first by `pop` after `truncate`: no by-value iterator to drop.
        found.truncate(1);
        match found.pop() {
            Some(f) => {
                let at = self.path();
                Err(Box::new(Problem {
                    pos: f.pos,
                    path: f.spot.path(&at),
                    issue: f.issue,
                }))
            }
            None => Ok(()),
        }
    }
}

/// Something the checks before have made sure of (a required field of an
/// object without problems); should it ever be missing, the catalogue is
/// refused all the same.
/// Inlined, with the refusal out of line: one small copy per call site
/// instead of one function per `T`.
#[inline(always)]
fn sure<T>(value: Option<T>, pos: Pos) -> Read<T> {
    match value {
        Some(value) => Ok(value),
        None => Err(unreadable(pos)),
    }
}

#[cold]
#[inline(never)]
fn unreadable(pos: Pos) -> Box<Problem> {
    At::Root.problem(pos, Issue::Unreadable)
}

/// A required string field of an object without problems, and its value.
fn required_str<'a>(o: &Fields<'a>, name: &str, pos: Pos) -> Read<(&'a str, &'a Value)> {
    let value = sure(o.get(name), pos)?;
    Ok((sure(value.as_str(), pos)?, value))
}

/// The `id` of a category or service, refused when one before has it.
/// At most MAX_SERVICES (2,000) services are compared.
fn claim_id<'a>(
    ids: &mut Vec<(&'a str, Pos)>,
    o: &Fields<'a>,
    pos: Pos,
    of: IdOf,
    at: &At,
) -> Read<&'a str> {
    let (id, id_value) = required_str(o, "id", pos)?;
    if let Some((_, first)) = ids.iter().find(|(k, _)| *k == id) {
        let issue = Issue::DuplicateId {
            id: detail(|| id.to_string()),
            of,
            first_line: first.line,
        };
        return at.key("id").fail(id_value.pos, issue);
    }
    ids.push((id, id_value.pos));
    Ok(id)
}

/// The object's valid fields, or its first problem.
fn shaped<'a>(v: &'a Value, at: &At, shape: &'static Shape) -> Read<Fields<'a>> {
    let (fields, found) = match rules::shaped(v, shape) {
        Ok(read) => read,
        Err(issue) => return at.fail(v.pos, issue),
    };
    at.first(found)?;
    Ok(fields)
}

/// An object's members, or its first problem (not an object, a repeated key).
fn members<'a>(v: &'a Value, at: &At, expected: &'static str) -> Read<Vec<&'a Member>> {
    let Some(all) = v.as_object() else {
        return at.fail(v.pos, rules::wrong_type(v, expected));
    };
    let (members, repeats) = rules::members(all);
    at.first(repeats)?;
    Ok(members)
}

/// A non-empty string within the length limit.
fn text<'a>(v: &'a Value, at: &At) -> Read<&'a str> {
    rules::text(v).or_else(|issue| at.fail(v.pos, issue))
}

/// Reads and checks the whole document, stopping at the first problem.
pub(super) fn read(root: &Value) -> Result<Catalogue, Problem> {
    catalogue(root).map_err(|problem| *problem)
}

fn catalogue(root: &Value) -> Read<Catalogue> {
    let at = At::Root;
    if root.as_object().is_none() {
        let found = root.kind_name();
        return at.fail(root.pos, Issue::NotAnObject { found });
    }
    let top = shaped(root, &at, &CATALOGUE)?;
    // `languages` is a valid list of valid, distinct tags by now.
    let languages = sure(rules::languages(root), root.pos)?;
    let mut reader = Reader {
        languages,
        categories: Vec::new(),
        category_ids: Vec::new(),
        service_ids: Vec::new(),
        url_prefixes: Vec::new(),
        entries: 0,
    };
    let texts_value = sure(top.get("texts"), root.pos)?;
    let texts = reader.texts(texts_value, &at.key("texts"))?;
    let categories_at = at.key("categories");
    for (i, v) in top.items("categories").iter().enumerate() {
        let category = reader.category(v, &categories_at.item(i))?;
        reader.categories.push(category);
    }
    let services_at = at.key("services");
    let mut services = Vec::new();
    for (i, v) in top.items("services").iter().enumerate() {
        services.push(reader.service(v, &services_at.item(i))?);
    }
    Ok(Catalogue {
        revision: sure(rules::revision(&top), root.pos)?,
        consent_days: sure(rules::consent_days(&top), root.pos)?,
        policy_url: sure(top.str("policy_url"), root.pos)?.to_string(),
        languages: reader.languages.declared,
        texts,
        categories: reader.categories,
        services,
    })
}

struct Reader<'a> {
    languages: Languages,
    categories: Vec<Category>,
    /// Each category's id and where it is.
    category_ids: Vec<(&'a str, Pos)>,
    /// Each service's id and where it is.
    service_ids: Vec<(&'a str, Pos)>,
    /// Each URL prefix read so far and the id of the service claiming it.
    url_prefixes: Vec<(&'a str, &'a str)>,
    /// Cookies and storage keys read so far, against [`MAX_ENTRIES`].
    entries: usize,
}

impl<'a> Reader<'a> {
    /// `texts`: one object per declared language, in `languages` order.
    fn texts(&self, v: &'a Value, at: &At) -> Read<Vec<Texts>> {
        let declared = &self.languages.declared;
        let mut read = Vec::with_capacity(declared.len());
        for m in members(v, at, "an object")? {
            let here = at.key(&m.key);
            if !declared.contains(&m.key) {
                // While a declared tag is wrong or has no texts, these are
                // most likely the ones meant for it: that is the problem
                // reported (a wrong tag has been already).
                if !self.languages.bad_tag && self.languages.all_written {
                    let lang = detail(|| m.key.clone());
                    let declared = detail(|| declared.clone());
                    return here.fail(m.key_pos, Issue::UndeclaredTexts { lang, declared });
                }
                continue;
            }
            read.push(ui_texts(&m.value, &here, &m.key)?);
        }
        let mut ordered = Vec::with_capacity(declared.len());
        for lang in declared {
            let Some(i) = read.iter().position(|t| t.lang == *lang) else {
                let lang = lang.clone();
                let unclaimed = self.languages.unclaimed.clone();
                return at.fail(v.pos, Issue::MissingTexts { lang, unclaimed });
            };
            ordered.push(read.swap_remove(i));
        }
        Ok(ordered)
    }

    /// An object of texts by declared language, covering every one.
    fn localized(&self, v: &Value, at: &At) -> Read<Localized> {
        let members = members(v, at, Ty::Localized.expected())?;
        let declared = &self.languages.declared;
        let mut pairs = Vec::with_capacity(members.len());
        for m in &members {
            let here = at.key(&m.key);
            if !declared.contains(&m.key) {
                let lang = detail(|| m.key.clone());
                let declared = detail(|| declared.clone());
                return here.fail(m.key_pos, Issue::UndeclaredLanguage { lang, declared });
            }
            pairs.push((m.key.clone(), text(&m.value, &here)?.to_string()));
        }
        if let Some(lang) = declared
            .iter()
            .find(|lang| !members.iter().any(|m| m.key == **lang))
        {
            let lang = lang.clone();
            return at.fail(v.pos, Issue::MissingLanguage { lang });
        }
        Ok(Localized(pairs))
    }

    /// A localized field: its texts, empty when absent.
    fn localized_field(&self, o: &Fields, name: &str, at: &At) -> Read<Localized> {
        match o.get(name) {
            Some(v) => self.localized(v, &at.key(name)),
            None => Ok(Localized::default()),
        }
    }

    /// A translatable field: one text for every language, or its texts by
    /// language; `None` when absent.
    fn translatable_field(&self, o: &Fields, name: &str, at: &At) -> Read<Option<Localized>> {
        match o.get(name) {
            Some(v) => match v.as_str() {
                Some(same) => Ok(Some(Localized::from(same))),
                None => self.localized(v, &at.key(name)).map(Some),
            },
            None => Ok(None),
        }
    }

    fn category(&mut self, v: &'a Value, at: &At) -> Read<Category> {
        let o = shaped(v, at, &CATEGORY)?;
        let title = self.localized_field(&o, "title", at)?;
        let description = self.localized_field(&o, "description", at)?;
        let required = o.flag("required");
        let gpc_opt_out = o.flag("gpc_opt_out");
        if let (true, Some(gpc)) = (required, o.get("gpc_opt_out").filter(|_| gpc_opt_out)) {
            return at.key("gpc_opt_out").fail(gpc.pos, Issue::GpcOnRequired);
        }
        let id = claim_id(&mut self.category_ids, &o, v.pos, IdOf::Category, at)?;
        Ok(Category {
            id: id.to_string(),
            required,
            title,
            description,
            consent_mode: rules::signals(o.items("consent_mode")),
            gpc_opt_out,
        })
    }

    fn service(&mut self, v: &'a Value, at: &At) -> Read<Service> {
        let o = shaped(v, at, &SERVICE)?;
        let id = claim_id(&mut self.service_ids, &o, v.pos, IdOf::Service, at)?;
        let (name, value) = required_str(&o, "category", v.pos)?;
        let Some(category) = self.categories.iter().find(|c| c.id == name) else {
            let issue = Issue::UndefinedCategory {
                name: detail(|| name.to_string()),
                known: detail(|| self.categories.iter().map(|c| c.id.clone()).collect()),
            };
            return at.key("category").fail(value.pos, issue);
        };
        let mut hosts: Vec<String> = Vec::new();
        for item in o.items("hosts") {
            if let Some(host) = item.as_str() {
                hosts.push(host.to_string());
            }
        }
        let consent_mode = rules::signals(o.items("consent_mode"));
        let signals_at = at.key("consent_mode");
        for (i, (signal, item)) in consent_mode.iter().zip(o.items("consent_mode")).enumerate() {
            // security_storage is always granted, whatever the category says.
            if *signal != super::Signal::SecurityStorage && !category.consent_mode.contains(signal)
            {
                let issue = Issue::NotGranted {
                    signal: *signal,
                    category: detail(|| category.id.clone()),
                };
                return signals_at.item(i).fail(item.pos, issue);
            }
        }
        if category.required && !hosts.is_empty() && !o.is_present("justification") {
            let issue = Issue::NeedsJustification {
                category: detail(|| category.id.clone()),
            };
            return at.fail(v.pos, issue);
        }
        let category_id = category.id.clone();
        let urls = self.url_prefixes(&o, &hosts, id, at)?;
        let name = sure(self.translatable_field(&o, "name", at)?, v.pos)?;
        let provider = sure(self.translatable_field(&o, "provider", at)?, v.pos)?;
        let purpose = self.localized_field(&o, "purpose", at)?;
        let third_country = self.translatable_field(&o, "third_country", at)?;
        let scripts_at = at.key("scripts");
        let mut scripts = Vec::new();
        for (i, s) in o.items("scripts").iter().enumerate() {
            scripts.push(script(s, &scripts_at.item(i), &hosts)?);
        }
        let cookies_at = at.key("cookies");
        let mut cookies = Vec::new();
        for (i, item) in o.items("cookies").iter().enumerate() {
            let here = cookies_at.item(i);
            self.count_entry(item, &here)?;
            cookies.push(self.cookie(item, &here)?);
        }
        let storage_at = at.key("storage");
        let mut storage = Vec::new();
        for (i, item) in o.items("storage").iter().enumerate() {
            let here = storage_at.item(i);
            self.count_entry(item, &here)?;
            storage.push(self.storage_key(item, &here)?);
        }
        Ok(Service {
            id: id.to_string(),
            category: category_id,
            name,
            provider,
            purpose,
            policy_url: sure(o.str("policy_url"), v.pos)?.to_string(),
            hosts,
            urls,
            scripts,
            consent_mode,
            third_country,
            justification: o.str("justification").map(String::from),
            cookies,
            storage,
        })
    }

    /// A service's URL prefixes. Each must be on one of its `hosts` and
    /// claimed by no other service: a URL belongs to one owner.
    fn url_prefixes(
        &mut self,
        o: &Fields<'a>,
        hosts: &[String],
        service: &'a str,
        at: &At,
    ) -> Read<Vec<String>> {
        let list_at = at.key("urls");
        let mut out = Vec::new();
        for (i, item) in o.items("urls").iter().enumerate() {
            let prefix = sure(item.as_str(), item.pos)?;
            let host = syntax::url_prefix(prefix).unwrap_or_default();
            if !hosts.iter().any(|h| h == host) {
                let issue = Issue::PrefixHostNotListed {
                    host: detail(|| host.to_string()),
                };
                return list_at.item(i).fail(item.pos, issue);
            }
            let claimed = self.url_prefixes.iter().find(|(p, _)| *p == prefix);
            if let Some((_, other)) = claimed.filter(|(_, o)| *o != service) {
                let issue = Issue::PrefixClaimed {
                    prefix: detail(|| prefix.to_string()),
                    other: detail(|| other.to_string()),
                };
                return list_at.item(i).fail(item.pos, issue);
            }
            self.url_prefixes.push((prefix, service));
            out.push(prefix.to_string());
        }
        Ok(out)
    }

    /// Counts one cookie or storage key against [`MAX_ENTRIES`] for the
    /// whole catalogue.
    fn count_entry(&mut self, item: &Value, at: &At) -> Read<()> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return at.fail(item.pos, Issue::TooManyEntries);
        }
        Ok(())
    }

    fn cookie(&self, v: &Value, at: &At) -> Read<CookieSpec> {
        let o = shaped(v, at, &COOKIE)?;
        let purpose = self.localized_field(&o, "purpose", at)?;
        let party = match sure(o.str("party"), v.pos)? {
            "first" => Party::First,
            _ => Party::Third,
        };
        let lifetime = syntax::lifetime(sure(o.str("lifetime"), v.pos)?).ok();
        Ok(CookieSpec {
            matcher: sure(rules::matcher(&o), v.pos)?,
            lifetime: sure(lifetime, v.pos)?,
            party,
            domain: o.str("domain").map(String::from),
            path: o.str("path").unwrap_or("/").to_string(),
            purpose,
        })
    }

    fn storage_key(&self, v: &Value, at: &At) -> Read<StorageSpec> {
        let o = shaped(v, at, &STORAGE_KEY)?;
        let purpose = self.localized_field(&o, "purpose", at)?;
        let kind = match sure(o.str("kind"), v.pos)? {
            "local" => StorageKind::Local,
            _ => StorageKind::Session,
        };
        let lifetime = match o.str("lifetime") {
            Some(s) => Some(sure(syntax::lifetime(s).ok(), v.pos)?),
            None => None,
        };
        Ok(StorageSpec {
            matcher: sure(rules::matcher(&o), v.pos)?,
            kind,
            lifetime,
            purpose,
        })
    }
}

/// One language's UI texts: every [`TextKey`], nothing else.
fn ui_texts(v: &Value, at: &At, lang: &str) -> Read<Texts> {
    let mut values: Vec<Option<String>> = Vec::new();
    // Not `vec![None; n]`: that links a clone loop for `Option<String>`.
    values.resize_with(TextKey::ALL.len(), || None);
    for m in members(v, at, "an object of the banner's texts")? {
        let here = at.key(&m.key);
        let Some(slot) = TextKey::ALL
            .iter()
            .position(|k| k.as_str() == m.key)
            .and_then(|i| values.get_mut(i))
        else {
            let issue = Issue::UnknownTextKey {
                key: detail(|| m.key.clone()),
            };
            return here.fail(m.key_pos, issue);
        };
        *slot = Some(text(&m.value, &here)?.to_string());
    }
    let mut texts = Vec::with_capacity(values.len());
    for (key, value) in TextKey::ALL.iter().zip(values) {
        let Some(value) = value else {
            let (key, lang) = (key.as_str(), detail(|| lang.to_string()));
            return at.fail(v.pos, Issue::MissingTextKey { key, lang });
        };
        texts.push(value);
    }
    Ok(Texts {
        lang: lang.to_string(),
        values: texts,
    })
}

fn script(v: &Value, at: &At, hosts: &[String]) -> Read<ScriptSpec> {
    let o = shaped(v, at, &SCRIPT)?;
    let (src, src_value) = required_str(&o, "src", v.pos)?;
    let host = syntax::https_url(src).unwrap_or_default();
    if !hosts.contains(&host) {
        return at.key("src").fail(
            src_value.pos,
            Issue::ScriptHostNotListed {
                host: detail(|| host),
            },
        );
    }
    Ok(ScriptSpec {
        src: src.to_string(),
        integrity: o.str("integrity").map(String::from),
        is_async: o.flag("async"),
    })
}
