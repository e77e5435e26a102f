//! Each catalogue rule, as a catalogue editor meets it: a small edit of a
//! valid catalogue, and the exact place, path and words of the problem.
// The full messages and warnings are `cookiegate check`'s: native only.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{assert_one, assert_problem, edit, edit_text, pos_of, problems, VALID};
use cookiegate::catalogue::{self, Lifetime, Matcher, Party, Signal, StorageKind, TextKey, Unit};

const SHOP: &str = "{\n      \"id\": \"shop\"";
const GA_COOKIE: &str = "\"name\": \"_ga\",";

// ---- the valid catalogue ----

#[test]
fn valid_catalogue_loads_into_the_model() {
    let c = catalogue::load(VALID.as_bytes()).expect("the fixture is valid");
    assert_eq!(c.revision, 3);
    assert_eq!(c.consent_days, 180);
    assert_eq!(c.policy_url, "https://shop.example/privacy");
    assert_eq!(c.languages, ["en", "de"]);
    assert_eq!(c.text("de", TextKey::AcceptAll), "Alle akzeptieren");
    assert_eq!(c.text("fr", TextKey::RejectAll), "Reject all");
    assert_eq!(c.texts.len(), 2);
    assert!(c.texts.iter().all(|t| t.values.len() == TextKey::ALL.len()));

    let ids: Vec<&str> = c.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["necessary", "analytics", "marketing"]);
    let necessary = c.category("necessary").unwrap();
    assert!(necessary.required && !necessary.gpc_opt_out);
    assert_eq!(necessary.title.pick("de", "en"), "Notwendig");
    let marketing = c.category("marketing").unwrap();
    assert!(!marketing.required && marketing.gpc_opt_out);
    assert_eq!(
        marketing.consent_mode,
        [
            Signal::AdStorage,
            Signal::AdUserData,
            Signal::AdPersonalization
        ]
    );

    let payments = c.service("payments").unwrap();
    assert_eq!(payments.category, "necessary");
    assert_eq!(payments.hosts, ["js.stripe.com", "m.stripe.network"]);
    assert_eq!(payments.scripts[0].src, "https://js.stripe.com/v3/");
    assert!(payments.scripts[0].is_async);
    assert!(payments.justification.is_some());
    assert_eq!(payments.cookies[0].party, Party::Third);
    assert_eq!(payments.cookies[0].domain.as_deref(), Some(".stripe.com"));

    let ga = c.service("google-analytics").unwrap();
    assert_eq!(ga.consent_mode, [Signal::AnalyticsStorage]);
    assert_eq!(ga.purpose.pick("de", "en"), "Zählt Besuche.");
    assert!(ga.scripts[0]
        .integrity
        .as_deref()
        .unwrap()
        .starts_with("sha384-"));
    assert!(!ga.scripts[0].is_async);
    assert_eq!(ga.cookies[0].matcher, Matcher::Exact("_ga".into()));
    assert_eq!(
        ga.cookies[0].lifetime,
        Lifetime::Span {
            count: 2,
            unit: Unit::Year
        }
    );
    assert_eq!(ga.cookies[0].path, "/");
    assert!(ga.cookies[1].matcher.matches("_ga_ABC123"));
    let gac = &ga.cookies[2].matcher;
    assert_eq!(gac, &Matcher::Glob("_gac_*".into()));
    assert!(gac.matches("_gac_gb_123") && gac.matches("_gac_UA-1-1") && !gac.matches("x_gac_1"));
    assert_eq!(ga.cookies[2].purpose.pick("en", "en"), "Ad clicks.");
    assert_eq!(ga.storage[0].kind, StorageKind::Session);
    assert_eq!(ga.storage[0].lifetime, None);
    // A glob covers the whole name.
    let seen = &ga.storage[1].matcher;
    assert!(seen.matches("ga_12_seen") && !seen.matches("xga_12_seen") && !seen.matches("ga_12"));

    let shop = c.service("shop").unwrap();
    assert_eq!(shop.cookies[0].lifetime, Lifetime::Session);
    assert_eq!(shop.storage[0].kind, StorageKind::Local);
    assert_eq!(
        shop.storage[0].lifetime,
        Some(Lifetime::Span {
            count: 30,
            unit: Unit::Day
        })
    );
    assert_eq!(c.services_of("necessary").count(), 2);
}

