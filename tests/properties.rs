//! Property tests: the two readers of outside data (the catalogue and the
//! stored consent record) and the JSON reader under them never panic, every
//! refusal says where, and a restored record never grants more than it may.
//! 256 cases per property keep `cargo test` quick; the fuzzers in `fuzz/`
//! search much longer.

// Native only: proptest does not build for wasm32 (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use cookiegate::catalogue::{load, Catalogue};
use cookiegate::consent::{parse_stored, Choice, ConsentRecord, Invalid, Method};
use cookiegate::json::{self, Kind, Pos};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value as Json};

fn config() -> Config {
    Config {
        cases: 256,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- strings

/// Awkward text: HTML, quotes, backslashes, bidi overrides, emoji, line
/// separators, combining marks, and a long run now and then.
fn nasty_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        1 => Just("<script>alert(\"x\")</script>".to_string()),
        1 => Just("<img src=x onerror=alert(1)>".to_string()),
        1 => Just("\"'`\\".to_string()),
        1 => Just("\u{202E}gnp.exe\u{202C}".to_string()),
        1 => Just("\u{200F}\u{2066}\u{2069}".to_string()),
        1 => Just("🍪👨‍👩‍👧🏳️‍🌈".to_string()),
        1 => Just("\u{2028}\u{2029}\n\t".to_string()),
        1 => Just("e\u{301}\u{0}\u{7f}".to_string()),
        1 => Just("{service}".to_string()),
        1 => (1usize..2_000).prop_map(|n| "ü".repeat(n)),
        1 => any::<String>(),
    ]
}

/// Non-empty text starting with a letter (a catalogue string must not be
/// blank), at most a few thousand characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_piece(), 0..4).prop_map(|parts| format!("T{}", parts.concat()))
}

// -------------------------------------------------- (a) arbitrary bytes

/// Bytes that are sometimes JSON-like, so the reader gets past the syntax.
fn jsonish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b",".to_vec()),
        Just(b":".to_vec()),
        Just(b"\"revision\"".to_vec()),
        Just(b"\"services\"".to_vec()),
        Just(b"\"categories\"".to_vec()),
        Just(b"\"cookies\"".to_vec()),
        Just(b"\"lifetime\"".to_vec()),
        Just(b"\"id\"".to_vec()),
        Just(b"\"\\u202e\\ud83c\\udf6a\"".to_vec()),
        Just(b"\"\\ud800\"".to_vec()),
        Just(b"1e999".to_vec()),
        Just(b"-0".to_vec()),
        Just(b"true".to_vec()),
        Just(b"null".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"\xff".to_vec()),
        Just("é".as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(token, 0..64).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn load_never_panics_and_places_every_problem(
        bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..512), jsonish_bytes()]
    ) {
        if let Err(problems) = load(&bytes) {
            if let Some(why) = support::unplaced_problems(&bytes, &problems) {
                prop_assert!(false, "{}", why);
            }
        }
        if let Some(why) = support::readers_disagree(&bytes) {
            prop_assert!(false, "{}", why);
        }
    }
}

// ------------------------------------------- (b) generated catalogues

const LANGS: [&str; 6] = ["en", "de", "fr", "ru", "ar", "pt-BR"];
const SIGNALS: [&str; 6] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
];
const HOSTS: [&str; 4] = [
    "cdn.example.com",
    "a.b-c.example.org",
    "x1.example.net",
    "tracker.example.io",
];
const GLOBS: [&str; 3] = ["_gac_*", "_hj*_s", "*_id"];

#[derive(Clone, Debug)]
struct GenCategory {
    required: bool,
    signals: Vec<bool>,
    gpc_opt_out: bool,
    title: String,
    description: String,
}

#[derive(Clone, Debug)]
struct GenCookie {
    matcher: u8,
    lifetime: (u8, u32),
    third: bool,
    storage: bool,
}

#[derive(Clone, Debug)]
struct GenService {
    category: usize,
    name: String,
    provider: String,
    purpose: String,
    hosts: Vec<bool>,
    scripts: usize,
    signals: Vec<bool>,
    third_country: Option<String>,
    cookies: Vec<GenCookie>,
}

#[derive(Clone, Debug)]
struct GenCatalogue {
    revision: u32,
    consent_days: Option<u32>,
    languages: usize,
    texts: Vec<String>,
    categories: Vec<GenCategory>,
    services: Vec<GenService>,
    pretty: bool,
}

fn gen_category() -> impl Strategy<Value = GenCategory> {
    (
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 6),
        any::<bool>(),
        text(),
        text(),
    )
        .prop_map(
            |(required, signals, gpc_opt_out, title, description)| GenCategory {
                required,
                signals,
                gpc_opt_out,
                title,
                description,
            },
        )
}

