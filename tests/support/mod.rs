//! Shared by the property tests, the regression tests and the `record` fuzz
//! target (which includes this file with `#[path]`): the small fixed
//! catalogue and the checks every reported problem must pass.
#![allow(dead_code)]

use cookiegate::catalogue::*;
use cookiegate::json::{self, Pos};

/// The checked-in catalogue the record tests and fuzzer restore against.
pub const SMALL_CATALOGUE_JSON: &[u8] = include_bytes!("../fixtures/small-catalogue.json");

/// The small catalogue: read from `tests/fixtures/small-catalogue.json`, or,
/// should that ever stop loading, the same catalogue built by hand, so the
/// record properties still run (the regression test fails in that case).
/// `small_catalogue_fixture_loads_as_built_by_hand` keeps the two in step.
pub fn small_catalogue() -> Catalogue {
    match load(SMALL_CATALOGUE_JSON) {
        Ok(c) => c,
        Err(_) => small_catalogue_by_hand(),
    }
}

fn en_de(en: &str) -> Localized {
    Localized(vec![
        ("en".into(), en.into()),
        ("de".into(), format!("de: {en}")),
    ])
}

fn category(id: &str, title: &str, description: &str) -> Category {
    Category {
        id: id.into(),
        required: false,
        title: en_de(title),
        description: en_de(description),
        consent_mode: vec![],
        gpc_opt_out: false,
    }
}

fn cookie(matcher: Matcher, lifetime: Lifetime, party: Party) -> CookieSpec {
    CookieSpec {
        matcher,
        lifetime,
        party,
        domain: None,
        path: "/".into(),
        purpose: Localized::default(),
    }
}

fn span(count: u32, unit: Unit) -> Lifetime {
    Lifetime::Span { count, unit }
}

fn service(id: &str, category: &str, name: &str, provider: &str, purpose: &str) -> Service {
    Service {
        id: id.into(),
        category: category.into(),
        name: name.into(),
        provider: provider.into(),
        purpose: en_de(purpose),
        policy_url: "https://shop.example/privacy".into(),
        hosts: vec![],
        urls: vec![],
        scripts: vec![],
        consent_mode: vec![],
        third_country: None,
        justification: None,
        cookies: vec![],
        storage: vec![],
    }
}

