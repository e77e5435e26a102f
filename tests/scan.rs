//! `cookiegate scan`'s judgement without a browser: the command line, which
//! hosts are third parties, the Open Cookie Database's suggestions, and the
//! findings for recorded visits (the browser suite, tests/scan_browser.rs,
//! drives real Chromium).

#![cfg(not(target_arch = "wasm32"))]

use cookiegate::catalogue::{self, Catalogue, StorageKind};
use cookiegate::scan::cli::{self, Options};
use cookiegate::scan::compare::{compare, Finding, Kind, Subject};
use cookiegate::scan::domain::{is_third_party, registrable_domain};
use cookiegate::scan::observe::{
    url_host, CookieSeen, ElementSeen, Phase, RequestSeen, StorageSeen, Visit,
};
use cookiegate::scan::ocd::{retention_lifetime, CookieDatabase};
use cookiegate::scan::suggest;

const SHOP: &str = "http://www.shop.test/";

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn parse(list: &[&str]) -> Options {
    match cli::parse(&args(list)) {
        Ok(Some(o)) => o,
        other => panic!("{list:?} did not parse: {other:?}"),
    }
}

#[test]
fn chromium_arg_takes_its_value_verbatim_even_when_it_starts_with_a_dash() {
    let o = parse(&[
        SHOP,
        "--chromium-arg",
        "--host-resolver-rules=MAP * 127.0.0.1",
        "--chromium-arg=--lang=de",
        "--chromium-arg",
        "-v",
        "--pages",
        "3",
        "--json=out.json",
        "--html",
        "out.html",
        "--catalogue",
        "c.json",
        "--chromium",
        "/opt/chromium",
        "--suggest",
    ]);
    assert_eq!(
        o.chromium_args,
        ["--host-resolver-rules=MAP * 127.0.0.1", "--lang=de", "-v"]
    );
    assert_eq!(o.urls, [SHOP]);
    assert_eq!(o.pages, 3);
    assert_eq!(o.json.as_deref(), Some("out.json".as_ref()));
    assert_eq!(o.html.as_deref(), Some("out.html".as_ref()));
    assert_eq!(o.catalogue.as_deref(), Some("c.json".as_ref()));
    assert_eq!(o.chromium.as_deref(), Some("/opt/chromium".as_ref()));
    assert!(o.suggest);
}

#[test]
fn defaults_and_usage_errors() {
    let o = parse(&[SHOP, "https://shop.example/a"]);
    assert_eq!(o.pages, cli::DEFAULT_PAGES);
    assert_eq!(o.pages, 10);
    assert!(o.chromium_args.is_empty() && o.json.is_none() && !o.suggest);
    assert_eq!(cli::parse(&args(&["--help"])), Ok(None));
    for (bad, says) in [
        (&[][..], "at least one URL"),
        (&["--pages", "x", SHOP][..], "whole number"),
        (&[SHOP, "--pages"][..], "needs a value"),
        (&[SHOP, "--chromium-arg"][..], "needs a value"),
        (&["ftp://x/"][..], "not an http"),
        (&[SHOP, "--colour"][..], "unknown option"),
    ] {
        let err = cli::parse(&args(bad)).expect_err("a usage error");
        assert!(err.contains(says), "{bad:?}: {err}");
    }
}