fn gen_cookie() -> impl Strategy<Value = GenCookie> {
    (0u8..3, (0u8..6, 1u32..=10), any::<bool>(), any::<bool>()).prop_map(
        |(matcher, lifetime, third, storage)| GenCookie {
            matcher,
            lifetime,
            third,
            storage,
        },
    )
}

fn gen_service() -> impl Strategy<Value = GenService> {
    (
        0usize..16,
        (text(), text(), text()),
        prop::collection::vec(any::<bool>(), 4),
        0usize..3,
        prop::collection::vec(any::<bool>(), 6),
        prop::option::of(text()),
        prop::collection::vec(gen_cookie(), 0..4),
    )
        .prop_map(
            |(
                category,
                (name, provider, purpose),
                hosts,
                scripts,
                signals,
                third_country,
                cookies,
            )| {
                GenService {
                    category,
                    name,
                    provider,
                    purpose,
                    hosts,
                    scripts,
                    signals,
                    third_country,
                    cookies,
                }
            },
        )
}

fn gen_catalogue() -> impl Strategy<Value = GenCatalogue> {
    (
        1u32..=u32::MAX,
        prop::option::of(1u32..=395),
        1usize..=LANGS.len(),
        prop::collection::vec(text(), 38),
        prop::collection::vec(gen_category(), 1..6),
        prop::collection::vec(gen_service(), 0..8),
        any::<bool>(),
    )
        .prop_map(
            |(revision, consent_days, languages, texts, categories, services, pretty)| {
                GenCatalogue {
                    revision,
                    consent_days,
                    languages,
                    texts,
                    categories,
                    services,
                    pretty,
                }
            },
        )
}

fn lifetime((unit, n): (u8, u32)) -> String {
    let (one, many, max) = match unit {
        0 => return "session".into(),
        1 => ("minute", "minutes", 59),
        2 => ("hour", "hours", 48),
        3 => ("day", "days", 400),
        4 => ("month", "months", 120),
        _ => ("year", "years", 10),
    };
    let n = n.min(max);
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A catalogue document that follows every rule of `policies/README.md`.
fn render(g: &GenCatalogue) -> Json {
    let langs = &LANGS[..g.languages];
    let loc = |t: &str| -> Json {
        Json::Object(
            langs
                .iter()
                .map(|l| (l.to_string(), Json::String(format!("{t} ({l})"))))
                .collect(),
        )
    };
    let keys = cookiegate::catalogue::TextKey::ALL;
    let mut texts = Map::new();
    for l in langs {
        let one: Map<String, Json> = keys
            .iter()
            .zip(&g.texts)
            .map(|(k, t)| (k.as_str().to_string(), json!(format!("{t} {l}"))))
            .collect();
        texts.insert(l.to_string(), Json::Object(one));
    }
    let categories: Vec<Json> = g
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut o = json!({
                "id": format!("cat-{i}"),
                "title": loc(&c.title),
                "description": loc(&c.description),
                "consent_mode": SIGNALS.iter().zip(&c.signals)
                    .filter(|(_, on)| **on).map(|(s, _)| *s).collect::<Vec<_>>(),
            });
            if c.required {
                o["required"] = json!(true);
            }
            if c.gpc_opt_out && !c.required {
                o["gpc_opt_out"] = json!(true);
            }
            o
        })
        .collect();
    let services: Vec<Json> = g
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let ci = s.category % g.categories.len();
            let cat = &g.categories[ci];
            let hosts: Vec<&str> = HOSTS
                .iter()
                .zip(&s.hosts)
                .filter(|(_, on)| **on)
                .map(|(h, _)| *h)
                .collect();
            // A service may need only what its category grants.
            let signals: Vec<&str> = SIGNALS
                .iter()
                .zip(s.signals.iter().zip(&cat.signals))
                .filter(|(_, (want, has))| **want && **has)
                .map(|(s, _)| *s)
                .collect();
            let mut o = json!({
                "id": format!("svc-{i}"),
                "category": format!("cat-{ci}"),
                "name": s.name,
                "provider": s.provider,
                "purpose": loc(&s.purpose),
                "policy_url": format!("https://{}/privacy", HOSTS[i % HOSTS.len()]),
                "consent_mode": signals,
            });
            if !hosts.is_empty() {
                o["hosts"] = json!(hosts);
                let scripts: Vec<Json> = (0..s.scripts)
                    .map(|k| {
                        json!({"src": format!("https://{}/s{k}.js?v=\"1\"", hosts[k % hosts.len()]),
                               "async": k % 2 == 0})
                    })
                    .collect();
                o["scripts"] = json!(scripts);
                if cat.required {
                    o["justification"] = json!(format!("{} is needed", s.name));
                }
            }
            if let Some(t) = &s.third_country {
                o["third_country"] = json!(t);
            }
            let mut cookies = vec![];
            let mut storage = vec![];
            for (k, c) in s.cookies.iter().enumerate() {
                let mut e = match c.matcher {
                    0 => json!({"name": format!("c{i}_{k}")}),
                    1 => json!({"prefix": format!("p{i}_{k}_")}),
                    _ => json!({"glob": GLOBS[k % GLOBS.len()]}),
                };
                e["lifetime"] = json!(lifetime(c.lifetime));
                if c.storage {
                    e["kind"] = json!(if c.third { "session" } else { "local" });
                    storage.push(e);
                } else {
                    e["party"] = json!(if c.third { "third" } else { "first" });
                    if c.third {
                        e["domain"] = json!(".example.com");
                    }
                    cookies.push(e);
                }
            }
            if !cookies.is_empty() {
                o["cookies"] = json!(cookies);
            }
            if !storage.is_empty() {
                o["storage"] = json!(storage);
            }
            o
        })
        .collect();
    let mut doc = json!({
        "$schema": "./catalogue.schema.json",
        "revision": g.revision,
        "policy_url": "https://shop.example/privacy?a=1&b=<2>",
        "languages": langs,
        "notes": "generated by tests/properties.rs",
        "texts": texts,
        "categories": categories,
        "services": services,
    });
    if let Some(d) = g.consent_days {
        doc["consent_days"] = json!(d);
    }
    doc
}

