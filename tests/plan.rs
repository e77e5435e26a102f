//! What a choice, a withdrawal or a reset does to the page, as the core
//! plans it (the browser layer only carries the effects out, in order):
//! the Consent Mode update, the gate, the events, clearing and reloads.

use cookiegate::catalogue::{self, Signal};
use cookiegate::consent::{consent_mode, must_reload, plan, Choice, Effect, Ran};
mod plan_support;

use plan_support::{kinds, storefront};

fn only(categories: &[&str]) -> Choice {
    Choice::only_categories(storefront(), categories)
}

fn index(service: &str) -> usize {
    storefront()
        .services
        .iter()
        .position(|s| s.id == service)
        .unwrap_or_else(|| panic!("{service} is in the default catalogue"))
}

fn marked(category: &str, service: Option<&str>) -> Ran {
    Ran::Marked {
        category: category.into(),
        service: service.map(Into::into),
    }
}

fn signals(effects: &[Effect]) -> [(Signal, bool); 7] {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::ConsentMode(s) => Some(*s),
            _ => None,
        })
        .expect("every plan tells Google")
}

fn granted(signals: &[(Signal, bool); 7], signal: Signal) -> bool {
    signals.iter().any(|(s, on)| *s == signal && *on)
}

#[test]
fn a_first_accept_all_tells_google_then_lets_in_and_neither_clears_nor_reloads() {
    let cat = storefront();
    let all = Choice::accept_all(cat, false);
    let effects = plan(cat, None, Some(&all), &[]);
    assert_eq!(kinds(&effects), ["consent-mode", "gate", "consent-event"]);
    assert_eq!(signals(&effects), consent_mode(cat, Some(&all)));
    assert!(granted(&signals(&effects), Signal::AnalyticsStorage));
}

#[test]
fn a_first_reject_all_clears_and_the_update_comes_before_the_gate() {
    let cat = storefront();
    let none = Choice::reject_all(cat);
    let effects = plan(cat, None, Some(&none), &[]);
    assert_eq!(
        kinds(&effects),
        ["consent-mode", "gate", "consent-event", "clear"]
    );
    let s = signals(&effects);
    assert!(!granted(&s, Signal::AnalyticsStorage) && !granted(&s, Signal::AdStorage));
    assert!(
        granted(&s, Signal::SecurityStorage),
        "necessary stays granted"
    );
}

#[test]
fn withdrawing_analytics_after_its_script_ran_reloads_after_clearing_and_says_what_changed() {
    let cat = storefront();
    let before = Choice::accept_all(cat, false);
    let after = only(&["marketing", "social", "preferences"]);
    let ran = [marked("analytics", Some("google-analytics"))];
    let effects = plan(cat, Some(&before), Some(&after), &ran);
    assert_eq!(
        kinds(&effects),
        [
            "consent-mode",
            "gate",
            "consent-event",
            "change",
            "clear",
            "reload"
        ]
    );
    let Some(Effect::Change(diff)) = effects.iter().find(|e| matches!(e, Effect::Change(_))) else {
        unreachable!("a change was planned")
    };
    assert_eq!(diff.categories, ["analytics"]);
    assert!(diff.services.iter().any(|s| s == "google-analytics"));
    assert!(!granted(&signals(&effects), Signal::AnalyticsStorage));
}

#[test]
fn control_withdrawing_what_never_ran_needs_no_reload() {
    let cat = storefront();
    let before = Choice::accept_all(cat, false);
    let after = only(&["analytics"]);
    // Only an analytics script ran; marketing, which never ran, is withdrawn.
    let ran = [marked("analytics", Some("google-analytics"))];
    let effects = plan(cat, Some(&before), Some(&after), &ran);
    assert!(!effects.contains(&Effect::Reload));
    assert!(effects.contains(&Effect::Clear), "marketing's cookies go");
}

#[test]
fn the_same_choice_again_dispatches_no_change() {
    let cat = storefront();
    let choice = only(&["analytics"]);
    let effects = plan(cat, Some(&choice), Some(&choice), &[]);
    assert!(!kinds(&effects).contains(&"change"));
    assert!(
        kinds(&effects).contains(&"consent-event"),
        "the record is still new"
    );
}

#[test]
fn a_category_only_script_needs_the_whole_category_and_reloads_when_one_service_goes() {
    let cat = storefront();
    let before = only(&["analytics"]);
    // Same category, one of its services switched off.
    let after = Choice::build(cat, &[("analytics", true)], &[("yandex-metrica", false)]);
    let ran = [marked("analytics", None)];
    assert!(must_reload(cat, Some(&after), &ran));
    assert!(
        !must_reload(cat, Some(&before), &ran),
        "control: all of it granted"
    );
    // A script of a service still granted keeps running.
    assert!(!must_reload(
        cat,
        Some(&after),
        &[marked("analytics", Some("google-analytics"))]
    ));
}

