//! The consent core, natively: choices, the stored record, what may run,
//! Consent Mode signals and what a withdrawal clears.

use cookiegate::catalogue::*;
use cookiegate::consent::*;

fn loc(text: &str) -> Localized {
    Localized(vec![("en".into(), text.into())])
}

fn category(id: &str, required: bool, signals: &[Signal], gpc_opt_out: bool) -> Category {
    Category {
        id: id.into(),
        required,
        title: loc(id),
        description: loc(id),
        consent_mode: signals.to_vec(),
        gpc_opt_out,
    }
}

fn cookie(matcher: Matcher) -> CookieSpec {
    CookieSpec {
        matcher,
        lifetime: Lifetime::Span {
            count: 2,
            unit: Unit::Year,
        },
        party: Party::First,
        domain: None,
        path: "/".into(),
        purpose: Localized::default(),
    }
}

fn service(id: &str, category: &str, cookies: Vec<CookieSpec>) -> Service {
    Service {
        id: id.into(),
        category: category.into(),
        name: id.into(),
        provider: "Provider".into(),
        purpose: loc("purpose"),
        policy_url: "https://example.com/privacy".into(),
        hosts: vec![],
        urls: vec![],
        scripts: vec![],
        consent_mode: vec![],
        third_country: None,
        justification: None,
        cookies,
        storage: vec![],
    }
}

/// A small storefront: necessary, preferences, analytics, marketing (GPC).
fn shop() -> Catalogue {
    use Signal::*;
    let mut ga = service(
        "google-analytics",
        "analytics",
        vec![
            cookie(Matcher::Exact("_ga".into())),
            cookie(Matcher::Prefix("_ga_".into())),
        ],
    );
    ga.storage.push(StorageSpec {
        matcher: Matcher::Prefix("_ga".into()),
        kind: StorageKind::Local,
        lifetime: None,
        purpose: Localized::default(),
    });
    Catalogue {
        revision: 2,
        consent_days: 182,
        policy_url: "https://shop.example/privacy".into(),
        languages: vec!["en".into(), "de".into()],
        texts: vec![],
        categories: vec![
            category("necessary", true, &[SecurityStorage], false),
            category(
                "preferences",
                false,
                &[FunctionalityStorage, PersonalizationStorage],
                false,
            ),
            category("analytics", false, &[AnalyticsStorage], false),
            category(
                "marketing",
                false,
                &[AdStorage, AdUserData, AdPersonalization],
                true,
            ),
        ],
        services: vec![
            service(
                "shop-session",
                "necessary",
                vec![cookie(Matcher::Exact("cookiegate".into()))],
            ),
            service(
                "shop-preferences",
                "preferences",
                vec![cookie(Matcher::Exact("currency".into()))],
            ),
            ga,
            service(
                "yandex-metrica",
                "analytics",
                vec![cookie(Matcher::Prefix("_ym_".into()))],
            ),
            service(
                "google-ads",
                "marketing",
                vec![cookie(Matcher::Glob("_gcl_a*".into()))],
            ),
            service(
                "facebook",
                "marketing",
                vec![cookie(Matcher::Exact("_fbp".into()))],
            ),
        ],
    }
}

const NOW: i64 = 1_795_336_431_000; // 2026-11-22T08:33:51Z
const DAY: i64 = 86_400_000;

fn record(choice: Choice, method: Method, gpc: bool) -> ConsentRecord {
    ConsentRecord {
        id: "0123456789abcdef0123456789abcdef".into(),
        timestamp_ms: NOW,
        revision: 2,
        method,
        gpc,
        choice,
    }
}

#[test]
fn reject_all_keeps_only_required() {
    let c = Choice::reject_all(&shop());
    assert_eq!(c.granted_categories().collect::<Vec<_>>(), ["necessary"]);
    assert!(c.service("shop-session"));
    assert!(!c.service("google-analytics"));
}