fn to_text(doc: &Json, pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(doc).expect("serialisable")
    } else {
        serde_json::to_string(doc).expect("serialisable")
    }
}

/// Every place in a rendered catalogue whose type the format fixes, with its
/// JSON path as the reader writes it (`$.services[3].category`). The texts,
/// `notes` and `$schema` are left out (free-form or ignored).
fn typed_slots(doc: &Json) -> Vec<(Vec<PathStep>, String)> {
    fn walk(
        v: &Json,
        steps: &mut Vec<PathStep>,
        path: String,
        out: &mut Vec<(Vec<PathStep>, String)>,
    ) {
        match v {
            Json::Object(m) => {
                for (k, child) in m {
                    if steps.is_empty() && matches!(k.as_str(), "texts" | "notes" | "$schema") {
                        continue;
                    }
                    // Localised texts are keyed by language; their strings
                    // are typed, but keep to simple keys for the path.
                    steps.push(PathStep::Key(k.clone()));
                    let p = format!("{path}.{k}");
                    out.push((steps.clone(), p.clone()));
                    walk(child, steps, p, out);
                    steps.pop();
                }
            }
            Json::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    steps.push(PathStep::Index(i));
                    let p = format!("{path}[{i}]");
                    out.push((steps.clone(), p.clone()));
                    walk(child, steps, p, out);
                    steps.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = vec![];
    walk(doc, &mut vec![], "$".into(), &mut out);
    out.retain(|(steps, _)| {
        !steps
            .iter()
            .any(|s| matches!(s, PathStep::Key(k) if k.contains('-')))
    });
    out
}

#[derive(Clone, Debug, PartialEq)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(doc: &'a mut Json, steps: &[PathStep]) -> &'a mut Json {
    steps.iter().fold(doc, |v, s| match s {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Index(i) => &mut v[*i],
    })
}

/// Where the value at `steps` starts in `text`, read with our JSON reader.
fn pos_at(text: &str, steps: &[PathStep]) -> Option<Pos> {
    let root = json::parse(text).ok()?;
    let mut v = &root;
    for s in steps {
        v = match s {
            PathStep::Key(k) => v.get(k)?,
            PathStep::Index(i) => v.as_array()?.get(*i)?,
        };
    }
    Some(v.pos)
}

/// A value of a type the slot never takes.
fn wrong_type(v: &Json, pick: u8) -> Json {
    match v {
        Json::String(_) => [json!(42), json!(["x"]), json!(null)][pick as usize % 3].clone(),
        Json::Bool(_) => [json!("yes"), json!(1)][pick as usize % 2].clone(),
        Json::Number(_) => {
            [json!("2"), json!(-1), json!(1.5), json!(true)][pick as usize % 4].clone()
        }
        Json::Array(_) => [json!("x"), json!({"a": 1})][pick as usize % 2].clone(),
        Json::Object(_) => [json!(7), json!([])][pick as usize % 2].clone(),
        Json::Null => json!({}),
    }
}

fn problems_text(problems: &[cookiegate::catalogue::Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #![proptest_config(config())]

    /// A catalogue that follows the rules loads, with its categories and
    /// services in order, however awkward its strings.
    #[test]
    fn generated_valid_catalogues_load(g in gen_catalogue()) {
        let doc = render(&g);
        let text = to_text(&doc, g.pretty);
        if let Some(why) = support::readers_disagree(text.as_bytes()) {
            prop_assert!(false, "{}", why);
        }
        match load(text.as_bytes()) {
            Ok(c) => {
                prop_assert_eq!(c.revision, g.revision);
                prop_assert_eq!(c.categories.len(), g.categories.len());
                prop_assert_eq!(c.services.len(), g.services.len());
                for (i, s) in c.services.iter().enumerate() {
                    let ci = g.services[i].category % g.categories.len();
                    prop_assert_eq!(&s.category, &format!("cat-{ci}"));
                    prop_assert_eq!(&s.name, &cookiegate::catalogue::Localized::from(g.services[i].name.as_str()));
                }
                // What the browser loads from it: every language, and each one alone.
                let bundle = cookiegate::catalogue::bundle(text.as_bytes());
                let bundle = bundle.map_err(|p| TestCaseError::fail(problems_text(&p)))?;
                prop_assert_eq!(&load(bundle.all.as_bytes()).ok(), &Some(c.clone()));
                for (lang, one) in &bundle.by_language {
                    let one = load(one.as_bytes()).map_err(|p| TestCaseError::fail(problems_text(&p)))?;
                    prop_assert_eq!(&one.languages, &vec![lang.clone()]);
                    prop_assert_eq!(one.services.len(), c.services.len());
                }
            }
            Err(problems) => prop_assert!(false, "refused:\n{}\n{}", problems_text(&problems), text),
        }
    }

    /// A value of the wrong type anywhere is refused with a problem at that
    /// value's path and position.
    #[test]
    fn a_wrong_type_is_reported_where_it_is(g in gen_catalogue(), which in any::<prop::sample::Index>(), pick in any::<u8>()) {
        let mut doc = render(&g);
        let slots = typed_slots(&doc);
        let (steps, path) = which.get(&slots).clone();
        let slot = at_mut(&mut doc, &steps);
        *slot = wrong_type(slot, pick);
        let text = to_text(&doc, g.pretty);
        let want = pos_at(&text, &steps).expect("the slot exists");
        if let Some(why) = support::readers_disagree(text.as_bytes()) {
            prop_assert!(false, "{}", why);
        }
        match load(text.as_bytes()) {
            Ok(_) => prop_assert!(false, "accepted a wrong type at {}:\n{}", path, text),
            Err(problems) => {
                if let Some(why) = support::unplaced_problems(text.as_bytes(), &problems) {
                    prop_assert!(false, "{}", why);
                }
                prop_assert!(
                    problems.iter().any(|p| p.path == path && p.pos == want),
                    "no problem at {} ({}):\n{}", path, want, problems_text(&problems)
                );
            }
        }
    }

    /// Other damage (unknown references, bad lifetimes, strings too long,
    /// unknown fields, removed fields, duplicated entries) never panics, and
    /// anything refused is placed.
    #[test]
    fn damaged_catalogues_never_panic_and_place_problems(
        g in gen_catalogue(),
        damage in prop::collection::vec((0u8..7, any::<prop::sample::Index>()), 1..4),
    ) {
        let mut doc = render(&g);
        for (kind, which) in &damage {
            let slots = typed_slots(&doc);
            if slots.is_empty() {
                break;
            }
            let (steps, _) = which.get(&slots).clone();
            match kind {
                0 => *at_mut(&mut doc, &steps) = json!("no-such-id"),
                1 => *at_mut(&mut doc, &steps) = json!("11 years"),
                2 => *at_mut(&mut doc, &steps) = json!("\u{202E}".repeat(10_001)),
                3 => *at_mut(&mut doc, &steps) = json!({"surprise": [1, {"x": null}]}),
                4 => {
                    if let (Some(PathStep::Key(k)), parent) = (steps.last(), &steps[..steps.len() - 1]) {
                        if let Some(o) = at_mut(&mut doc, parent).as_object_mut() {
                            o.remove(k);
                        }
                    }
                }
                5 => {
                    let v = at_mut(&mut doc, &steps).clone();
                    if let Some(PathStep::Index(_)) = steps.last() {
                        if let Some(a) = at_mut(&mut doc, &steps[..steps.len() - 1]).as_array_mut() {
                            a.push(v);
                        }
                    }
                }
                _ => *at_mut(&mut doc, &steps) = json!(""),
            }
        }
        let text = to_text(&doc, g.pretty);
        if let Err(problems) = load(text.as_bytes()) {
            if let Some(why) = support::unplaced_problems(text.as_bytes(), &problems) {
                prop_assert!(false, "{}", why);
            }
        }
        if let Some(why) = support::readers_disagree(text.as_bytes()) {
            prop_assert!(false, "{}", why);
        }
    }
}

// ------------------------ (b2) the browser's reader agrees with `check`

/// The JSON object at `key` of `doc`, if there is one.
fn object_at<'a>(doc: &'a mut Json, key: &str) -> Option<&'a mut Map<String, Json>> {
    doc.get_mut(key)?.as_object_mut()
}