#[test]
fn consent_days_defaults_to_182() {
    let c = edit("  \"consent_days\": 180,\n", "");
    assert_eq!(catalogue::load(c.as_bytes()).unwrap().consent_days, 182);
}

// ---- JSON shape ----

#[test]
fn invalid_json_is_reported_where_it_breaks() {
    let c = edit("\"revision\": 3,", "\"revision\": 3");
    assert_one(&c, "$", "\"consent_days\"", &["not valid JSON", "comma"]);
}

#[test]
fn catalogue_must_be_an_object() {
    assert_one("[1]", "$", "[", &["expected an object", "found a list"]);
}

#[test]
fn wrong_type_says_what_was_expected_and_found() {
    let c = edit("\"languages\": [\"en\", \"de\"]", "\"languages\": \"en\"");
    let found = problems(&c);
    assert_problem(
        &found[0],
        &c,
        "$.languages",
        "\"en\"",
        &["expected a list, found a string"],
    );
    let c = edit("\"required\": true", "\"required\": \"yes\"");
    assert_one(
        &c,
        "$.categories[0].required",
        "\"yes\"",
        &["expected true or false, found a string"],
    );
    let c = edit(
        "\"title\": {\"en\": \"Necessary\", \"de\": \"Notwendig\"}",
        "\"title\": \"Necessary\"",
    );
    assert_one(
        &c,
        "$.categories[0].title",
        "\"Necessary\"",
        &["expected an object of texts by language", "found a string"],
    );
}

#[test]
fn missing_required_field_is_reported_on_its_object() {
    let c = edit(
        "\"id\": \"shop\",\n      \"category\": \"necessary\",",
        "\"id\": \"shop\",",
    );
    assert_one(
        &c,
        "$.services[0]",
        "{\n      \"id\": \"shop\"",
        &["missing \"category\": a service needs one"],
    );
    let c = edit("  \"revision\": 3,\n", "");
    assert_one(&c, "$", "{", &["missing \"revision\""]);
}

#[test]
fn unknown_field_suggests_the_likely_one() {
    let c = edit("\"category\": \"necessary\"", "\"categroy\": \"necessary\"");
    let found = problems(&c);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_problem(
        &found[0],
        &c,
        "$.services[0]",
        SHOP,
        &["missing \"category\""],
    );
    assert_problem(
        &found[1],
        &c,
        "$.services[0].categroy",
        "\"categroy\"",
        &["unknown field \"categroy\"; did you mean \"category\"?"],
    );
}

#[test]
fn unknown_field_without_a_likely_one_lists_the_fields() {
    let c = edit(GA_COOKIE, "\"name\": \"_ga\", \"secure\": true,");
    assert_one(
        &c,
        "$.services[2].cookies[0].secure",
        "\"secure\"",
        &[
            "unknown field \"secure\"",
            "a cookie has \"name\", \"prefix\", \"glob\", \"lifetime\"",
        ],
    );
}

#[test]
fn keys_that_are_not_identifiers_are_quoted_in_paths() {
    let c = edit("\"revision\": 3,", "\"revision\": 3, \"weird key\": 1,");
    assert_one(&c, "$[\"weird key\"]", "\"weird key\"", &["unknown field"]);
}

#[test]
fn duplicate_keys_are_refused() {
    let c = edit("\"revision\": 3,", "\"revision\": 3, \"revision\": 4,");
    let at = pos_of(&c, "\"revision\"");
    let found = problems(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "$.revision");
    assert!(found[0].message().contains("\"revision\" is given twice"));
    assert!(found[0]
        .message()
        .contains(&format!("line {}", at.split(':').next().unwrap())));
    assert_ne!(found[0].pos.to_string(), at, "reported at the second one");
}

// ---- ids and categories ----

#[test]
fn ids_are_slugs() {
    let c = edit("\"id\": \"shop\"", "\"id\": \"Shop Cart\"");
    assert_one(
        &c,
        "$.services[0].id",
        "\"Shop Cart\"",
        &[
            "\"Shop Cart\" is not a valid id",
            "lower-case letters, digits and hyphens",
            "\"shop-cart\"",
        ],
    );
}