#[test]
fn the_tool_exits_2_on_usage_errors_and_a_bad_catalogue() {
    let tool = env!("CARGO_BIN_EXE_cookiegate");
    let out = std::process::Command::new(tool)
        .args(["scan"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage:"));
    let out = std::process::Command::new(tool)
        .args(["scan", SHOP, "--catalogue", "tests/fixtures/no-such.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tests/fixtures/no-such.json:1:1: $: cannot read the file"),
        "{err}"
    );
    let out = std::process::Command::new(tool)
        .args(["scan", SHOP, "--chromium", "/nonexistent/chromium"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot start /nonexistent/chromium"));
}

#[test]
fn registrable_domains_from_the_compact_suffix_rule() {
    for (host, domain) in [
        ("www.shop.test", "shop.test"),
        ("shop.test", "shop.test"),
        ("a.b.c.shop.example", "shop.example"),
        ("www.shop.co.uk", "shop.co.uk"),
        ("shop.co.uk", "shop.co.uk"),
        ("someone.github.io", "someone.github.io"),
        ("WWW.Example.COM.", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("localhost", "localhost"),
    ] {
        assert_eq!(registrable_domain(host), domain, "{host}");
    }
    assert!(!is_third_party("cdn.shop.test", "www.shop.test"));
    assert!(is_third_party("www.googletagmanager.com", "www.shop.test"));
    assert!(is_third_party("other.github.io", "someone.github.io"));
    assert!(is_third_party("other.co.uk", "shop.co.uk"));
}

#[test]
fn url_hosts_of_network_urls_only() {
    assert_eq!(
        url_host("https://User@WWW.Example.com:8443/a?b#c").as_deref(),
        Some("www.example.com")
    );
    assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("::1"));
    assert_eq!(
        url_host("wss://chat.example/socket").as_deref(),
        Some("chat.example")
    );
    for none in [
        "data:text/plain,x",
        "blob:http://a/b",
        "about:blank",
        "chrome-extension://x/y",
    ] {
        assert_eq!(url_host(none), None, "{none}");
    }
}

#[test]
fn the_shipped_database_suggests_by_exact_name_then_longest_wildcard_prefix() {
    let db = CookieDatabase::shipped();
    assert_eq!(
        db.len(),
        2264,
        "the whole 2026-01-21 snapshot is compiled in"
    );
    let ga = db.lookup("_ga").expect("_ga is known");
    assert_eq!(ga.platform, "Google Analytics");
    assert_eq!(ga.catalogue_category(), Some("analytics"));
    let hotjar = db.lookup("_hjSessionUser_1234567").expect("a wildcard row");
    assert_eq!(
        (hotjar.platform.as_str(), hotjar.name.as_str()),
        ("Hotjar", "_hjSessionUser_")
    );
    assert!(hotjar.wildcard);
    assert_eq!(hotjar.catalogue_category(), Some("preferences"));
    assert!(db.lookup("cookiegate-no-such-cookie").is_none());

    let csv = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n\
        1,Short,Marketing,ab_,,\"x, \"\"quoted\"\"\",1 day,C,https://c.example/,1\n\
        2,Long,Security,ab_cd_,,y,Session,C,https://c.example/,1\n\
        3,Exact,Analytics,ab_cd_ef,,z,2 years,C,https://c.example/,0\n";
    let small = CookieDatabase::parse(csv);
    assert_eq!(small.len(), 3);
    assert_eq!(
        small.lookup("ab_cd_ef").map(|k| k.platform.as_str()),
        Some("Exact")
    );
    assert_eq!(
        small.lookup("ab_cd_x").map(|k| k.platform.as_str()),
        Some("Long")
    );
    assert_eq!(
        small.lookup("ab_x").map(|k| k.platform.as_str()),
        Some("Short")
    );
    assert_eq!(
        small.lookup("ab_cd_x").and_then(|k| k.catalogue_category()),
        Some("necessary")
    );
}

#[test]
fn database_retention_periods_read_as_lifetimes() {
    use cookiegate::catalogue::{Lifetime, Unit};
    let span = |count, unit| Some(Lifetime::Span { count, unit });
    assert_eq!(retention_lifetime("1 Year"), span(1, Unit::Year));
    assert_eq!(retention_lifetime("365 days"), span(365, Unit::Day));
    assert_eq!(retention_lifetime("3 weeks"), span(21, Unit::Day));
    assert_eq!(retention_lifetime("13 months"), span(13, Unit::Month));
    assert_eq!(retention_lifetime("Session"), Some(Lifetime::Session));
    assert_eq!(
        retention_lifetime("End of session (browser)"),
        Some(Lifetime::Session)
    );
    for unreadable in ["Unknown", "forever", "", "0 days", "many years"] {
        assert_eq!(retention_lifetime(unreadable), None, "{unreadable}");
    }
}

// ---------- findings from recorded visits ----------

fn fixture_catalogue() -> Catalogue {
    let text =
        std::fs::read("www/scan-fixtures/catalogue.json").expect("the scan fixtures' catalogue");
    catalogue::load(&text).expect("a valid catalogue")
}

fn visit(phase: Phase) -> Visit {
    Visit {
        url: SHOP.to_string(),
        host: "www.shop.test".to_string(),
        phase,
        has_cookiegate: true,
        requests: Vec::new(),
        cookies: Vec::new(),
        storage: Vec::new(),
        elements: Vec::new(),
        // The page marks both services, so neither counts as unused.
        marked_services: vec!["google-analytics".into(), "facebook".into()],
    }
}

fn request(url: &str) -> RequestSeen {
    RequestSeen {
        url: url.to_string(),
        host: url_host(url).unwrap_or_default(),
        initiator: SHOP.to_string(),
    }
}

fn cookie(name: &str, secs: Option<u64>) -> CookieSeen {
    CookieSeen {
        name: name.to_string(),
        domain: ".shop.test".to_string(),
        path: "/".to_string(),
        lifetime_secs: secs,
        set_by: Some("http://www.shop.test/stand-ins/gtag.js".to_string()),
    }
}

fn local(key: &str) -> StorageSeen {
    StorageSeen {
        origin: "http://www.shop.test".to_string(),
        kind: StorageKind::Local,
        key: key.to_string(),
    }
}

fn kinds(findings: &[Finding]) -> Vec<(Kind, Option<Phase>, String)> {
    findings
        .iter()
        .map(|f| (f.kind, f.phase, f.subject.describe()))
        .collect()
}

const DAY: u64 = 86_400;

#[test]
fn trackers_before_a_choice_and_after_reject_all_are_leaks_and_after_accept_all_are_not() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let mut visits = Vec::new();
    for phase in Phase::ALL {
        let mut v = visit(phase);
        v.requests
            .push(request("https://www.google-analytics.com/g/collect?v=2"));
        v.requests
            .push(request("http://www.shop.test/stand-ins/gtag.js"));
        v.requests.push(request("https://cdn.shop.test/app.js"));
        v.cookies.push(cookie("_ga", Some(400 * DAY)));
        v.storage.push(local("cookiegate"));
        visits.push(v);
    }
    let findings = compare(&c, &visits, &db);
    assert_eq!(
        kinds(&findings),
        [
            (Kind::Leak, Some(Phase::BeforeChoice), "cookie _ga".to_string()),
            (Kind::Leak, Some(Phase::BeforeChoice), "host www.google-analytics.com".to_string()),
            (Kind::Leak, Some(Phase::AfterReject), "cookie _ga".to_string()),
            (Kind::Leak, Some(Phase::AfterReject), "host www.google-analytics.com".to_string()),
        ],
        "first-party hosts, the necessary cookiegate key and a 2-year cookie capped at 400 days are fine"
    );
    let leak = findings.first().expect("a leak");
    assert_eq!(leak.service.as_deref(), Some("google-analytics"));
    assert_eq!(leak.evidence, ["http://www.shop.test/stand-ins/gtag.js"]);
    assert!(leak.message.contains("before a choice"), "{}", leak.message);
}

#[test]
fn undeclared_things_carry_the_database_suggestion() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let mut v = visit(Phase::AfterAccept);
    v.cookies.push(cookie("_hjSessionUser_99", Some(365 * DAY)));
    v.cookies.push(cookie("shop_thing", None));
    v.storage.push(local("_hjLocalStorageTest"));
    v.requests.push(request("http://in.hotjar.com/c"));
    let findings = compare(&c, &[v], &db);
    assert_eq!(
        kinds(&findings),
        [
            (
                Kind::UndeclaredCookie,
                Some(Phase::AfterAccept),
                "cookie _hjSessionUser_99".to_string()
            ),
            (
                Kind::UndeclaredCookie,
                Some(Phase::AfterAccept),
                "cookie shop_thing".to_string()
            ),
            (
                Kind::UndeclaredStorage,
                Some(Phase::AfterAccept),
                "localStorage key _hjLocalStorageTest".to_string()
            ),
            (
                Kind::UndeclaredHost,
                Some(Phase::AfterAccept),
                "host in.hotjar.com".to_string()
            ),
        ]
    );
    let s = findings
        .first()
        .and_then(|f| f.suggestion.clone())
        .expect("a suggestion");
    assert_eq!(
        (
            s.vendor.as_str(),
            s.category.as_deref(),
            s.lifetime.as_str()
        ),
        ("Hotjar", Some("preferences"), "365 days")
    );
    assert_eq!(s.matched, "_hjSessionUser_*");
    assert!(
        findings.get(1).is_some_and(|f| f.suggestion.is_none()),
        "unknown names get none"
    );
}

#[test]
fn a_lifetime_longer_than_declared_is_reported_within_the_400_day_cap() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let mut v = visit(Phase::AfterAccept);
    v.cookies.push(cookie("_gid", Some(30 * DAY))); // declared 24 hours
    v.cookies.push(cookie("_ga", Some(400 * DAY))); // declared 2 years: the cap
    v.cookies.push(cookie("_fbp", Some(91 * DAY))); // declared 90 days: within the slack
    v.cookies.push(cookie("_fbc", Some(200 * DAY))); // declared 90 days
    v.cookies.push(cookie("fr", None)); // a session cookie is never too long
    let findings = compare(&c, &[v], &db);
    assert_eq!(
        kinds(&findings),
        [
            (
                Kind::Lifetime,
                Some(Phase::AfterAccept),
                "cookie _fbc".to_string()
            ),
            (
                Kind::Lifetime,
                Some(Phase::AfterAccept),
                "cookie _gid".to_string()
            ),
        ]
    );
    let gid = findings.get(1).expect("_gid");
    assert_eq!(
        gid.lifetimes,
        Some(("24 hours".to_string(), "30 days".to_string()))
    );
}

#[test]
fn unseen_names_the_cookies_of_a_service_no_page_used() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let mut v = visit(Phase::AfterAccept);
    v.marked_services = vec!["google-analytics".into()];
    let findings = compare(&c, &[v.clone()], &db);
    let unseen: Vec<String> = findings
        .iter()
        .filter(|f| f.kind == Kind::Unseen)
        .map(|f| {
            assert_eq!(f.phase, None);
            assert_eq!(f.service.as_deref(), Some("facebook"));
            f.subject.describe()
        })
        .collect();
    assert_eq!(
        unseen,
        [
            "cookie _fbc",
            "cookie _fbp",
            "cookie c_user",
            "cookie datr",
            "cookie fr",
            "cookie sb",
            "cookie xs"
        ]
    );
    // Control: one request to a Facebook host is enough to count it as used.
    v.requests
        .push(request("https://connect.facebook.net/en_US/fbevents.js"));
    assert!(compare(&c, &[v], &db).is_empty());
}