/// The `n`-th (wrapping) item of the list at `key` of `doc`.
fn item_at<'a>(doc: &'a mut Json, key: &str, n: usize) -> Option<&'a mut Json> {
    let list = doc.get_mut(key)?.as_array_mut()?;
    let len = list.len();
    list.get_mut(n.checked_rem(len)?)
}

/// Damage that only the cross-checks see, where the collecting reader
/// leaves out knock-on problems: languages against texts and localized
/// texts, repeated ids, undefined categories, hosts, URL prefixes, Consent
/// Mode grants, required categories.
fn cross_damage(doc: &mut Json, kind: u8, a: usize, b: usize) {
    let first_lang = doc["languages"][0].as_str().unwrap_or("en").to_string();
    match kind {
        0 => {
            if let Some(tag) = item_at(doc, "languages", a) {
                *tag = json!("english");
            }
        }
        1 => {
            if let Some(tags) = doc["languages"].as_array_mut() {
                tags.push(json!("es"));
            }
        }
        2 => {
            if let Some(tags) = doc["languages"].as_array_mut() {
                tags.pop();
            }
        }
        3 => {
            if let Some(texts) = object_at(doc, "texts") {
                let copy = texts.get(&first_lang).cloned().unwrap_or(json!({}));
                texts.insert("xx".into(), copy);
            }
        }
        4 => {
            if let Some(texts) = object_at(doc, "texts") {
                texts.remove(&first_lang);
            }
        }
        5 => {
            if let Some(one) = doc["texts"][&first_lang].as_object_mut() {
                let key = one.keys().nth(a % 38).cloned().unwrap_or_default();
                one.remove(&key);
            }
        }
        6 => {
            let id = item_at(doc, "categories", a).map(|c| c["id"].clone());
            if let (Some(id), Some(c)) = (id, item_at(doc, "categories", b)) {
                c["id"] = id;
            }
        }
        7 => {
            let id = item_at(doc, "services", a).map(|s| s["id"].clone());
            if let (Some(id), Some(s)) = (id, item_at(doc, "services", b)) {
                s["id"] = id;
            }
        }
        8 => {
            if let Some(s) = item_at(doc, "services", a) {
                s["category"] = json!("no-such-category");
            }
        }
        9 => {
            if let Some(s) = item_at(doc, "services", a) {
                if let Some(hosts) = s["hosts"].as_array_mut() {
                    hosts.truncate(b % 2);
                }
            }
        }
        10 => {
            if let Some(s) = item_at(doc, "services", a) {
                let host = s["hosts"][0]
                    .as_str()
                    .unwrap_or("cdn.example.com")
                    .to_string();
                s["urls"] = json!([format!("{host}/tag.js"), "elsewhere.example.com/x"]);
            }
        }
        11 => {
            if let Some(s) = item_at(doc, "services", a) {
                s["hosts"] = json!(["cdn.example.com"]);
                s["urls"] = json!(["cdn.example.com/shared"]);
            }
            if let Some(s) = item_at(doc, "services", b) {
                s["hosts"] = json!(["cdn.example.com"]);
                s["urls"] = json!(["cdn.example.com/shared"]);
            }
        }
        12 => {
            if let Some(s) = item_at(doc, "services", a) {
                s["consent_mode"] = json!([SIGNALS[b % SIGNALS.len()], "security_storage"]);
            }
        }
        13 => {
            if let Some(c) = item_at(doc, "categories", a) {
                c["required"] = json!(true);
                if b % 2 == 0 {
                    c["gpc_opt_out"] = json!(true);
                }
            }
        }
        14 => {
            if let Some(c) = item_at(doc, "categories", a) {
                if let Some(title) = c["title"].as_object_mut() {
                    if b % 2 == 0 {
                        title.remove(&first_lang);
                    } else {
                        title.insert("xx".into(), json!("?"));
                    }
                }
            }
        }
        _ => {
            if let Some(s) = item_at(doc, "services", a) {
                if let Some(name) = s["name"].as_str().map(String::from) {
                    s["name"] = json!({ first_lang: name, "zz": "" });
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The browser reads with a strict reader and `cookiegate check` with a
    /// collecting one: on generated catalogues with damage their rules on
    /// knock-on problems are most likely to tell apart, they accept the
    /// same ones into the same catalogue, and the browser's one problem is
    /// one of those `check` reports.
    #[test]
    fn the_browser_reader_agrees_with_check(
        g in gen_catalogue(),
        damage in prop::collection::vec((0u8..16, any::<usize>(), any::<usize>()), 0..4),
        bytes_damage in prop::collection::vec((0u8..7, any::<prop::sample::Index>()), 0..2),
    ) {
        let mut doc = render(&g);
        for (kind, a, b) in &damage {
            cross_damage(&mut doc, *kind, *a, *b);
        }
        for (kind, which) in &bytes_damage {
            let slots = typed_slots(&doc);
            if slots.is_empty() {
                break;
            }
            let (steps, _) = which.get(&slots).clone();
            *at_mut(&mut doc, &steps) = match kind {
                0 => json!("no-such-id"),
                1 => json!(null),
                2 => json!([]),
                3 => json!({"surprise": 1}),
                4 => json!("11 years"),
                5 => json!(""),
                _ => json!(-1),
            };
        }
        let text = to_text(&doc, g.pretty);
        if let Some(why) = support::readers_disagree(text.as_bytes()) {
            prop_assert!(false, "{}\n{}", why, text);
        }
    }
}

// ------------------------------------------------- (c) stored records

/// 2000-01-01 .. 2100-01-01 in milliseconds.
const YEAR_2000_MS: i64 = 946_684_800_000;
const YEAR_2100_MS: i64 = 4_102_444_800_000;

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::AcceptAll),
        Just(Method::RejectAll),
        Just(Method::Custom),
        Just(Method::Restored),
    ]
}

/// A record id: 1 to 64 bytes of anything, quotes and bidi included.
fn record_id() -> impl Strategy<Value = String> {
    nasty_piece().prop_map(|s| {
        let mut id = String::new();
        for c in format!("i{s}").chars() {
            if id.len() + c.len_utf8() > 64 {
                break;
            }
            id.push(c);
        }
        id
    })
}

#[derive(Clone, Debug)]
struct GenRecord {
    id: String,
    timestamp_ms: i64,
    method: Method,
    gpc: bool,
    category_wishes: Vec<bool>,
    service_wishes: Vec<Option<bool>>,
}

fn gen_record() -> impl Strategy<Value = GenRecord> {
    (
        record_id(),
        YEAR_2000_MS..YEAR_2100_MS,
        method(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 4),
        prop::collection::vec(prop::option::of(any::<bool>()), 4),
    )
        .prop_map(
            |(id, timestamp_ms, method, gpc, category_wishes, service_wishes)| GenRecord {
                id,
                timestamp_ms,
                method,
                gpc,
                category_wishes,
                service_wishes,
            },
        )
}

fn build_record(g: &GenRecord, catalogue: &Catalogue) -> ConsentRecord {
    let cats: Vec<(&str, bool)> = catalogue
        .categories
        .iter()
        .zip(&g.category_wishes)
        .map(|(c, on)| (c.id.as_str(), *on))
        .collect();
    let svcs: Vec<(&str, bool)> = catalogue
        .services
        .iter()
        .zip(&g.service_wishes)
        .filter_map(|(s, on)| on.map(|on| (s.id.as_str(), on)))
        .collect();
    ConsentRecord {
        id: g.id.clone(),
        timestamp_ms: g.timestamp_ms,
        revision: catalogue.revision,
        method: g.method,
        gpc: g.gpc,
        choice: Choice::build(catalogue, &cats, &svcs),
    }
}

/// One edit of a stored record's fields, as tampering or a bug might make.
#[derive(Clone, Debug)]
enum Edit {
    /// Append `"id": on` to `categories` (0) or `services` (1): a duplicate
    /// key, an unknown id or a flip.
    Flag(bool, usize, bool),
    /// Remove every entry of `categories`/`services` at this index.
    Drop(bool, usize),
    Gpc(bool),
    Revision(u32),
    Shift(i64),
}

const IDS: [&str; 12] = [
    "necessary",
    "preferences",
    "analytics",
    "marketing",
    "shop-session",
    "google-analytics",
    "matomo",
    "google-ads",
    "ghost",
    "__proto__",
    "Marketing",
    "marketing ",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<bool>(), 0..IDS.len(), any::<bool>()).prop_map(|(s, i, on)| Edit::Flag(s, i, on)),
        2 => (any::<bool>(), 0usize..8).prop_map(|(s, i)| Edit::Drop(s, i)),
        1 => any::<bool>().prop_map(Edit::Gpc),
        1 => prop_oneof![Just(3u32), any::<u32>()].prop_map(Edit::Revision),
        1 => (-40 * 86_400_000i64..40 * 86_400_000).prop_map(Edit::Shift),
    ]
}