#[test]
fn duplicate_category_and_service_ids_are_refused() {
    let c = edit("\"id\": \"marketing\"", "\"id\": \"analytics\"");
    let found = problems(&c);
    let dup = found
        .iter()
        .find(|p| p.path == "$.categories[2].id")
        .expect("duplicate reported");
    assert!(dup
        .message()
        .contains("\"analytics\" is already used by the category at line"));
    let c = edit("\"id\": \"payments\"", "\"id\": \"shop\"");
    let found = problems(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "$.services[1].id");
    assert!(found[0]
        .message()
        .contains("the service id \"shop\" is already used"));
}

#[test]
fn undefined_category_suggests_the_likely_one() {
    let c = edit("\"category\": \"analytics\"", "\"category\": \"analitics\"");
    assert_one(
        &c,
        "$.services[2].category",
        "\"analitics\"",
        &["category \"analitics\" is not defined; did you mean \"analytics\"?"],
    );
    let c = edit(
        "\"category\": \"analytics\"",
        "\"category\": \"statistics\"",
    );
    assert_one(
        &c,
        "$.services[2].category",
        "\"statistics\"",
        &["the categories are \"necessary\", \"analytics\", \"marketing\""],
    );
}

#[test]
fn gpc_opt_out_on_a_required_category_is_refused() {
    let c = edit(
        "\"required\": true,",
        "\"required\": true, \"gpc_opt_out\": true,",
    );
    assert_one(
        &c,
        "$.categories[0].gpc_opt_out",
        "true,\n      \"title\"",
        &["has no effect"],
    );
}

// ---- languages and texts ----

#[test]
fn languages_are_valid_distinct_and_present() {
    let c = edit("[\"en\", \"de\"]", "[\"en\", \"de\", \"pt_BR\"]");
    assert_one(
        &c,
        "$.languages[2]",
        "\"pt_BR\"",
        &["not a language tag", "\"pt-BR\""],
    );
    let c = edit("[\"en\", \"de\"]", "[\"en\", \"de\", \"EN\"]");
    assert_one(&c, "$.languages[2]", "\"EN\"", &["\"EN\" is listed twice"]);
    let c = edit("[\"en\", \"de\"]", "[]");
    let found = problems(&c);
    assert_problem(&found[0], &c, "$.languages", "[]", &["this list is empty"]);
}

#[test]
fn every_declared_language_needs_every_text() {
    let c = edit("\"accept_all\": \"Alle akzeptieren\",\n", "");
    assert_one(
        &c,
        "$.texts.de",
        "{\n      \"banner_title\": \"Wir",
        &["missing text \"accept_all\" for declared language \"de\""],
    );
    // One problem, not one per object of texts that lacks French too.
    let c = edit("[\"en\", \"de\"]", "[\"en\", \"de\", \"fr\"]");
    assert_one(
        &c,
        "$.texts",
        "{\n    \"en\"",
        &["missing texts for declared language \"fr\""],
    );
}

#[test]
fn one_wrong_language_tag_is_one_problem() {
    for (tag, path, at, says) in [
        (
            "de_DE",
            "$.languages[1]",
            "\"de_DE\"",
            "\"de_DE\" is not a language tag",
        ),
        (
            "german",
            "$.languages[1]",
            "\"german\"",
            "not a language tag",
        ),
        (
            "dee",
            "$.texts",
            "{\n    \"en\"",
            "missing texts for declared language \"dee\"; the texts are written for \"de\"",
        ),
        (
            "DE",
            "$.texts",
            "{\n    \"en\"",
            "the texts are written for \"de\"",
        ),
    ] {
        let c = edit("[\"en\", \"de\"]", &format!("[\"en\", \"{tag}\"]"));
        assert_one(&c, path, at, &[says]);
    }
}

#[test]
fn unknown_text_keys_suggest_the_likely_one() {
    let c = edit("\"accept_all\": \"Alle", "\"acept_all\": \"Alle");
    let found = problems(&c);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_problem(
        &found[1],
        &c,
        "$.texts.de.acept_all",
        "\"acept_all\"",
        &["unknown text \"acept_all\"; did you mean \"accept_all\"?"],
    );
}