#[test]
fn scripts_let_in_by_service_reload_when_that_service_goes() {
    let cat = storefront();
    let ga = Ran::Service(index("google-analytics"));
    let after = Choice::build(cat, &[("analytics", true)], &[("google-analytics", false)]);
    assert!(must_reload(cat, Some(&after), std::slice::from_ref(&ga)));
    assert!(!must_reload(cat, Some(&only(&["analytics"])), &[ga]));
}

#[test]
fn required_scripts_never_force_a_reload_not_even_on_reset() {
    let cat = storefront();
    let ran = [
        marked("necessary", None),
        marked("necessary", Some("shop-session")),
        Ran::Service(index("shop-session")),
    ];
    assert!(!must_reload(cat, Some(&Choice::reject_all(cat)), &ran));
    assert!(!must_reload(cat, None, &ran));
}

#[test]
fn a_script_of_an_unknown_service_counts_as_refused() {
    let cat = storefront();
    let all = Choice::accept_all(cat, false);
    assert!(must_reload(
        cat,
        Some(&all),
        &[Ran::Service(cat.services.len())]
    ));
    assert!(must_reload(
        cat,
        Some(&all),
        &[marked("no-such-category", None)]
    ));
}

#[test]
fn a_reset_clears_first_then_denies_and_asks_again_when_nothing_ran() {
    let cat = storefront();
    let before = only(&["analytics", "marketing"]);
    let effects = plan(cat, Some(&before), None, &[]);
    assert_eq!(
        kinds(&effects),
        ["clear", "consent-mode", "gate", "change", "ask-again"]
    );
    assert_eq!(signals(&effects), consent_mode(cat, None));
    let Some(Effect::Change(diff)) = effects.iter().find(|e| matches!(e, Effect::Change(_))) else {
        unreachable!("a change was planned")
    };
    assert_eq!(diff.categories, ["analytics", "marketing"]);
}

#[test]
fn a_reset_after_a_tracker_ran_reloads_instead_of_asking() {
    let cat = storefront();
    let before = only(&["analytics"]);
    let ran = [marked("analytics", Some("google-analytics"))];
    let effects = plan(cat, Some(&before), None, &ran);
    assert_eq!(kinds(&effects).last(), Some(&"reload"));
    assert!(!effects.contains(&Effect::AskAgain));
}

#[test]
fn a_reset_with_no_choice_before_dispatches_no_change() {
    let cat = storefront();
    let effects = plan(cat, None, None, &[]);
    assert_eq!(
        kinds(&effects),
        ["clear", "consent-mode", "gate", "ask-again"]
    );
}

#[test]
fn granting_more_never_reloads() {
    let cat = storefront();
    let ran = [
        marked("analytics", Some("google-analytics")),
        Ran::Service(index("google-tag-manager")),
    ];
    let effects = plan(
        cat,
        Some(&only(&["analytics"])),
        Some(&Choice::accept_all(cat, false)),
        &ran,
    );
    assert!(!effects.contains(&Effect::Reload));
    assert!(!effects.contains(&Effect::Clear), "nothing is refused");
}

#[test]
fn the_preferences_switch_shows_a_category_as_build_grants_it() {
    use cookiegate::consent::category_switch;
    let cat = storefront();
    // Analytics has three services in the default catalogue.
    let total = cat.services_of("analytics").count();
    assert!(total >= 2);
    for granted in 0..=total {
        let shows = category_switch(granted, total);
        assert_eq!(shows.on, granted > 0);
        assert_eq!(shows.mixed, granted > 0 && granted < total);
    }
    // One analytics service on: the category counts as granted (in part),
    // as the switch shows it.
    let one = Choice::build(cat, &[], &[("google-analytics", true)]);
    assert!(one.category("analytics"));
    assert!(!one.whole_category(cat, "analytics"));
    let none = Choice::build(
        cat,
        &[("analytics", true)],
        &[
            ("google-analytics", false),
            ("google-tag-manager", false),
            ("yandex-metrica", false),
        ],
    );
    assert!(
        !none.category("analytics"),
        "every service off: the category is off"
    );
}