/// The UI texts of the fixture, read with the plain JSON reader.
fn fixture_texts() -> Vec<Texts> {
    let doc = json::parse_bytes(SMALL_CATALOGUE_JSON).expect("the fixture is JSON");
    ["en", "de"]
        .into_iter()
        .map(|lang| {
            let texts = doc.get("texts").and_then(|t| t.get(lang));
            Texts {
                lang: lang.into(),
                values: TextKey::ALL
                    .iter()
                    .map(|k| {
                        texts
                            .and_then(|t| t.get(k.as_str()))
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `tests/fixtures/small-catalogue.json`, written out as Rust.
pub fn small_catalogue_by_hand() -> Catalogue {
    use Signal::*;
    let mut necessary = category("necessary", "Necessary", "Keeps the shop working.");
    necessary.required = true;
    let mut preferences = category("preferences", "Preferences", "Remembers your settings.");
    preferences.consent_mode = vec![FunctionalityStorage, PersonalizationStorage];
    let mut analytics = category("analytics", "Analytics", "Measures how the shop is used.");
    analytics.consent_mode = vec![AnalyticsStorage];
    let mut marketing = category("marketing", "Marketing", "Advertising.");
    marketing.consent_mode = vec![AdStorage, AdUserData, AdPersonalization];
    marketing.gpc_opt_out = true;

    let mut session = service(
        "shop-session",
        "necessary",
        "Shop session",
        "Shop Example Ltd",
        "Keeps your cart.",
    );
    session.cookies = vec![cookie(
        Matcher::Exact("cart".into()),
        Lifetime::Session,
        Party::First,
    )];

    let mut ga = service(
        "google-analytics",
        "analytics",
        "Google Analytics",
        "Google Ireland Limited",
        "Measures visits.",
    );
    ga.policy_url = "https://business.safety.google/privacy/".into();
    ga.hosts = vec![
        "www.googletagmanager.com".into(),
        "www.google-analytics.com".into(),
    ];
    ga.scripts = vec![ScriptSpec {
        src: "https://www.googletagmanager.com/gtag/js?id=G-TEST".into(),
        integrity: None,
        is_async: true,
    }];
    ga.consent_mode = vec![AnalyticsStorage];
    ga.third_country = Some("United States (EU-US Data Privacy Framework)".into());
    ga.cookies = vec![
        cookie(
            Matcher::Exact("_ga".into()),
            span(2, Unit::Year),
            Party::First,
        ),
        cookie(
            Matcher::Prefix("_ga_".into()),
            span(2, Unit::Year),
            Party::First,
        ),
    ];
    ga.storage = vec![StorageSpec {
        matcher: Matcher::Glob("_ga_*".into()),
        kind: StorageKind::Local,
        lifetime: Some(span(1, Unit::Year)),
        purpose: Localized::default(),
    }];

    let mut matomo = service(
        "matomo",
        "analytics",
        "Matomo",
        "Shop Example Ltd",
        "Counts visits on our own server.",
    );
    matomo.cookies = vec![cookie(
        Matcher::Prefix("_pk_id".into()),
        span(13, Unit::Month),
        Party::First,
    )];

    let mut ads = service(
        "google-ads",
        "marketing",
        "Google Ads",
        "Google Ireland Limited",
        "Measures which ads led to an order.",
    );
    ads.policy_url = "https://business.safety.google/privacy/".into();
    ads.hosts = vec!["googleads.g.doubleclick.net".into()];
    ads.consent_mode = vec![AdStorage, AdUserData];
    let mut ide = cookie(
        Matcher::Exact("IDE".into()),
        span(13, Unit::Month),
        Party::Third,
    );
    ide.domain = Some(".doubleclick.net".into());
    ads.cookies = vec![ide];

    Catalogue {
        revision: 3,
        consent_days: 30,
        policy_url: "https://shop.example/privacy".into(),
        languages: vec!["en".into(), "de".into()],
        texts: fixture_texts(),
        categories: vec![necessary, preferences, analytics, marketing],
        services: vec![session, ga, matomo, ads],
    }
}

/// Lines of `text` and the number of characters on each, for checking that a
/// reported place lies inside the document.
fn line_lengths(text: &str) -> Vec<usize> {
    text.split('\n').map(|l| l.chars().count()).collect()
}

/// Why `pos` is not a place inside `text` (1-based line and column, the
/// column at most one past the end of its line), if it is not.
pub fn misplaced(text: &str, pos: Pos) -> Option<String> {
    if pos.line < 1 || pos.column < 1 {
        return Some(format!("{pos} is not 1-based"));
    }
    let lines = line_lengths(text);
    let Some(len) = lines.get(pos.line as usize - 1) else {
        return Some(format!("{pos} is past the last line ({})", lines.len()));
    };
    if pos.column as usize > len + 1 {
        return Some(format!(
            "{pos} is past the end of its line ({len} characters)"
        ));
    }
    None
}

/// Why the problems `load(bytes)` reported do not each say where, if they
/// do not: at least one problem, each with a place inside the document and
/// a JSON path starting at `$`.
pub fn unplaced_problems(bytes: &[u8], problems: &[Problem]) -> Option<String> {
    if problems.is_empty() {
        return Some("load failed with no problem at all".into());
    }
    let text = String::from_utf8_lossy(bytes);
    for p in problems {
        if !p.path.starts_with('$') {
            return Some(format!("path does not start at $: {p}"));
        }
        if let Some(why) = misplaced(&text, p.pos) {
            return Some(format!("{why}: {p}"));
        }
        if p.message().trim().is_empty() || p.describe().ends_with(": ") {
            return Some(format!("problem without a message at {}", p.pos));
        }
    }
    None
}

/// The stored record's word on `id` as the page's JavaScript reads it
/// (`JSON.parse`: the last of duplicate keys wins); `None` when absent.
fn stored_flag(list: &[(String, bool)], id: &str) -> Option<bool> {
    list.iter().rev().find(|(k, _)| k == id).map(|(_, on)| *on)
}

/// Why `restored` (what `ConsentRecord::restore` made of a stored record
/// that `parse_stored` read as `raw`) grants more than it may, if it does:
/// every catalogue category and service exactly once, in catalogue order
/// (so nothing the catalogue lacks); no optional service the record did not
/// grant or whose category it refused; no optional category it refused;
/// nothing GPC opts out of when GPC arrived after the choice.
pub fn extra_grant(
    catalogue: &Catalogue,
    raw: &cookiegate::consent::ConsentRecord,
    restored: &cookiegate::consent::ConsentRecord,
    gpc_now: bool,
) -> Option<String> {
    let ids = |list: &[(String, bool)]| list.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    let cat_ids: Vec<String> = catalogue.categories.iter().map(|c| c.id.clone()).collect();
    let svc_ids: Vec<String> = catalogue.services.iter().map(|s| s.id.clone()).collect();
    if ids(&restored.choice.categories) != cat_ids {
        return Some(format!(
            "restored categories {:?} are not the catalogue's {cat_ids:?}",
            restored.choice.categories
        ));
    }
    if ids(&restored.choice.services) != svc_ids {
        return Some(format!(
            "restored services {:?} are not the catalogue's {svc_ids:?}",
            restored.choice.services
        ));
    }
    if gpc_now && !restored.gpc {
        return Some("the browser sends GPC but the restored record says it did not".into());
    }
    let strip_gpc = gpc_now && !raw.gpc;
    let category_refused = |c: &Category| {
        !c.required
            && (stored_flag(&raw.choice.categories, &c.id) != Some(true)
                || (strip_gpc && c.gpc_opt_out))
    };
    for (id, on) in &restored.choice.services {
        let Some(service) = catalogue.service(id) else {
            continue;
        };
        let Some(category) = catalogue.category(&service.category) else {
            return Some(format!("service {id} has no category"));
        };
        if !*on || category.required {
            continue;
        }
        if category_refused(category) {
            return Some(format!(
                "service {id} is granted though the stored record refuses its category {} \
                 (stored categories {:?}, gpc then {}, gpc now {gpc_now})",
                category.id, raw.choice.categories, raw.gpc
            ));
        }
        if stored_flag(&raw.choice.services, id) != Some(true) {
            return Some(format!(
                "service {id} is granted though the stored record does not grant it \
                 (stored services {:?})",
                raw.choice.services
            ));
        }
        if !restored.choice.category(&category.id) {
            return Some(format!(
                "service {id} is granted but its category {} is not",
                category.id
            ));
        }
    }
    for (id, on) in &restored.choice.categories {
        let Some(category) = catalogue.category(id) else {
            continue;
        };
        if *on && category_refused(category) {
            return Some(format!(
                "category {id} is granted though the stored record refuses it \
                 (stored categories {:?}, gpc then {}, gpc now {gpc_now})",
                raw.choice.categories, raw.gpc
            ));
        }
        if category.required && !*on {
            return Some(format!("required category {id} is off"));
        }
    }
    None
}

/// Why the browser's strict reader (`load_strict`) and `cookiegate check`'s
/// collecting one (`load`) disagree on `bytes`, if they do: they must
/// accept the same documents, read them into equal catalogues, and the one
/// problem the browser names must be one `cookiegate check` reports (same
/// place, path and issue). Past `MAX_PROBLEMS` the collecting reader only
/// counts the rest, so there the browser's problem need only be placed.
pub fn readers_disagree(bytes: &[u8]) -> Option<String> {
    match (load(bytes), load_strict(bytes)) {
        (Ok(full), Ok(strict)) => {
            (full != strict).then(|| format!("different catalogues:\n{full:?}\n{strict:?}"))
        }
        (Ok(_), Err(p)) => Some(format!("only the browser refuses it: {p}")),
        (Err(problems), Ok(_)) => Some(format!(
            "only cookiegate check refuses it:\n{}",
            listed(&problems)
        )),
        (Err(problems), Err(p)) => {
            let counted = problems
                .iter()
                .any(|q| matches!(q.issue, Issue::MoreProblems { .. }));
            if problems.contains(&p) {
                None
            } else if counted {
                unplaced_problems(bytes, std::slice::from_ref(&p))
            } else {
                Some(format!(
                    "the browser's problem {p}\nis not one of cookiegate check's:\n{}",
                    listed(&problems)
                ))
            }
        }
    }
}

fn listed(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