#[test]
fn texts_for_undeclared_languages_are_refused() {
    // Reported once at the texts, not again in every object that has German.
    let c = edit("[\"en\", \"de\"]", "[\"en\"]");
    assert_one(
        &c,
        "$.texts.de",
        "\"de\": {",
        &[
            "texts for \"de\", which is not a declared language",
            "add it to \"languages\"",
        ],
    );
    // A text in a language that neither `languages` nor `texts` has is its own mistake.
    let c = edit(
        "\"de\": \"Zählt Besuche.\"",
        "\"de\": \"Zählt Besuche.\", \"fr\": \"Compte.\"",
    );
    assert_one(
        &c,
        "$.services[2].purpose.fr",
        "\"fr\": \"Compte",
        &["text in \"fr\", which is not a declared language"],
    );
}

#[test]
fn localized_fields_cover_every_language_with_non_empty_text() {
    let c = edit(
        "{\"en\": \"Counts visits.\", \"de\": \"Zählt Besuche.\"}",
        "{\"en\": \"Counts visits.\"}",
    );
    assert_one(
        &c,
        "$.services[2].purpose",
        "{\"en\": \"Counts visits.\"}",
        &["missing text for declared language \"de\""],
    );
    let c = edit("\"de\": \"Zählt Besuche.\"", "\"de\": \"  \"");
    assert_one(
        &c,
        "$.services[2].purpose.de",
        "\"  \"",
        &["this text is empty"],
    );
    let c = edit("\"de\": \"Zählt Besuche.\"", "\"DE\": \"Zählt Besuche.\"");
    let found = problems(&c);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_problem(
        &found[1],
        &c,
        "$.services[2].purpose.DE",
        "\"DE\"",
        &["not a declared language; did you mean \"de\"?"],
    );
}

#[test]
fn weird_language_tags_are_quoted_in_paths() {
    let c = edit("[\"en\", \"de\"]", "[\"en\", \"de\", \"pt-BR\"]");
    let c = edit_text(&c, "\"de\": {", "\"pt-BR\": {}, \"de\": {");
    let found = problems(&c);
    assert!(found
        .iter()
        .any(|p| p.path == "$.categories[0].title" && p.message().contains("\"pt-BR\"")));
    let found = problems(&c);
    assert!(found.iter().any(|p| p.path == "$.texts[\"pt-BR\"]"
        && p.message()
            .contains("missing text \"banner_title\" for declared language \"pt-BR\"")));
}

// ---- URLs and hosts ----

#[test]
fn urls_must_be_absolute_https() {
    let cases = [
        ("http://shop.example/privacy", "uses http:"),
        (
            "javascript:alert(1)",
            "a javascript: URL; only https: URLs are allowed",
        ),
        ("data:text/html,hi", "a data: URL"),
        ("//shop.example/privacy", "protocol-relative"),
        (
            "https://shop.example/pri vacy",
            "spaces or control characters",
        ),
        ("https://admin@shop.example/", "user name or password"),
        ("shop.example/privacy", "not an absolute URL"),
        ("https://localhost/privacy", "invalid host"),
    ];
    for (url, says) in cases {
        let c = edit(
            "\"policy_url\": \"https://shop.example/privacy\"",
            &format!("\"policy_url\": \"{url}\""),
        );
        assert_one(&c, "$.policy_url", &format!("\"{url}\""), &[says]);
    }
}

#[test]
fn script_host_must_be_one_of_the_service_hosts() {
    let c = edit(
        "\"https://js.stripe.com/v3/\"",
        "\"https://cdn.stripe.com/v3/\"",
    );
    assert_one(
        &c,
        "$.services[1].scripts[0].src",
        "\"https://cdn.stripe.com",
        &["the script's host \"cdn.stripe.com\" is not one of this service's \"hosts\""],
    );
}

