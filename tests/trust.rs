//! Never raise the trust of markup, never replay a void consent (issue 10),
//! natively: the nonce rule, the host rule, the whole-category rule, "may
//! this element run now", and which stored records still count, with
//! property tests over the storefront catalogue and generated ones.
#![cfg(not(target_arch = "wasm32"))]

use cookiegate::catalogue::{self, Catalogue, Signal};
use cookiegate::consent::*;
use proptest::prelude::*;

const PAGE: PageTrust<'static> = PageTrust {
    origin: "https://www.shop.test",
    nonce: "n0nce",
};
const NO_NONCE_PAGE: PageTrust<'static> = PageTrust {
    origin: "https://www.shop.test",
    nonce: "",
};

fn storefront() -> Catalogue {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/storefront.json"
    ))
    .unwrap_or_default();
    match catalogue::load(&text) {
        Ok(c) => c,
        Err(p) => panic!("the storefront catalogue loads: {p:?}"),
    }
}

fn https(host: &str) -> (String, String, String) {
    (
        "https:".to_string(),
        host.to_string(),
        ["https://", host].concat(),
    )
}

fn targets(urls: &[(String, String, String)]) -> Vec<Target<'_>> {
    urls.iter()
        .map(|(p, h, o)| Target {
            protocol: p,
            hostname: h,
            origin: o,
        })
        .collect()
}

fn external<'a>(
    category: &'a str,
    service: Option<&'a str>,
    nonce: &'a str,
    t: &'a [Target<'a>],
) -> Held<'a> {
    Held {
        category,
        service,
        nonce,
        inline_code: false,
        script_type: None,
        targets: t,
    }
}

fn inline<'a>(category: &'a str, service: Option<&'a str>, nonce: &'a str) -> Held<'a> {
    Held {
        category,
        service,
        nonce,
        inline_code: true,
        script_type: None,
        targets: &[],
    }
}

#[test]
fn injected_markup_gains_nothing_under_a_nonce() {
    let cat = storefront();
    let all = Choice::accept_all(&cat, false);
    // <script type="text/plain" data-category="necessary">…</script> from an
    // HTML injection: no nonce, so never, even before any choice.
    let injected = inline("necessary", None, "");
    assert_eq!(
        judge(&cat, None, PAGE, &injected),
        Verdict::Refuse(Refusal::NoNonce)
    );
    assert_eq!(
        judge(&cat, Some(&all), PAGE, &inline("analytics", None, "guess")),
        Verdict::Refuse(Refusal::NoNonce)
    );
    // The page's own inline script carries the nonce and runs once granted.
    let own = inline("analytics", Some("google-analytics"), "n0nce");
    assert_eq!(judge(&cat, None, PAGE, &own), Verdict::Hold);
    assert_eq!(judge(&cat, Some(&all), PAGE, &own), Verdict::Run);
    // A page without a nonce (no nonce CSP) leaves inline code to its CSP.
    assert_eq!(
        judge(&cat, None, NO_NONCE_PAGE, &injected),
        Verdict::Run,
        "necessary runs before a choice when the page has no nonce"
    );
}

