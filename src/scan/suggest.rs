//! `--suggest`: catalogue entries for what the scan found undeclared, one
//! service per vendor. Facts come from the browser (lifetimes, domains) and
//! the Open Cookie Database (vendor, category); every text a visitor reads
//! is left empty (`""`) for the editor to write, in each of the
//! catalogue's languages. Once they are filled in, `cookiegate check`
//! accepts the entries.

use super::compare::{lifetime_text, Finding, Kind, Subject};
use super::domain::registrable_domain;
use super::ocd::retention_lifetime;
use crate::catalogue::{Catalogue, Lifetime, StorageKind};
use serde_json::{json, Map, Value};

/// Who undeclared things are grouped under when the database knows no
/// vendor for them and no host names one.
const UNIDENTIFIED: &str = "Unidentified";

struct Draft {
    vendor: String,
    category: String,
    provider: String,
    policy_url: String,
    hosts: Vec<String>,
    cookies: Vec<Value>,
    storage: Vec<Value>,
}

/// `{"services": [...]}`: entries to add to `catalogue`'s `services`.
pub fn entries(catalogue: &Catalogue, findings: &[Finding]) -> Value {
    let mut drafts: Vec<Draft> = Vec::new();
    for f in findings {
        if !matches!(
            f.kind,
            Kind::UndeclaredCookie | Kind::UndeclaredStorage | Kind::UndeclaredHost
        ) {
            continue;
        }
        let vendor = match (&f.suggestion, &f.subject) {
            (Some(s), _) => s.vendor.clone(),
            (None, Subject::Host(host)) => host_vendor(host, findings),
            (None, _) => UNIDENTIFIED.to_string(),
        };
        let at = match drafts.iter().position(|d| d.vendor == vendor) {
            Some(i) => i,
            None => {
                let s = f.suggestion.as_ref();
                drafts.push(Draft {
                    vendor: vendor.clone(),
                    // Unknown purpose: the strictest category that still asks.
                    category: s
                        .and_then(|s| s.category.clone())
                        .unwrap_or_else(|| "marketing".to_string()),
                    provider: s
                        .map(|s| s.controller.clone())
                        .filter(|c| !c.is_empty())
                        .unwrap_or_else(|| vendor.clone()),
                    policy_url: s
                        .map(|s| s.privacy_url.clone())
                        .filter(|u| u.starts_with("https://"))
                        .unwrap_or_default(),
                    hosts: Vec::new(),
                    cookies: Vec::new(),
                    storage: Vec::new(),
                });
                drafts.len() - 1
            }
        };
        let Some(draft) = drafts.get_mut(at) else {
            continue;
        };
        match &f.subject {
            Subject::Host(host) => {
                if !draft.hosts.contains(host) {
                    draft.hosts.push(host.clone());
                }
            }
            Subject::Cookie(name) => {
                let entry = cookie_entry(f, name);
                if !draft.cookies.contains(&entry) {
                    draft.cookies.push(entry);
                }
            }
            Subject::Storage { key, kind } => {
                let entry = storage_entry(f, key, *kind);
                if !draft.storage.contains(&entry) {
                    draft.storage.push(entry);
                }
            }
            Subject::Element { .. } => {}
        }
    }
    let mut ids: Vec<String> = catalogue.services.iter().map(|s| s.id.clone()).collect();
    let services: Vec<Value> = drafts
        .into_iter()
        .map(|d| {
            let id = unique_id(&slug(&d.vendor), &mut ids);
            let mut o = Map::new();
            o.insert("id".into(), json!(id));
            o.insert("category".into(), json!(d.category));
            o.insert("name".into(), json!(d.vendor));
            o.insert("provider".into(), json!(d.provider));
            o.insert("purpose".into(), texts(catalogue));
            o.insert("policy_url".into(), json!(d.policy_url));
            let required = catalogue.category(&d.category).is_some_and(|c| c.required);
            if required && !d.hosts.is_empty() {
                o.insert("justification".into(), json!(""));
            }
            if !d.hosts.is_empty() {
                o.insert("hosts".into(), json!(d.hosts));
            }
            if !d.cookies.is_empty() {
                o.insert("cookies".into(), json!(d.cookies));
            }
            if !d.storage.is_empty() {
                o.insert("storage".into(), json!(d.storage));
            }
            Value::Object(o)
        })
        .collect();
    json!({ "services": services })
}