#[test]
fn hosts_are_bare_host_names() {
    let cases = [
        ("https://js.stripe.com", "without the scheme"),
        ("js.stripe.com/v3", "no path"),
        ("js.stripe.com:443", "no port"),
        ("*.stripe.com", "wildcards are not allowed"),
        ("JS.stripe.com", "lower case: \"js.stripe.com\""),
        ("stripe", "at least one dot"),
    ];
    for (host, says) in cases {
        let c = edit(
            "\"js.stripe.com\", \"m.stripe.network\"",
            &format!("\"{host}\", \"js.stripe.com\""),
        );
        assert_one(
            &c,
            "$.services[1].hosts[0]",
            &format!("\"{host}\""),
            &[says],
        );
    }
    let c = edit("\"m.stripe.network\"", "\"js.stripe.com\"");
    assert_one(
        &c,
        "$.services[1].hosts[1]",
        "\"js.stripe.com\"]",
        &["listed twice"],
    );
}

#[test]
fn integrity_is_a_sha2_hash_of_the_right_length() {
    let c = edit("\"sha384-AAAA", "\"sha1-AAAA");
    assert_one(
        &c,
        "$.services[2].scripts[0].integrity",
        "\"sha1-",
        &["sha256-, sha384- or sha512-"],
    );
    let c = edit("\"sha384-AAAA", "\"sha384-AAA");
    assert_one(
        &c,
        "$.services[2].scripts[0].integrity",
        "\"sha384-",
        &["64 base64 characters, but this one has 63"],
    );
}

// ---- cookies and storage keys ----

#[test]
fn entries_need_exactly_one_of_name_prefix_regex() {
    let c = edit("\"name\": \"_ga\",\n          ", "");
    assert_one(
        &c,
        "$.services[2].cookies[0]",
        "{\n          \"lifetime\": \"2 years\"",
        &["missing \"name\", \"prefix\" or \"glob\""],
    );
    let c = edit(GA_COOKIE, "\"name\": \"_ga\", \"prefix\": \"_g\",");
    assert_one(
        &c,
        "$.services[2].cookies[0].prefix",
        "\"prefix\": \"_g\"",
        &["give only one of \"name\", \"prefix\" or \"glob\""],
    );
    let c = edit("\"prefix\": \"_ga_\"", "\"prefix\": \"\"");
    assert_one(
        &c,
        "$.services[2].cookies[1].prefix",
        "\"\"",
        &["this text is empty"],
    );
}

#[test]
fn globs_need_a_star_and_something_else() {
    let c = edit("\"_gac_*\"", "\"_gac_\"");
    assert_one(
        &c,
        "$.services[2].cookies[2].glob",
        "\"_gac_\"",
        &["has no *, so it is a plain name: write \"name\": \"_gac_\""],
    );
    for every in ["*", "**"] {
        let c = edit("\"_gac_*\"", &format!("\"{every}\""));
        assert_one(
            &c,
            "$.services[2].cookies[2].glob",
            &format!("\"{every}\""),
            &["would match every name"],
        );
    }
    let long = "a*".repeat(101);
    let c = edit("\"_gac_*\"", &format!("\"{long}\""));
    assert_one(
        &c,
        "$.services[2].cookies[2].glob",
        &format!("\"{long}"),
        &["202 characters long; at most 200"],
    );
}

#[test]
fn regular_expressions_are_refused_with_the_glob_to_write() {
    let c = edit("\"glob\": \"_gac_*\"", "\"regex\": \"^_gac_(gb_)?[0-9]+$\"");
    assert_one(
        &c,
        "$.services[2].cookies[2].regex",
        "\"regex\"",
        &[
            "does not read regular expressions",
            "\"glob\": \"_gac_*\" covers \"^_gac_(gb_)?[0-9]+$\"",
        ],
    );
    // The browser's short form says the same in a few words.
    let found = problems(&c);
    assert!(found[0].describe().ends_with(
        "$.services[2].cookies[2].regex: regular expressions are not supported; use \"glob\" (* is any run of characters)"
    ));
}

#[test]
fn lifetimes_follow_the_grammar() {
    let cases = [
        ("1 days", "write \"1 day\""),
        ("2 year", "write \"2 years\""),
        ("0 days", "at least 1"),
        (
            "11 years",
            "browsers cap cookies at 400 days; 10 years is the most a catalogue may declare",
        ),
        ("3651 days", "10 years is the most"),
        ("2 weeks", "\"14 days\""),
        ("forever", "not a lifetime"),
        ("Session", "write \"session\""),
    ];
    for (lifetime, says) in cases {
        let c = edit(
            "\"lifetime\": \"2 years\"",
            &format!("\"lifetime\": \"{lifetime}\""),
        );
        let at = format!("\"{lifetime}\",\n          \"party\"");
        assert_one(&c, "$.services[2].cookies[0].lifetime", &at, &[says]);
    }
}