#[test]
fn an_unmarked_script_on_a_catalogue_host_is_reported_and_a_marked_one_is_not() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let element = |src: &str, category: Option<&str>| ElementSeen {
        tag: "script".into(),
        src: src.into(),
        host: url_host(src).unwrap_or_default(),
        category: category.map(String::from),
    };
    let mut v = visit(Phase::BeforeChoice);
    v.elements.push(element(
        "https://www.googletagmanager.com/gtag/js?id=G-1",
        None,
    ));
    v.elements.push(element(
        "https://connect.facebook.net/en_US/fbevents.js",
        Some("marketing"),
    ));
    v.elements
        .push(element("http://www.shop.test/demo.js", None));
    let findings = compare(&c, &[v], &db);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = findings.first().expect("one");
    assert_eq!(f.kind, Kind::UnmarkedElement);
    assert_eq!(
        f.subject,
        Subject::Element {
            element: "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\">".into(),
            host: "www.googletagmanager.com".into()
        }
    );
}

#[test]
fn suggested_entries_pass_the_checker_once_their_texts_are_filled_in() {
    let c = fixture_catalogue();
    let db = CookieDatabase::shipped();
    let mut v = visit(Phase::AfterAccept);
    v.cookies.push(cookie("_hjSessionUser_99", Some(365 * DAY)));
    v.cookies.push(cookie("_hjSessionUser_98", Some(365 * DAY)));
    v.cookies.push(cookie("shop_thing", Some(3 * DAY + 5)));
    v.storage.push(local("_hjLocalStorageTest"));
    v.requests.push(request("http://in.hotjar.com/c"));
    v.requests
        .push(request("https://tracker.unknown.example/p"));
    let findings = compare(&c, &[v], &db);
    let entries = suggest::entries(&c, &findings);
    let services = entries["services"].as_array().expect("services").clone();
    let ids: Vec<&str> = services.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, ["hotjar", "unidentified", "unknown-example"]);
    let hotjar = &services[0];
    assert_eq!(
        hotjar["hosts"],
        serde_json::json!(["in.hotjar.com"]),
        "the host joins its vendor"
    );
    assert_eq!(
        hotjar["cookies"],
        serde_json::json!([{ "prefix": "_hjSessionUser_", "lifetime": "365 days", "party": "first" }])
    );
    assert_eq!(
        services[1]["cookies"][0]["lifetime"], "4 days",
        "the stored lifetime, rounded up"
    );

    let mut whole: serde_json::Value =
        serde_json::from_slice(&std::fs::read("www/scan-fixtures/catalogue.json").expect("read"))
            .expect("json");
    whole["services"]
        .as_array_mut()
        .expect("services")
        .extend(services);
    let unfilled = whole.to_string();
    let problems = catalogue::load(unfilled.as_bytes()).expect_err("empty texts are refused");
    assert!(
        problems
            .iter()
            .all(|p| p.message().contains("empty") || p.path.ends_with("policy_url")),
        "{problems:?}"
    );
    fill(&mut whole);
    if let Err(problems) = catalogue::load(whole.to_string().as_bytes()) {
        panic!("the filled-in entries are refused: {problems:?}");
    }
}