/// The stored form of `r` after `edits`, written by hand so duplicate keys
/// survive (a `serde_json` map would merge them).
fn stored_with_edits(r: &ConsentRecord, edits: &[Edit]) -> String {
    let mut cats = r.choice.categories.clone();
    let mut svcs = r.choice.services.clone();
    let (mut gpc, mut rev, mut ts) = (r.gpc, r.revision, r.timestamp_ms);
    for e in edits {
        match e {
            Edit::Flag(service, i, on) => {
                let list = if *service { &mut svcs } else { &mut cats };
                list.push((IDS[*i].to_string(), *on));
            }
            Edit::Drop(service, i) => {
                let list = if *service { &mut svcs } else { &mut cats };
                if *i < list.len() {
                    list.remove(*i);
                }
            }
            Edit::Gpc(g) => gpc = *g,
            Edit::Revision(v) => rev = *v,
            Edit::Shift(d) => ts += d,
        }
    }
    let mut out = String::from("{\"id\":");
    json::write_str(&mut out, &r.id);
    out.push_str(",\"timestamp\":");
    json::write_str(&mut out, &cookiegate::consent::time::iso_from_ms(ts));
    out.push_str(&format!(",\"revision\":{rev},\"method\":"));
    json::write_str(&mut out, r.method.as_str());
    out.push_str(&format!(",\"gpc\":{gpc}"));
    for (name, list) in [("categories", &cats), ("services", &svcs)] {
        out.push_str(&format!(",\"{name}\":{{"));
        for (i, (k, on)) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_str(&mut out, k);
            out.push_str(&format!(":{on}"));
        }
        out.push('}');
    }
    out.push('}');
    out
}