#[test]
fn accept_all_grants_everything_without_gpc() {
    let c = Choice::accept_all(&shop(), false);
    assert_eq!(c.granted_categories().count(), 4);
    assert!(c.services.iter().all(|(_, on)| *on));
}

#[test]
fn gpc_keeps_marketing_off_after_accept_all_but_an_explicit_switch_wins() {
    let cat = shop();
    let c = Choice::accept_all(&cat, true);
    assert!(c.category("analytics"));
    assert!(!c.category("marketing"));
    assert!(!c.service("google-ads"));
    // Switching marketing on in the preferences is an explicit grant.
    let explicit = Choice::build(&cat, &[("marketing", true)], &[]);
    assert!(explicit.service("google-ads"));
}

#[test]
fn a_category_is_mixed_when_only_some_services_are_on() {
    let cat = shop();
    let c = Choice::build(&cat, &[("analytics", true)], &[("yandex-metrica", false)]);
    assert!(c.category("analytics"), "partly granted counts as granted");
    assert!(c.service("google-analytics"));
    assert!(!c.service("yandex-metrica"));
    // Turning every service of a category off turns the category off.
    let none = Choice::build(
        &cat,
        &[("analytics", true)],
        &[("yandex-metrica", false), ("google-analytics", false)],
    );
    assert!(!none.category("analytics"));
}

#[test]
fn choices_ignore_unknown_ids_and_cannot_refuse_required() {
    let c = Choice::build(
        &shop(),
        &[("necessary", false), ("nope", true)],
        &[("shop-session", false), ("ghost", true)],
    );
    assert!(c.category("necessary") && c.service("shop-session"));
    assert!(!c.categories.iter().any(|(id, _)| id == "nope"));
    assert!(!c.services.iter().any(|(id, _)| id == "ghost"));
}

#[test]
fn decide_blocks_everything_optional_before_a_choice() {
    let cat = shop();
    assert_eq!(
        decide(&cat, None, "analytics", Some("google-analytics")),
        Decision::Block
    );
    assert_eq!(decide(&cat, None, "necessary", None), Decision::Allow);
    assert_eq!(
        decide(&cat, None, "analitics", None),
        Decision::UnknownCategory
    );
    assert_eq!(
        decide(&cat, None, "analytics", Some("ghost")),
        Decision::UnknownService
    );
    assert_eq!(
        decide(&cat, None, "analytics", Some("facebook")),
        Decision::ServiceNotInCategory
    );
}

#[test]
fn decide_follows_the_service_switch_not_just_the_category() {
    let cat = shop();
    let c = Choice::build(&cat, &[("analytics", true)], &[("yandex-metrica", false)]);
    assert_eq!(
        decide(&cat, Some(&c), "analytics", Some("google-analytics")),
        Decision::Allow
    );
    assert_eq!(
        decide(&cat, Some(&c), "analytics", Some("yandex-metrica")),
        Decision::Block
    );
    // Naming only the category needs the whole category: Yandex is off.
    assert_eq!(decide(&cat, Some(&c), "analytics", None), Decision::Block);
    let whole = Choice::build(&cat, &[("analytics", true)], &[]);
    assert_eq!(
        decide(&cat, Some(&whole), "analytics", None),
        Decision::Allow
    );
    assert_eq!(decide(&cat, Some(&c), "marketing", None), Decision::Block);
}

#[test]
fn refused_fallbacks_run_only_while_a_choice_refuses() {
    let cat = shop();
    let rejected = Choice::reject_all(&cat);
    let accepted = Choice::accept_all(&cat, false);
    assert_eq!(decide_refused(&cat, None, "marketing"), Decision::Block);
    assert_eq!(
        decide_refused(&cat, Some(&rejected), "marketing"),
        Decision::Allow
    );
    assert_eq!(
        decide_refused(&cat, Some(&accepted), "marketing"),
        Decision::Block
    );
    assert_eq!(
        decide_refused(&cat, Some(&rejected), "markting"),
        Decision::UnknownCategory
    );
}