#[test]
fn a_url_loads_only_from_its_services_hosts() {
    let cat = storefront();
    let all = Choice::accept_all(&cat, false);
    let run = |category, service, host: &str, nonce| {
        let urls = [https(host)];
        let t = targets(&urls);
        judge(
            &cat,
            Some(&all),
            PAGE,
            &external(category, service, nonce, &t),
        )
    };
    assert_eq!(
        run(
            "analytics",
            Some("google-analytics"),
            "www.googletagmanager.com",
            ""
        ),
        Verdict::Run
    );
    // Any other host, even another tracker's, for a service is refused.
    for host in [
        "evil.example",
        "connect.facebook.net",
        "googletagmanager.com",
    ] {
        assert_eq!(
            run("analytics", Some("google-analytics"), host, ""),
            Verdict::Refuse(Refusal::OffHosts),
            "{host}"
        );
    }
    // No service: the hosts of the category's services.
    assert_eq!(run("analytics", None, "mc.yandex.ru", ""), Verdict::Run);
    assert_eq!(
        run("analytics", None, "connect.facebook.net", ""),
        Verdict::Refuse(Refusal::OffHosts)
    );
    // `necessary` services declare no hosts: nothing third-party loads as necessary.
    assert_eq!(
        run("necessary", None, "connect.facebook.net", ""),
        Verdict::Refuse(Refusal::OffHosts)
    );
    // The page's own origin only with the page's nonce (a first-party file).
    assert_eq!(
        run(
            "analytics",
            Some("google-analytics"),
            "www.shop.test",
            "n0nce"
        ),
        Verdict::Run
    );
    assert_eq!(
        run("analytics", Some("google-analytics"), "www.shop.test", ""),
        Verdict::Refuse(Refusal::OffHosts)
    );
    // A `!marketing` fallback never loads from marketing's hosts.
    assert_eq!(
        run("!marketing", None, "connect.facebook.net", ""),
        Verdict::Refuse(Refusal::OffHosts)
    );
}

#[test]
fn unloadable_urls_and_script_types_are_refused() {
    let cat = storefront();
    let all = Choice::accept_all(&cat, false);
    for (protocol, host, origin) in [
        ("javascript:", "", "null"),
        ("data:", "", "null"),
        (
            "http:",
            "www.googletagmanager.com",
            "http://www.googletagmanager.com",
        ),
        ("", "", ""),
    ] {
        let t = [Target {
            protocol,
            hostname: host,
            origin,
        }];
        let held = external("analytics", Some("google-analytics"), "", &t);
        assert_eq!(
            judge(&cat, Some(&all), PAGE, &held),
            Verdict::Refuse(Refusal::NotLoadable),
            "{protocol}"
        );
    }
    let mut held = inline("analytics", None, "n0nce");
    held.script_type = Some("speculationrules");
    assert_eq!(
        judge(&cat, Some(&all), PAGE, &held),
        Verdict::Refuse(Refusal::ScriptType)
    );
    held.script_type = Some("module");
    assert_eq!(judge(&cat, Some(&all), PAGE, &held), Verdict::Run);
}

#[test]
fn naming_only_a_category_needs_the_whole_category() {
    let cat = storefront();
    let partly = Choice::build(&cat, &[("analytics", true)], &[("google-analytics", false)]);
    assert!(partly.category("analytics"), "analytics is partly on");
    let bare = inline("analytics", None, "n0nce");
    assert_eq!(judge(&cat, Some(&partly), PAGE, &bare), Verdict::Hold);
    let yandex = inline("analytics", Some("yandex-metrica"), "n0nce");
    assert_eq!(judge(&cat, Some(&partly), PAGE, &yandex), Verdict::Run);
    let whole = Choice::only_categories(&cat, &["analytics"]);
    assert_eq!(judge(&cat, Some(&whole), PAGE, &bare), Verdict::Run);
}

#[test]
fn the_wrong_names_are_refused_whatever_the_choice() {
    let cat = storefront();
    let all = Choice::accept_all(&cat, false);
    for (category, service, why) in [
        ("analytcs", None, Refusal::UnknownCategory),
        ("analytics", Some("ghost"), Refusal::UnknownService),
        ("analytics", Some("facebook"), Refusal::ServiceNotInCategory),
        ("!markting", None, Refusal::UnknownCategory),
    ] {
        let held = inline(category, service, "n0nce");
        assert_eq!(judge(&cat, Some(&all), PAGE, &held), Verdict::Refuse(why));
        assert_eq!(trusted(&cat, PAGE, &held), Err(why));
    }
}

// ------------------------------------------------------- stored records

const NOW: i64 = 1_795_336_431_000;
const DAY: i64 = 86_400_000;