fn check_placed(text: &str, result: &Result<ConsentRecord, Invalid>) -> Result<(), TestCaseError> {
    if let Err(Invalid::Corrupt { pos, message }) = result {
        if let Some(why) = support::misplaced(text, *pos) {
            return Err(TestCaseError::fail(format!("{why}: {message}")));
        }
    }
    Ok(())
}

fn record_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"id\":\"x\"".to_string()),
        Just("\"timestamp\":\"2024-03-01T12:00:00Z\"".to_string()),
        Just("\"timestamp\":\"9999-12-31T23:59:60.999999999Z\"".to_string()),
        Just("\"revision\":3".to_string()),
        Just("\"revision\":99999999999999999999".to_string()),
        Just("\"method\":\"custom\"".to_string()),
        Just("\"gpc\":true".to_string()),
        Just("\"categories\":{\"marketing\":true}".to_string()),
        Just("\"services\":{\"google-ads\":true}".to_string()),
        Just("\n".to_string()),
        any::<String>(),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(fragment, 0..24).prop_map(|f| f.concat()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn stored_records_never_panic_and_corruption_is_placed(
        text in record_text(),
        now in any::<i64>(),
        gpc_now in any::<bool>(),
    ) {
        let catalogue = support::small_catalogue();
        check_placed(&text, &parse_stored(&text))?;
        let restored = ConsentRecord::restore(&text, &catalogue, now, gpc_now);
        check_placed(&text, &restored)?;
        if let (Ok(raw), Ok(r)) = (parse_stored(&text), &restored) {
            if let Some(why) = support::extra_grant(&catalogue, &raw, r, gpc_now) {
                prop_assert!(false, "{}", why);
            }
        }
    }

    /// A record as cookiegate stores it comes back as it was.
    #[test]
    fn a_valid_record_round_trips(g in gen_record(), age in 0i64..(30 * 86_400_000)) {
        let catalogue = support::small_catalogue();
        let record = build_record(&g, &catalogue);
        let stored = record.to_stored_json(&catalogue);
        prop_assert_eq!(parse_stored(&stored), Ok(record.clone()));
        let restored = ConsentRecord::restore(&stored, &catalogue, g.timestamp_ms + age, g.gpc);
        prop_assert_eq!(restored, Ok(record));
    }

    /// An edited record never grants a category the catalogue lacks, a
    /// service whose category it refuses, or what GPC opts out of.
    #[test]
    fn an_edited_record_never_grants_more(
        g in gen_record(),
        edits in prop::collection::vec(edit(), 1..6),
        age in -86_400_000i64..(40 * 86_400_000),
        gpc_now in any::<bool>(),
    ) {
        let catalogue = support::small_catalogue();
        let stored = stored_with_edits(&build_record(&g, &catalogue), &edits);
        let raw = match parse_stored(&stored) {
            Ok(raw) => raw,
            // A repeated key is refused outright: no consent at all.
            Err(Invalid::Corrupt { message, .. }) if message.ends_with("appears twice") => {
                return Ok(());
            }
            Err(other) => {
                return Err(TestCaseError::fail(format!("an edited record must still read: {other:?}\n{stored}")));
            }
        };
        if let Ok(r) = ConsentRecord::restore(&stored, &catalogue, g.timestamp_ms + age, gpc_now) {
            if let Some(why) = support::extra_grant(&catalogue, &raw, &r, gpc_now) {
                prop_assert!(false, "{}\n{}", why, stored);
            }
        }
    }
}