#[test]
fn consent_mode_maps_categories_and_always_grants_security() {
    let cat = shop();
    let granted = |c: Option<&Choice>| -> Vec<&'static str> {
        consent_mode(&cat, c)
            .iter()
            .filter(|(_, g)| *g)
            .map(|(s, _)| s.as_str())
            .collect()
    };
    assert_eq!(granted(None), ["security_storage"]);
    assert_eq!(
        granted(Some(&Choice::reject_all(&cat))),
        ["security_storage"]
    );
    let analytics = Choice::only_categories(&cat, &["analytics"]);
    assert_eq!(
        granted(Some(&analytics)),
        ["analytics_storage", "security_storage"]
    );
    assert_eq!(granted(Some(&Choice::accept_all(&cat, false))).len(), 7);
    // GPC: accept-all leaves the three ad types denied.
    let gpc = granted(Some(&Choice::accept_all(&cat, true)));
    assert!(!gpc.iter().any(|s| s.starts_with("ad_")), "{gpc:?}");
    // Every one of the seven keys is always present, in Google's order.
    let keys: Vec<&str> = consent_mode(&cat, None)
        .iter()
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "ad_storage",
            "ad_user_data",
            "ad_personalization",
            "analytics_storage",
            "functionality_storage",
            "personalization_storage",
            "security_storage"
        ]
    );
}

#[test]
fn every_combination_of_categories_maps_exactly() {
    let cat = shop();
    let optional = ["preferences", "analytics", "marketing"];
    for mask in 0..8u8 {
        let ids: Vec<&str> = optional
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, id)| *id)
            .collect();
        let c = Choice::only_categories(&cat, &ids);
        for (signal, granted) in consent_mode(&cat, Some(&c)) {
            let expected = match signal {
                Signal::SecurityStorage => true,
                Signal::FunctionalityStorage | Signal::PersonalizationStorage => {
                    ids.contains(&"preferences")
                }
                Signal::AnalyticsStorage => ids.contains(&"analytics"),
                _ => ids.contains(&"marketing"),
            };
            assert_eq!(granted, expected, "{ids:?} {signal:?}");
        }
    }
}

#[test]
fn record_round_trips_through_storage() {
    let cat = shop();
    let r = record(
        Choice::build(&cat, &[("analytics", true)], &[("yandex-metrica", false)]),
        Method::Custom,
        false,
    );
    let stored = r.to_stored_json(&cat);
    let back = ConsentRecord::restore(&stored, &cat, NOW + DAY, false).unwrap();
    assert_eq!(back.choice, r.choice);
    assert_eq!(back.id, r.id);
    assert_eq!(back.method, Method::Custom);
    // The contract's shape; the stored form adds `expires` and no Consent
    // Mode state (nothing may replay a record the core has not judged).
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["timestamp"], "2026-11-22T08:33:51.000Z");
    assert_eq!(v["method"], "custom");
    assert_eq!(v["categories"]["analytics"], true);
    assert_eq!(v["services"]["yandex-metrica"], false);
    assert!(v.get("consent_mode").is_none());
    let s: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert!(s.get("consent_mode").is_none());
    assert_eq!(s["expires"], "2027-05-23T08:33:51.000Z");
}

#[test]
fn a_record_stops_counting_after_the_lifetime_or_another_revision() {
    let cat = shop();
    let stored =
        record(Choice::accept_all(&cat, false), Method::AcceptAll, false).to_stored_json(&cat);
    assert!(ConsentRecord::restore(&stored, &cat, NOW + 181 * DAY, false).is_ok());
    assert_eq!(
        ConsentRecord::restore(&stored, &cat, NOW + 182 * DAY, false),
        Err(Invalid::Expired)
    );
    let mut next = shop();
    next.revision = 3;
    assert_eq!(
        ConsentRecord::restore(&stored, &next, NOW, false),
        Err(Invalid::OtherRevision { stored: 2 })
    );
    assert_eq!(
        ConsentRecord::restore(&stored, &cat, NOW - 10 * DAY, false),
        Err(Invalid::FromFuture)
    );
}