/// What an editor does: writes every empty text (and a policy URL where the
/// database had none).
fn fill(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            for (key, value) in o.iter_mut() {
                if value.as_str() == Some("") {
                    *value = match key.as_str() {
                        "policy_url" => "https://tracker.unknown.example/privacy".into(),
                        _ => "Written by the catalogue editor.".into(),
                    };
                } else {
                    fill(value);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(fill),
        _ => {}
    }
}

#[test]
fn the_text_report_never_sends_a_page_s_control_characters_to_the_terminal() {
    use cookiegate::scan::report::{self, Outcome};
    use cookiegate::scan::run::Site;
    let c = fixture_catalogue();
    let mut v = visit(Phase::AfterAccept);
    v.storage.push(local("evil\u{1b}[2J\u{202e}key"));
    let findings = compare(&c, &[v.clone()], &CookieDatabase::shipped());
    let site = Site {
        url: SHOP.into(),
        has_cookiegate: true,
        phases: Phase::ALL.to_vec(),
        pages: vec![SHOP.into()],
        screenshots: Vec::new(),
        catalogue_source: "test".into(),
        catalogue: c,
        visits: vec![v],
        notes: Vec::new(),
    };
    let outcome = Outcome {
        sites: std::slice::from_ref(&site),
        failures: &[],
        findings: &findings,
        seconds: 1.0,
    };
    let text = report::text(&outcome);
    assert!(text.contains("evil\\u{1b}[2J\\u{202e}key"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    let html = report::html(&outcome);
    assert!(html.contains("evil\u{1b}[2J\u{202e}key") && !html.contains("<script"));
    let json = report::json(&outcome);
    assert_eq!(
        json["findings"][0]["storage"], "evil\u{1b}[2J\u{202e}key",
        "JSON keeps the name as the browser has it"
    );
}