fn granted_signals(cat: &Catalogue, record: Option<&ConsentRecord>) -> Vec<Signal> {
    consent_mode(cat, record.map(|r| &r.choice))
        .iter()
        .filter(|(s, on)| *on && *s != Signal::SecurityStorage)
        .map(|(s, _)| *s)
        .collect()
}

fn accepted(cat: &Catalogue, at: i64, revision: u32, gpc: bool) -> ConsentRecord {
    ConsentRecord {
        id: "0123456789abcdef0123456789abcdef".into(),
        timestamp_ms: at,
        revision,
        method: Method::AcceptAll,
        gpc,
        choice: Choice::accept_all(cat, gpc),
    }
}

#[test]
fn void_records_grant_nothing_and_gpc_now_takes_ads_back() {
    let cat = storefront();
    let rev = cat.revision;
    let days = i64::from(cat.consent_days);
    let void = [
        accepted(&cat, NOW, rev + 1, false).to_stored_json(&cat),
        accepted(&cat, NOW - days * DAY - 1, rev, false).to_stored_json(&cat),
        accepted(&cat, NOW + 30 * DAY, rev, false).to_stored_json(&cat),
        "{\"id\":".to_string(),
    ];
    for stored in &void {
        let restored = ConsentRecord::restore(stored, &cat, NOW, false);
        assert!(restored.is_err(), "{stored}");
        assert!(granted_signals(&cat, restored.as_ref().ok()).is_empty());
    }
    let valid = accepted(&cat, NOW - DAY, rev, false).to_stored_json(&cat);
    let back = ConsentRecord::restore(&valid, &cat, NOW, true).ok();
    let signals = granted_signals(&cat, back.as_ref());
    assert!(signals.contains(&Signal::AnalyticsStorage), "{signals:?}");
    for ad in [
        Signal::AdStorage,
        Signal::AdUserData,
        Signal::AdPersonalization,
    ] {
        assert!(!signals.contains(&ad), "GPC now: {ad:?} is not granted");
    }
}

// ------------------------------------------------------------ properties

/// A small host pool, so services share hosts and elements miss them.
const HOSTS: [&str; 6] = [
    "cdn.a.test",
    "cdn.b.test",
    "shared.test",
    "www.shop.test",
    "evil.test",
    "x.a.test",
];

fn catalogue_with_hosts(host_picks: &[Vec<u8>]) -> Catalogue {
    let mut cat = storefront();
    for (service, picks) in cat.services.iter_mut().zip(host_picks) {
        service.hosts = picks
            .iter()
            .map(|i| HOSTS[usize::from(*i) % HOSTS.len()].to_string())
            .collect();
    }
    cat
}

