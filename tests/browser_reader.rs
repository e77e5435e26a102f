//! The browser reads a catalogue with a strict reader (`load_strict`: the
//! first problem only) and `cookiegate check` with a collecting one
//! (`load`). They must not drift: on every catalogue we ship or test with,
//! and on the mistakes whose knock-on problems the collecting reader leaves
//! out, both accept the same, into the same catalogue, and the browser's
//! problem is one that `cookiegate check` reports. (The property tests in
//! `tests/properties.rs` hold the same on generated and damaged catalogues,
//! and every refused catalogue of `tests/catalogue_rules.rs`, the listed
//! mistakes included, is checked through `tests/common::problems`.)
#![cfg(not(target_arch = "wasm32"))]

mod support;

use cookiegate::catalogue::{self, bundle, load, load_strict, Issue};

const SHIPPED: [(&str, &[u8]); 3] = [
    (
        "policies/storefront.json",
        include_bytes!("../policies/storefront.json"),
    ),
    (
        "policies/storefront-2016.json",
        include_bytes!("../policies/storefront-2016.json"),
    ),
    (
        "policies/starter.json",
        include_bytes!("../policies/starter.json"),
    ),
];

const FIXTURES: [(&str, &[u8]); 2] = [
    (
        "tests/fixtures/valid.json",
        include_bytes!("fixtures/valid.json"),
    ),
    (
        "tests/fixtures/small-catalogue.json",
        include_bytes!("fixtures/small-catalogue.json"),
    ),
];

fn agree(name: &str, bytes: &[u8]) {
    if let Some(why) = support::readers_disagree(bytes) {
        panic!("{name}: {why}");
    }
}

#[test]
fn every_shipped_catalogue_and_each_built_language_reads_the_same_in_the_browser() {
    for (name, bytes) in SHIPPED {
        agree(name, bytes);
        let c = load_strict(bytes).unwrap_or_else(|p| panic!("{name} is valid: {p}"));
        assert!(!c.services.is_empty(), "{name}");
        // What build.sh ships: catalogue.json and catalogue.<lang>.json.
        let built = bundle(bytes).unwrap_or_else(|p| panic!("{name} bundles: {p:?}"));
        agree(&format!("{name} -> catalogue.json"), built.all.as_bytes());
        assert_eq!(load_strict(built.all.as_bytes()).ok(), Some(c.clone()));
        assert_eq!(built.by_language.len(), c.languages.len(), "{name}");
        for (lang, text) in &built.by_language {
            agree(&format!("{name} -> catalogue.{lang}.json"), text.as_bytes());
            let one = load_strict(text.as_bytes()).unwrap_or_else(|p| panic!("{lang}: {p}"));
            assert_eq!(one.languages, std::slice::from_ref(lang));
        }
    }
}

#[test]
fn the_test_fixtures_read_the_same_in_the_browser() {
    for (name, bytes) in FIXTURES {
        agree(name, bytes);
    }
    assert!(load_strict(include_bytes!("fixtures/valid.json")).is_ok());
}

/// `tests/fixtures/valid.json` with the first `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    let valid = include_str!("fixtures/valid.json");
    assert!(valid.contains(from), "the fixture has no {from:?}");
    valid.replacen(from, to, 1)
}

/// The browser's one problem: agreeing with `cookiegate check`, and at `path`.
fn first_problem(text: &str, path: &str) -> catalogue::Problem {
    agree(path, text.as_bytes());
    let problem = load_strict(text.as_bytes()).expect_err("the catalogue is refused");
    assert_eq!(problem.path, path, "{problem}");
    problem
}

#[test]
fn a_wrong_language_tag_is_the_problem_not_the_texts_written_for_it() {
    // With "deutsch" declared, the texts in "de" are undeclared: a knock-on
    // `check` leaves out, reporting the tag once. The browser names the tag.
    let text = edited(
        "\"languages\": [\"en\", \"de\"]",
        "\"languages\": [\"en\", \"deutsch\"]",
    );
    let p = first_problem(&text, "$.languages[1]");
    assert!(matches!(p.issue, Issue::Syntax { .. }), "{p}");
}

#[test]
fn texts_under_a_misspelt_language_are_one_problem_in_texts() {
    let text = edited(
        "\"de\": {\n      \"banner_title\"",
        "\"ge\": {\n      \"banner_title\"",
    );
    let p = first_problem(&text, "$.texts");
    assert!(
        matches!(&p.issue, Issue::MissingTexts { lang, unclaimed } if lang == "de" && unclaimed == &["ge"]),
        "{p}"
    );
    let all = load(text.as_bytes()).expect_err("check refuses it too");
    assert!(
        all.iter()
            .all(|q| !matches!(q.issue, Issue::UndeclaredLanguage { .. })),
        "no knock-on problem in check either: {all:?}"
    );
}

#[test]
fn the_browser_names_a_problem_after_the_first_service_too() {
    // Problems anywhere are found, not only in the first object read.
    let text = edited("\"category\": \"marketing\"", "\"category\": \"marketng\"");
    let p = first_problem(&text, &p_path(&text, "marketng"));
    assert!(matches!(p.issue, Issue::UndefinedCategory { .. }), "{p}");
    assert!(
        p.describe().contains(": this category is not defined"),
        "{}",
        p.describe()
    );
}

/// The path of the service whose `category` is `id`.
fn p_path(text: &str, id: &str) -> String {
    let doc = cookiegate::json::parse(text).expect("JSON");
    let services = doc
        .get("services")
        .and_then(|s| s.as_array())
        .unwrap_or_default();
    let i = services
        .iter()
        .position(|s| s.get("category").and_then(|c| c.as_str()) == Some(id))
        .expect("a service in that category");
    format!("$.services[{i}].category")
}