#[test]
fn party_kind_and_consent_mode_suggest_fixes() {
    let c = edit("\"party\": \"third\"", "\"party\": \"thrid\"");
    assert_one(
        &c,
        "$.services[1].cookies[0].party",
        "\"thrid\"",
        &["expected \"first\" or \"third\", found \"thrid\"; did you mean \"third\"?"],
    );
    let c = edit("\"kind\": \"local\"", "\"kind\": \"locale\"");
    assert_one(
        &c,
        "$.services[0].storage[0].kind",
        "\"locale\"",
        &["did you mean \"local\"?"],
    );
    let c = edit(
        "[\"ad_storage\", \"ad_user_data\"]",
        "[\"ad_storag\", \"ad_user_data\"]",
    );
    assert_one(
        &c,
        "$.services[3].consent_mode[0]",
        "\"ad_storag\"",
        &["unknown Consent Mode type \"ad_storag\"; did you mean \"ad_storage\"?"],
    );
}

#[test]
fn service_consent_mode_must_be_granted_by_its_category() {
    let c = edit("\"consent_mode\": [\"analytics_storage\"],\n      \"third", "\"consent_mode\": [\"analytics_storage\", \"ad_storage\", \"security_storage\"],\n      \"third");
    assert_one(
        &c,
        "$.services[2].consent_mode[1]",
        "\"ad_storage\", \"security",
        &["\"ad_storage\" is not granted by category \"analytics\""],
    );
}

#[test]
fn required_service_with_hosts_needs_a_justification() {
    let c = edit(
        "\"justification\": \"Card payments cannot be taken without Stripe's fraud checks.\",\n",
        "",
    );
    assert_one(
        &c,
        "$.services[1]",
        "{\n      \"id\": \"payments\"",
        &[
            "required category \"necessary\" but sends data to other hosts",
            "add a \"justification\"",
        ],
    );
}

// ---- numbers ----

#[test]
fn consent_days_and_revision_are_bounded_whole_numbers() {
    let c = edit("\"consent_days\": 180", "\"consent_days\": 400");
    assert_one(
        &c,
        "$.consent_days",
        "400",
        &["400 is more than 395", "13 months"],
    );
    let c = edit("\"consent_days\": 180", "\"consent_days\": 0");
    assert_one(&c, "$.consent_days", "0,", &["0 is less than 1"]);
    for (revision, says) in [
        ("0", "0 is less than 1"),
        ("-2", "-2 is less than 1"),
        ("1.5", "not a whole number"),
        ("4294967296", "more than 4294967295"),
        ("\"3\"", "expected a whole number, found a string"),
    ] {
        let c = edit("\"revision\": 3", &format!("\"revision\": {revision}"));
        assert_one(&c, "$.revision", revision, &[says]);
    }
}

// ---- bounds ----

#[test]
fn long_strings_and_long_lists_are_refused() {
    let long = "x".repeat(10_001);
    let c = edit("\"Example Shop GmbH\"", &format!("\"{long}\""));
    assert_one(
        &c,
        "$.services[0].provider",
        &format!("\"{long}"),
        &["10001 characters long; at most 10000"],
    );

    let service = "{\"id\": \"s\", \"category\": \"necessary\", \"name\": \"S\", \"provider\": \"P\", \"purpose\": {\"en\": \"x\", \"de\": \"x\"}, \"policy_url\": \"https://s.example/\"}";
    let many = vec![service; 2_001].join(",");
    let c = edit("\"services\": [", &format!("\"services\": [{many},"));
    assert_one(&c, "$.services", "[{", &["2005 items; at most 2000"]);
}