/// Who runs `host`: a vendor suggested for another finding whose name is
/// the host's registrable domain without its suffix (`in.hotjar.com` →
/// Hotjar), else the registrable domain itself.
fn host_vendor(host: &str, findings: &[Finding]) -> String {
    let domain = registrable_domain(host);
    let label = domain.split('.').next().unwrap_or("");
    findings
        .iter()
        .filter_map(|f| f.suggestion.as_ref())
        .find(|s| slug(&s.vendor) == label)
        .map(|s| s.vendor.clone())
        .unwrap_or(domain)
}

/// An empty text for each of the catalogue's languages.
fn texts(catalogue: &Catalogue) -> Value {
    let mut o = Map::new();
    for lang in &catalogue.languages {
        o.insert(lang.clone(), json!(""));
    }
    if o.is_empty() {
        o.insert("en".into(), json!(""));
    }
    Value::Object(o)
}

/// `name` or, for a database wildcard, `prefix`.
fn matcher_fields(o: &mut Map<String, Value>, f: &Finding, name: &str) {
    match f
        .suggestion
        .as_ref()
        .and_then(|s| s.matched.strip_suffix('*'))
    {
        Some(prefix) if name.starts_with(prefix) && !prefix.is_empty() => {
            o.insert("prefix".into(), json!(prefix));
        }
        _ => {
            o.insert("name".into(), json!(name));
        }
    }
}

fn cookie_entry(f: &Finding, name: &str) -> Value {
    let mut o = Map::new();
    matcher_fields(&mut o, f, name);
    let stored = f.stored.as_ref();
    let known = f
        .suggestion
        .as_ref()
        .and_then(|s| retention_lifetime(&s.lifetime));
    let lifetime = match stored.map(|s| s.lifetime_secs) {
        Some(None) => Lifetime::Session,
        Some(Some(secs)) => covering(secs, known),
        None => known.unwrap_or(Lifetime::Session),
    };
    o.insert("lifetime".into(), json!(lifetime_text(lifetime)));
    let third = stored.is_some_and(|s| s.third_party);
    o.insert("party".into(), json!(if third { "third" } else { "first" }));
    if let Some(s) = stored.filter(|s| s.third_party) {
        o.insert("domain".into(), json!(s.domain));
    }
    Value::Object(o)
}

fn storage_entry(f: &Finding, key: &str, kind: StorageKind) -> Value {
    let mut o = Map::new();
    matcher_fields(&mut o, f, key);
    o.insert(
        "kind".into(),
        json!(match kind {
            StorageKind::Local => "local",
            StorageKind::Session => "session",
        }),
    );
    if kind == StorageKind::Session {
        o.insert("lifetime".into(), json!("session"));
    }
    Value::Object(o)
}

/// The database's lifetime when it covers what the browser stored, else the
/// stored one rounded up (so the next scan finds no `lifetime`).
fn covering(secs: u64, known: Option<Lifetime>) -> Lifetime {
    let known_secs = known.and_then(|l| l.minutes()).map(|m| m * 60);
    if let (Some(k), Some(l)) = (known_secs, known) {
        if k >= secs {
            return l;
        }
    }
    use crate::catalogue::Unit;
    let (count, unit) = match secs {
        s if s > 86_400 => (s.div_ceil(86_400), Unit::Day),
        s if s > 3_600 => (s.div_ceil(3_600), Unit::Hour),
        s => (s.div_ceil(60).max(1), Unit::Minute),
    };
    Lifetime::Span {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        unit,
    }
}

/// `Google Analytics` → `google-analytics`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "service".to_string()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`… when taken; the result is taken too.
fn unique_id(base: &str, taken: &mut Vec<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}