fn choice_from(cat: &Catalogue, bits: &[bool]) -> Choice {
    let wishes: Vec<(&str, bool)> = cat
        .services
        .iter()
        .zip(bits.iter().chain(std::iter::repeat(&false)))
        .map(|(s, on)| (s.id.as_str(), *on))
        .collect();
    let cats: Vec<(&str, bool)> = cat
        .categories
        .iter()
        .map(|c| (c.id.as_str(), true))
        .collect();
    Choice::build(cat, &cats, &wishes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No URL off a service's hosts is ever allowed for it (unless it is
    /// the page's own origin and the element carries the page's nonce).
    #[test]
    fn no_url_off_its_hosts_is_ever_allowed(
        host_picks in prop::collection::vec(prop::collection::vec(0u8..6, 0..3), 16),
        bits in prop::collection::vec(any::<bool>(), 16),
        which in 0usize..64,
        host in 0usize..HOSTS.len(),
        named in any::<bool>(),
        nonce in prop_oneof![Just(""), Just("n0nce"), Just("other")],
        no_choice in any::<bool>(),
    ) {
        let cat = catalogue_with_hosts(&host_picks);
        let choice = choice_from(&cat, &bits);
        let service = &cat.services[which % cat.services.len()];
        let urls = [https(HOSTS[host])];
        let t = targets(&urls);
        let held = external(&service.category, named.then_some(service.id.as_str()), nonce, &t);
        let verdict = judge(&cat, (!no_choice).then_some(&choice), PAGE, &held);
        let allowed: Vec<&str> = if named {
            service.hosts.iter().map(String::as_str).collect()
        } else {
            cat.services_of(&service.category).flat_map(|s| s.hosts.iter().map(String::as_str)).collect()
        };
        let first_party = HOSTS[host] == "www.shop.test" && nonce == "n0nce";
        if !allowed.contains(&HOSTS[host]) && !first_party {
            prop_assert_eq!(verdict, Verdict::Refuse(Refusal::OffHosts));
        }
        if verdict == Verdict::Run {
            prop_assert!(allowed.contains(&HOSTS[host]) || first_party);
        }
    }

    /// Under a page nonce, inline code without it never runs; with it, the
    /// choice alone decides.
    #[test]
    fn the_nonce_rule_holds_for_every_choice(
        bits in prop::collection::vec(any::<bool>(), 16),
        which in 0usize..64,
        nonce in "[a-zA-Z0-9+/=]{0,8}",
    ) {
        let cat = storefront();
        let choice = choice_from(&cat, &bits);
        let service = &cat.services[which % cat.services.len()];
        let held = inline(&service.category, Some(&service.id), &nonce);
        let verdict = judge(&cat, Some(&choice), PAGE, &held);
        if nonce != PAGE.nonce {
            prop_assert_eq!(verdict, Verdict::Refuse(Refusal::NoNonce));
        } else {
            let expected = if choice.service(&service.id) { Verdict::Run } else { Verdict::Hold };
            prop_assert_eq!(verdict, expected);
        }
    }

    /// An element naming only a category runs exactly when every service
    /// of that category is granted.
    #[test]
    fn the_whole_category_rule(bits in prop::collection::vec(any::<bool>(), 16), which in 0usize..8) {
        let cat = storefront();
        let choice = choice_from(&cat, &bits);
        let category = &cat.categories[which % cat.categories.len()];
        let held = inline(&category.id, None, "n0nce");
        let run = judge(&cat, Some(&choice), PAGE, &held) == Verdict::Run;
        let whole = category.required
            || (choice.category(&category.id)
                && cat.services_of(&category.id).all(|s| choice.service(&s.id)));
        prop_assert_eq!(run, whole);
    }

    /// Before any choice only required categories run.
    #[test]
    fn before_a_choice_only_required_runs(which in 0usize..64, named in any::<bool>()) {
        let cat = storefront();
        let service = &cat.services[which % cat.services.len()];
        let held = inline(&service.category, named.then_some(service.id.as_str()), "n0nce");
        let required = cat.category(&service.category).is_some_and(|c| c.required);
        let run = judge(&cat, None, PAGE, &held) == Verdict::Run;
        prop_assert_eq!(run, required);
    }

    /// No voided record (another revision, expired, from the future,
    /// damaged) ever yields a granted signal; a record made without GPC
    /// never grants what GPC opts out of once the browser sends it.
    #[test]
    fn no_voided_record_yields_a_granted_signal(
        bits in prop::collection::vec(any::<bool>(), 16),
        kind in 0u8..5,
        offset in 0i64..(400 * DAY),
        cut in 0usize..400,
        gpc_now in any::<bool>(),
    ) {
        let cat = storefront();
        let days = i64::from(cat.consent_days);
        let choice = choice_from(&cat, &bits);
        let mut record = ConsentRecord {
            id: "0123456789abcdef0123456789abcdef".into(),
            timestamp_ms: NOW - DAY,
            revision: cat.revision,
            method: Method::Custom,
            gpc: false,
            choice,
        };
        match kind {
            0 => record.revision = cat.revision.wrapping_add(1 + (offset % 7) as u32),
            1 => record.timestamp_ms = NOW - days * DAY - offset % (300 * DAY),
            2 => record.timestamp_ms = NOW + 5 * 60_000 + 1 + offset,
            _ => {}
        }
        let mut stored = record.to_stored_json(&cat);
        if kind == 3 {
            let at = cut % stored.len();
            stored.truncate(at);
        }
        let restored = ConsentRecord::restore(&stored, &cat, NOW, gpc_now).ok();
        let signals = granted_signals(&cat, restored.as_ref());
        if kind < 4 {
            prop_assert!(restored.is_none(), "kind {} still counts: {}", kind, stored);
            prop_assert!(signals.is_empty());
        }
        if gpc_now {
            for c in cat.categories.iter().filter(|c| c.gpc_opt_out) {
                for s in &c.consent_mode {
                    let other = cat.categories.iter().any(|o| !o.gpc_opt_out
                        && o.consent_mode.contains(s)
                        && restored.as_ref().is_some_and(|r| r.choice.category(&o.id)));
                    prop_assert!(other || !signals.contains(s), "{:?} granted under GPC", s);
                }
            }
        }
    }

    /// What the gate sets as `srcset` reads back as the candidates it checked.
    #[test]
    fn srcset_round_trips(
        parts in prop::collection::vec(("[a-z]{1,6}(,[a-z]{1,3})?", prop_oneof![
            Just(String::new()), "[1-9][0-9]{0,3}w", "[1-3](\\.[0-9])?x"
        ]), 1..5)
    ) {
        let list: Vec<(String, String)> = parts
            .iter()
            .map(|(path, d)| (["https://img.test/", path].concat(), d.clone()))
            .collect();
        let text = srcset_text(&list);
        prop_assert!(text.is_some());
        let text = text.unwrap_or_default();
        let back = srcset(&text).unwrap_or_default();
        let got: Vec<(String, String)> = back.iter().map(|c| (c.url.to_string(), c.descriptor.clone())).collect();
        prop_assert_eq!(got, list);
    }
}

#[test]
fn consent_mode_follows_the_services_that_read_it() {
    let cat = storefront();
    // Analytics on, Google Analytics (the only reader of analytics_storage) off.
    let partly = Choice::build(
        &cat,
        &[("analytics", true), ("marketing", true)],
        &[("google-analytics", false), ("google-ads", false)],
    );
    assert!(partly.category("analytics") && partly.service("yandex-metrica"));
    let granted: Vec<Signal> = consent_mode(&cat, Some(&partly))
        .iter()
        .filter(|(s, on)| *on && *s != Signal::SecurityStorage)
        .map(|(s, _)| *s)
        .collect();
    assert!(granted.is_empty(), "{granted:?}");
    let whole = Choice::only_categories(&cat, &["analytics"]);
    assert!(consent_mode(&cat, Some(&whole)).contains(&(Signal::AnalyticsStorage, true)));
    // Preferences: no service declares its types, the category decides.
    let prefs = Choice::only_categories(&cat, &["preferences"]);
    assert!(consent_mode(&cat, Some(&prefs)).contains(&(Signal::FunctionalityStorage, true)));
}

proptest! {
    /// A Consent Mode type some services read is never granted while every
    /// one of them is refused.
    #[test]
    fn a_type_is_never_granted_without_one_of_its_readers(bits in prop::collection::vec(any::<bool>(), 16)) {
        let cat = storefront();
        let choice = choice_from(&cat, &bits);
        for (signal, on) in consent_mode(&cat, Some(&choice)) {
            let readers: Vec<&str> = cat.services.iter().filter(|s| s.consent_mode.contains(&signal)).map(|s| s.id.as_str()).collect();
            if on && !readers.is_empty() {
                prop_assert!(readers.iter().any(|id| choice.service(id)), "{:?} granted without {:?}", signal, readers);
            }
        }
    }
}