#[test]
fn more_than_20000_entries_in_all_are_refused() {
    let cookie = "{\"prefix\": \"c\", \"lifetime\": \"session\", \"party\": \"first\"}";
    let half = vec![cookie; 10_000].join(",");
    let c = edit("\"cookies\": [", &format!("\"cookies\": [{half},"));
    let c = edit_text(&c, "\"name\": \"__stripe_mid\"", "\"name\": \"x\"");
    let c = edit_text(
        &c,
        "\"cookies\": [\n        {\n          \"name\": \"x\"",
        &format!("\"cookies\": [{half},\n        {{\n          \"name\": \"x\""),
    );
    let found = problems(&c);
    assert_eq!(found.len(), 1, "{:#?}", &found[..found.len().min(3)]);
    assert!(found[0]
        .message()
        .contains("more than 20000 cookies and storage keys"));
    // 10,002 entries in the first service, so the second's 9,999th is the 20,001st.
    assert_eq!(found[0].path, "$.services[1].cookies[9998]");
}

// ---- all at once, never a panic ----

#[test]
fn every_problem_is_reported_in_source_order() {
    let c = edit("\"category\": \"analytics\"", "\"category\": \"analitics\"");
    let c = edit_text(&c, "\"party\": \"third\"", "\"party\": \"3rd\"");
    let c = edit_text(&c, "\"consent_days\": 180", "\"consent_days\": 999");
    let c = edit_text(&c, "\"lifetime\": \"2 years\"", "\"lifetime\": \"1 years\"");
    let c = edit_text(&c, "\"reject_all\": \"Alle ablehnen\"", "\"reject_all\": 7");
    let found = problems(&c);
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.consent_days",
            "$.texts.de.reject_all",
            "$.services[1].cookies[0].party",
            "$.services[2].category",
            "$.services[2].cookies[0].lifetime",
        ]
    );
}

#[test]
fn no_prefix_of_a_valid_catalogue_panics_or_loads() {
    let bytes = VALID.as_bytes();
    for end in 0..bytes.len() - 1 {
        assert!(
            catalogue::load(&bytes[..end]).is_err(),
            "prefix of {end} bytes loaded"
        );
    }
}

#[test]
fn removing_any_line_never_panics() {
    let lines: Vec<&str> = VALID.lines().collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        let _ = catalogue::load(text.join("\n").as_bytes());
    }
}

#[test]
fn every_scalar_replaced_by_other_types_never_panics() {
    for (from, to) in [
        ("\"", "1"),
        (": \"", ": [\""),
        (": \"", ": {\"\":\""),
        ("true", "null"),
        ("3", "\"3\""),
        ("[", "{\"a\":["),
    ] {
        let mut start = 0;
        while let Some(at) = VALID[start..].find(from) {
            let at = start + at;
            let text = format!("{}{to}{}", &VALID[..at], &VALID[at + from.len()..]);
            let _ = catalogue::load(text.as_bytes());
            start = at + from.len();
        }
    }
}

#[test]
fn a_flood_of_problems_is_capped() {
    let junk: Vec<String> = (0..3_000).map(|i| format!("\"junk{i}\": 1")).collect();
    let c = edit(
        "\"revision\": 3,",
        &format!("\"revision\": 3, {},", junk.join(", ")),
    );
    let found = problems(&c);
    assert_eq!(found.len(), catalogue::MAX_PROBLEMS + 1);
    assert_eq!(
        found[catalogue::MAX_PROBLEMS].message(),
        "2000 more problems are not shown; fix these first"
    );
}

#[test]
fn long_unknown_names_get_no_suggestion_but_are_reported() {
    let long = "c".repeat(5_000);
    let c = edit(
        "\"category\": \"analytics\"",
        &format!("\"category\": \"{long}\""),
    );
    assert_one(
        &c,
        "$.services[2].category",
        &format!("\"{long}"),
        &["is not defined; the categories are"],
    );
}

// ---- the mistakes editors make (shared with the JSON Schema's test) ----

/// Every mistake in `tests/fixtures/mistakes.json` is refused, its first
/// problem at the path the file names. tests/schema/schema.test.mjs counts
/// how many of the same mistakes the JSON Schema lets through.
#[test]
fn check_refuses_every_listed_mistake_where_it_is() {
    let file: serde_json::Value = serde_json::from_str(include_str!("fixtures/mistakes.json"))
        .expect("mistakes.json is JSON");
    let mistakes = file["mistakes"].as_array().expect("a list of mistakes");
    assert!(mistakes.len() >= 70, "{} mistakes", mistakes.len());
    for m in mistakes {
        let what = m["mistake"].as_str().expect("each says what it is");
        let text = match m["whole"].as_str() {
            Some(whole) => whole.to_string(),
            None => edit(
                m["find"].as_str().expect("find"),
                m["replace"].as_str().expect("replace"),
            ),
        };
        let found = problems(&text);
        assert_eq!(
            found[0].path,
            m["path"].as_str().expect("path"),
            "{what}: {found:#?}"
        );
    }
}