// ------------------------------------------------------- (d) JSON reader

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        any::<String>().prop_map(Json::String),
        nasty_piece().prop_map(Json::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

/// The character at `pos` in `text`.
fn char_at(text: &str, pos: Pos) -> Option<char> {
    let line = text.split('\n').nth(pos.line.checked_sub(1)? as usize)?;
    line.chars().nth(pos.column.checked_sub(1)? as usize)
}

/// Why `ours` (our reader's tree of `text`) differs from `theirs`, if it
/// does: same structure, strings, number text, and every value's and key's
/// position at its first character.
fn compare(text: &str, ours: &json::Value, theirs: &Json, path: &str) -> Result<(), String> {
    let first = char_at(text, ours.pos);
    let starts_right = match (&ours.kind, first) {
        (Kind::Null, Some('n'))
        | (Kind::Bool(true), Some('t'))
        | (Kind::Bool(false), Some('f'))
        | (Kind::String(_), Some('"'))
        | (Kind::Array(_), Some('['))
        | (Kind::Object(_), Some('{')) => true,
        (Kind::Number(_), Some(c)) => c == '-' || c.is_ascii_digit(),
        _ => false,
    };
    if !starts_right {
        return Err(format!("{path}: position {} shows {first:?}", ours.pos));
    }
    match (&ours.kind, theirs) {
        (Kind::Null, Json::Null) => Ok(()),
        (Kind::Bool(a), Json::Bool(b)) if a == b => Ok(()),
        (Kind::String(a), Json::String(b)) if a == b => Ok(()),
        (Kind::Number(a), Json::Number(b)) => {
            let same_value = match (ours.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            };
            if *a == b.to_string() && same_value {
                Ok(())
            } else {
                Err(format!("{path}: number {a} is not {b}"))
            }
        }
        (Kind::Array(a), Json::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items, not {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .try_for_each(|(i, (x, y))| compare(text, x, y, &format!("{path}[{i}]")))
        }
        (Kind::Object(a), Json::Object(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} members, not {}", a.len(), b.len()));
            }
            a.iter().zip(b).try_for_each(|(m, (k, v))| {
                if m.key != *k {
                    return Err(format!("{path}: key {:?} is not {k:?}", m.key));
                }
                if char_at(text, m.key_pos) != Some('"') {
                    return Err(format!("{path}.{k}: key position {} is off", m.key_pos));
                }
                compare(text, &m.value, v, &format!("{path}.{k}"))
            })
        }
        _ => Err(format!("{path}: {} is not {theirs}", ours.kind_name())),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_parse_never_panics_and_places_errors(text in prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"),
                        Just("\"a\""), Just("\"\\u"), Just("\\ud83d"), Just("1"), Just("-"),
                        Just("."), Just("e"), Just("true"), Just("nul"), Just("\n"), Just(" "),
                        Just("é"), Just("\u{feff}"), Just("'")],
            0..48,
        ).prop_map(|t| t.concat()),
    ]) {
        if let Err(e) = json::parse(&text) {
            if let Some(why) = support::misplaced(&text, e.pos) {
                prop_assert!(false, "{}: {}", why, e.message);
            }
        }
        if let Err(e) = json::parse_bytes(text.as_bytes()) {
            if let Some(why) = support::misplaced(&text, e.pos) {
                prop_assert!(false, "{}: {}", why, e.message);
            }
        }
    }

    /// Whatever serde_json writes, we read as the same tree, with every
    /// position on the value's first character.
    #[test]
    fn json_parse_agrees_with_serde_json(v in any_json(), pretty in any::<bool>()) {
        let text = to_text(&v, pretty);
        match json::parse(&text) {
            Ok(ours) => {
                if let Err(why) = compare(&text, &ours, &v, "$") {
                    prop_assert!(false, "{}\n{}", why, text);
                }
            }
            Err(e) => prop_assert!(false, "refused at {}: {}\n{}", e.pos, e.message, text),
        }
    }

    /// Cut short anywhere, a document is refused at a place inside it.
    #[test]
    fn truncated_json_is_refused_inside_the_text(v in any_json(), cut in any::<prop::sample::Index>()) {
        let text = to_text(&v, true);
        let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
        prop_assume!(!ends.is_empty());
        let short = &text[..*cut.get(&ends)];
        if let Err(e) = json::parse(short) {
            if let Some(why) = support::misplaced(short, e.pos) {
                prop_assert!(false, "{}: {}", why, e.message);
            }
        }
    }
}