#[test]
fn junk_and_wrong_types_are_no_consent_with_a_place() {
    let cat = shop();
    for junk in [
        "",
        "null",
        "[]",
        "{",
        "{\"id\":1}",
        "true",
        "\u{0}",
        &"x".repeat(70_000),
    ] {
        match ConsentRecord::restore(junk, &cat, NOW, false) {
            Err(Invalid::Corrupt { .. }) => {}
            other => panic!("{junk:.20?} gave {other:?}"),
        }
    }
    let good = record(Choice::accept_all(&cat, false), Method::AcceptAll, false).to_json();
    let wrong = good.replace("\"analytics\":true", "\"analytics\":\"yes\"");
    match ConsentRecord::restore(&wrong, &cat, NOW, false) {
        Err(Invalid::Corrupt { message, .. }) => {
            assert!(message.contains("categories.analytics"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Truncated at every length: never a panic, never consent.
    for n in 0..good.len() {
        if let Some(prefix) = good.get(..n) {
            assert!(ConsentRecord::restore(prefix, &cat, NOW, false).is_err());
        }
    }
}

#[test]
fn an_edited_record_cannot_grant_more_than_the_catalogue_allows() {
    let cat = shop();
    let stored = record(Choice::reject_all(&cat), Method::RejectAll, false).to_json();
    // Turn on a service under a refused category, and invent new ids.
    let edited = stored
        .replace("\"google-ads\":false", "\"google-ads\":true")
        .replace("\"services\":{", "\"services\":{\"evil-tracker\":true,")
        .replace("\"categories\":{", "\"categories\":{\"extra\":true,");
    let back = ConsentRecord::restore(&edited, &cat, NOW, false).unwrap();
    assert!(!back.choice.service("google-ads"));
    assert!(!back.choice.category("marketing"));
    assert!(!back
        .choice
        .services
        .iter()
        .any(|(id, _)| id == "evil-tracker"));
    assert!(!back.choice.categories.iter().any(|(id, _)| id == "extra"));
    // A service added to the catalogue since the choice starts refused.
    let old = record(Choice::accept_all(&cat, false), Method::AcceptAll, false).to_json();
    let without_fb = old.replace(",\"facebook\":true", "");
    let back = ConsentRecord::restore(&without_fb, &cat, NOW, false).unwrap();
    assert!(!back.choice.service("facebook"));
    assert!(back.choice.service("google-ads"));
}

#[test]
fn gpc_turned_on_since_the_choice_withdraws_marketing_on_restore() {
    let cat = shop();
    let stored = record(Choice::accept_all(&cat, false), Method::AcceptAll, false).to_json();
    let back = ConsentRecord::restore(&stored, &cat, NOW, true).unwrap();
    assert!(!back.choice.category("marketing"));
    assert!(back.choice.category("analytics"));
    assert!(back.gpc);
    // A grant made while GPC was on (explicit switch) is kept.
    let explicit = record(
        Choice::build(&cat, &[("marketing", true)], &[]),
        Method::Custom,
        true,
    )
    .to_json();
    assert!(ConsentRecord::restore(&explicit, &cat, NOW, true)
        .unwrap()
        .choice
        .category("marketing"));
}

#[test]
fn clearing_targets_refused_services_only() {
    let cat = shop();
    let present = [
        "_ga",
        "_ga_ABC123",
        "_ym_uid",
        "_gcl_au",
        "_gcl_xx",
        "_fbp",
        "cookiegate",
        "currency",
        "unrelated",
    ];
    let analytics_only = Choice::only_categories(&cat, &["analytics"]);
    assert_eq!(
        cookies_to_clear(&cat, &analytics_only, &present),
        ["_gcl_au", "_fbp", "currency"]
    );
    let none = Choice::reject_all(&cat);
    assert_eq!(
        cookies_to_clear(&cat, &none, &present),
        [
            "_ga",
            "_ga_ABC123",
            "_ym_uid",
            "_gcl_au",
            "_fbp",
            "currency"
        ]
    );
    assert_eq!(
        storage_to_clear(&cat, &none, StorageKind::Local, &["_ga_x", "cart"]),
        ["_ga_x"]
    );
    assert!(storage_to_clear(&cat, &none, StorageKind::Session, &["_ga_x"]).is_empty());
}

#[test]
fn deletion_covers_parent_domains_and_paths() {
    let v = deletion_lines(&["_ga", "_gid"], "www.shop.test", "/products/cables", false);
    let has = |line: &str| v.iter().any(|l| l == line);
    assert!(has("_ga=; Max-Age=0; Path=/"));
    assert!(has("_gid=; Max-Age=0; Path=/; Domain=.shop.test"));
    assert!(has("_ga=; Max-Age=0; Path=/products; Domain=shop.test"));
    assert!(has("_ga=; Max-Age=0; Path=/products/; Domain=shop.test"));
    assert!(has(
        "_gid=; Max-Age=0; Path=/products/cables; Domain=.www.shop.test"
    ));
    // 1 host-only + 2 × 2 parent domains, on 5 paths, for 2 names.
    assert_eq!(v.len(), 5 * 5 * 2);
    assert!(!v
        .iter()
        .any(|l| l.ends_with("Domain=.test") || l.ends_with("Domain=test")));
    assert!(v.iter().all(|l| !l.contains("Secure")), "plain http");
    // On https every line carries Secure (for `__Host-`/`__Secure-` names).
    assert!(deletion_lines(&["__Secure-x"], "shop.test", "/", true)
        .iter()
        .all(|l| l.ends_with("; Secure")));
    // IP addresses have no parent domains.
    assert_eq!(
        deletion_lines(&["a"], "127.0.0.1", "/", false),
        ["a=; Max-Age=0; Path=/"]
    );
}

#[test]
fn deletion_is_bounded_by_any_url_a_visitor_is_sent_to() {
    // A link to the shop with 4,000 path segments on a host of 30 labels:
    // unbounded, 59 domains × 8,001 paths × 3 names ≈ 1.4 million lines,
    // most of them several KB long.
    let path = "/a".repeat(4000);
    let host = ["x"; 28].join(".") + ".shop.test";
    let v = deletion_lines(&["_ga", "_gid", "_fbp"], &host, &path, true);
    // Host-only + 2 × MAX_DELETION_DOMAINS, on 1 + 2 × MAX_DELETION_SEGMENTS paths.
    let domains = 1 + 2 * MAX_DELETION_DOMAINS;
    let paths = 1 + 2 * MAX_DELETION_SEGMENTS;
    assert_eq!(v.len(), domains * paths * 3);
    // What trackers use is still covered: the site's domain, `/` and the first segments.
    let has = |line: &str| v.iter().any(|l| l == line);
    assert!(has("_ga=; Max-Age=0; Path=/; Domain=.shop.test; Secure"));
    assert!(has("_fbp=; Max-Age=0; Path=/a/a; Domain=shop.test; Secure"));
    // The control: an ordinary URL is not cut.
    let short = deletion_lines(&["_ga"], "www.shop.test", "/a/b/c", false);
    assert_eq!(short.len(), 5 * 7);
    // No Path longer than a browser keeps, however long the segments.
    let long = "/".to_string() + &"b".repeat(600) + "/" + &"c".repeat(600);
    let v = deletion_lines(&["_ga"], "shop.test", &long, false);
    assert!(v.iter().all(|l| l.len() < MAX_COOKIE_PATH + 64));
    assert!(has_path(&v, &long[..601]));
    assert!(!has_path(&v, &long));
}

fn has_path(lines: &[String], path: &str) -> bool {
    let want = ["Path=", path, ";"].concat();
    lines.iter().any(|l| l.contains(&want))
}