// ---- warnings: allowed, but most likely not meant ----

/// The warnings `check` gives for `text`, as `(path, message)`; the
/// catalogue must still load.
fn warnings(text: &str) -> Vec<(String, String)> {
    let checked = catalogue::check(text.as_bytes());
    assert!(checked.catalogue.is_ok(), "{:#?}", checked.catalogue);
    checked
        .warnings
        .into_iter()
        .map(|w| (w.path, w.message))
        .collect()
}

#[test]
fn the_valid_catalogue_has_no_warnings() {
    assert_eq!(warnings(VALID), []);
}

#[test]
fn a_name_written_as_a_pattern_is_warned_with_the_fix() {
    for (name, fix) in [
        ("_ga_*", "write \"prefix\": \"_ga_\""),
        ("_ga_.*", "write \"prefix\": \"_ga_\""),
        ("^_ga$", "write the exact name"),
        ("_gac_[0-9]+_id", "write \"glob\": \"_gac_*_id\""),
        ("*_id", "write \"glob\": \"*_id\""),
    ] {
        let c = edit(GA_COOKIE, &format!("\"name\": \"{name}\","));
        let found = warnings(&c);
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        assert_eq!(found[0].0, "$.services[2].cookies[0].name");
        assert!(found[0].1.contains("never cleared"), "{}", found[0].1);
        assert!(found[0].1.contains(fix), "{name}: {}", found[0].1);
    }
}

#[test]
fn duplicate_entries_are_warned_at_the_second() {
    let c = edit("\"name\": \"__stripe_mid\"", "\"name\": \"_ga\"");
    let c = edit_text(
        &c,
        "\"domain\": \".stripe.com\"",
        "\"domain\": \".shop.example\"",
    );
    // Different domains: two different cookies.
    assert_eq!(warnings(&c), []);
    let c = edit(
        "\"name\": \"fr\",\n          \"lifetime\": \"90 days\",\n          \"party\": \"third\",\n          \"domain\": \".facebook.com\"",
        "\"name\": \"_fbp\",\n          \"lifetime\": \"90 days\",\n          \"party\": \"first\"",
    );
    let found = warnings(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "$.services[3].cookies[1]");
    assert!(
        found[0].1.contains("already declared at line"),
        "{}",
        found[0].1
    );
    assert!(
        found[0].1.contains("$.services[3].cookies[0]"),
        "{}",
        found[0].1
    );
}

#[test]
fn a_category_without_services_is_warned() {
    let c = edit("\"category\": \"marketing\"", "\"category\": \"analytics\"");
    let c = edit_text(
        &c,
        "\"consent_mode\": [\"ad_storage\", \"ad_user_data\"]",
        "\"consent_mode\": []",
    );
    let found = warnings(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "$.categories[2]");
    assert!(found[0]
        .1
        .contains("no service is in category \"marketing\""));
}

#[test]
fn a_third_party_cookie_without_domain_is_warned() {
    let c = edit(",\n          \"domain\": \".stripe.com\"", "");
    let found = warnings(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "$.services[1].cookies[0]");
    assert!(found[0].1.contains("third-party cookie without \"domain\""));
}

#[test]
fn a_repeated_key_behind_many_others_is_still_refused() {
    // Repeats are looked for among the first 128 distinct keys of an object;
    // more distinct keys than any valid object has are refused anyway.
    let junk: Vec<String> = (0..200).map(|i| format!("\"junk{i}\": 1")).collect();
    let c = edit(
        "\"revision\": 3,",
        &format!("{}, \"revision\": 3, \"revision\": 4,", junk.join(", ")),
    );
    let found = problems(&c);
    assert!(
        found.iter().any(|p| p.path == "$.junk0"),
        "{:#?}",
        &found[..3]
    );
    assert!(catalogue::load(c.as_bytes()).is_err());
}