/// The bootstrap sends Consent Mode's default before the module exists, so
/// it keeps its own copy of the seven types and of what is granted by
/// default. It must say what the core says for "no choice" under every
/// catalogue we ship.
#[test]
fn the_bootstrap_default_is_the_cores_no_choice_signals() {
    let source = include_str!("../www/cookiegate.js");
    let list = source
        .split("var K = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("the bootstrap lists the Consent Mode types in `var K = [...]`");
    let names: Vec<&str> = list
        .split(',')
        .map(|n| n.trim().trim_matches('\''))
        .filter(|n| !n.is_empty())
        .collect();
    let expected: Vec<&str> = Signal::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names, expected,
        "the bootstrap's types, in the core's order"
    );
    let granted_by_default: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| source.contains(&["k == '", n, "' ? 'granted'"].concat()))
        .collect();
    for (name, file) in [
        (
            "storefront",
            &include_bytes!("../policies/storefront.json")[..],
        ),
        (
            "storefront-2016",
            &include_bytes!("../policies/storefront-2016.json")[..],
        ),
        ("starter", &include_bytes!("../policies/starter.json")[..]),
    ] {
        let cat = catalogue::load_strict(file).unwrap_or_else(|p| panic!("{name} is valid: {p:?}"));
        let core: Vec<&str> = consent_mode(&cat, None)
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(
            granted_by_default, core,
            "{name}: granted before any choice"
        );
    }
}

#[test]
fn always_allow_grants_that_service_and_nothing_else() {
    let cat = storefront();
    let first = Choice::allowing(cat, None, "youtube").expect("youtube is listed");
    assert!(first.service("youtube"));
    assert!(first.category("social"));
    let others: Vec<&str> = first
        .services
        .iter()
        .filter(|(id, on)| *on && id != "youtube")
        .map(|(id, _)| id.as_str())
        .filter(|id| {
            cat.service(id)
                .and_then(|s| cat.category(&s.category))
                .is_some_and(|c| !c.required)
        })
        .collect();
    assert!(
        others.is_empty(),
        "only YouTube among optional services: {others:?}"
    );
    // On top of an earlier choice: what it granted stays, what it refused
    // stays refused, even inside the same category.
    let before = Choice::build(cat, &[("analytics", true)], &[("yandex-metrica", false)]);
    let after = Choice::allowing(cat, Some(&before), "google-ads").expect("listed");
    assert!(after.service("google-ads") && after.service("google-analytics"));
    assert!(!after.service("yandex-metrica"));
    assert!(
        !after.service("facebook"),
        "the rest of marketing stays refused"
    );
    // A withdrawal of nothing: no reload for what ran under the old choice.
    let ran = [marked("analytics", Some("google-analytics"))];
    assert!(!must_reload(cat, Some(&after), &ran));
    assert!(Choice::allowing(cat, Some(&before), "no-such-service").is_none());
}

/// On a first visit the bootstrap builds the first layer itself, and the
/// module then puts its own in its place; so the bootstrap names the
/// banner's texts and the record's places on its own. They must be the
/// texts the module's banner shows, and where the module's store keeps a
/// record (the bootstrap shows nothing early while either holds one).
#[test]
fn the_early_banner_shows_the_module_banners_texts_and_looks_where_records_are_kept() {
    let source = include_str!("../www/cookiegate.js");
    let listed = source
        .split("var keys = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("the bootstrap lists the banner's texts in `var keys = [...]`");
    let mut early: Vec<&str> = listed
        .split(',')
        .map(|n| n.trim().trim_matches('\''))
        .filter(|n| !n.is_empty())
        .collect();
    if source.contains("if (gpc) keys.push('gpc_honoured');") {
        early.push("gpc_honoured");
    }
    let banner = include_str!("../src/web/ui/banner.rs");
    let mut shown: Vec<&str> = cookiegate::catalogue::TextKey::ALL
        .iter()
        .filter(|k| banner.contains(&format!("TextKey::{k:?})")))
        .map(|k| k.as_str())
        .collect();
    early.sort_unstable();
    shown.sort_unstable();
    assert_eq!(
        early, shown,
        "the early banner's texts are the module banner's"
    );

    let store = include_str!("../src/web/store.rs");
    assert!(store.contains("pub const KEY: &str = \"cookiegate\";"));
    assert!(store.contains("pub const HOST_COOKIE: &str = \"__Host-cookiegate\";"));
    assert!(
        source.contains("w.localStorage.getItem('cookiegate') != null"),
        "the bootstrap looks for the store's localStorage key"
    );
    assert!(
        source.contains(r"/(^|;)\s*(__Host-)?cookiegate=/"),
        "and for either of its cookies"
    );
}
