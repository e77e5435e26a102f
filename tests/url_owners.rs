//! Which services own a URL and whether it may load now, against the
//! default catalogue: the rule the bootstrap asks about every script,
//! frame, pixel, link and request a tag makes. Unit cases first, then
//! properties: no URL of a refused service is ever allowed, whatever its
//! case, port, user name, path or query; no first-party URL is ever refused.

// Native only: proptest does not build for wasm32 (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

use cookiegate::catalogue::{self, Catalogue};
use cookiegate::consent::{owners, verdict, Choice, UrlTarget, UrlVerdict};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::sync::OnceLock;

const PAGE: &str = "https://www.shop.example";

fn storefront() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        catalogue::load(include_bytes!("../policies/storefront.json"))
            .unwrap_or_else(|p| panic!("the default catalogue is valid: {p:?}"))
    })
}

/// The page origin as the core reads it.
fn page(origin: &str) -> Option<UrlTarget> {
    UrlTarget::parse(origin)
}

fn ids(indices: &[usize]) -> Vec<&'static str> {
    let catalogue = storefront();
    indices
        .iter()
        .map(|&i| catalogue.services[i].id.as_str())
        .collect()
}

/// The services owning `url`, by id.
fn owners_of(url: &str) -> Vec<&'static str> {
    UrlTarget::parse(url).map_or_else(Vec::new, |t| ids(&owners(storefront(), &t)))
}

/// `Ok(())` when `url` may load under `choice`, else the ids it waits for.
fn judge(choice: Option<&Choice>, url: &str) -> Result<(), Vec<&'static str>> {
    match verdict(storefront(), choice, page(PAGE).as_ref(), url) {
        UrlVerdict::Load => Ok(()),
        UrlVerdict::Wait(waiting) => {
            assert!(!waiting.is_empty(), "Wait always names whom it waits for");
            Err(ids(&waiting))
        }
    }
}

fn only(categories: &[&str]) -> Choice {
    Choice::only_categories(storefront(), categories)
}

// ------------------------------------------------------------- unit cases

#[test]
fn a_prefix_tells_the_services_of_a_shared_host_apart() {
    let gtm = "https://www.googletagmanager.com/gtm.js?id=GTM-DEMO";
    let ga = "https://www.googletagmanager.com/gtag/js?id=G-DEMO";
    let ads = "https://www.googletagmanager.com/gtag/js?id=AW-DEMO&l=dataLayer";
    assert_eq!(owners_of(gtm), ["google-tag-manager"]);
    assert_eq!(owners_of(ga), ["google-analytics"]);
    assert_eq!(owners_of(ads), ["google-ads"]);
    // An analytics-only visitor keeps GTM and GA4 and still gets no Ads tag.
    let analytics = only(&["analytics"]);
    assert_eq!(judge(Some(&analytics), gtm), Ok(()));
    assert_eq!(judge(Some(&analytics), ga), Ok(()));
    assert_eq!(judge(Some(&analytics), ads), Err(vec!["google-ads"]));
    let both = only(&["analytics", "marketing"]);
    assert_eq!(judge(Some(&both), ads), Ok(()));
}

#[test]
fn a_url_on_a_shared_host_that_no_prefix_matches_needs_every_sharer() {
    let unknown = "https://www.googletagmanager.com/gtag/destination?id=X";
    assert_eq!(
        owners_of(unknown),
        ["google-tag-manager", "google-analytics", "google-ads"]
    );
    assert_eq!(
        judge(Some(&only(&["analytics"])), unknown),
        Err(vec!["google-ads"])
    );
    assert_eq!(
        judge(None, unknown),
        Err(vec!["google-tag-manager", "google-analytics", "google-ads"])
    );
    assert_eq!(
        judge(Some(&only(&["analytics", "marketing"])), unknown),
        Ok(())
    );
    // A prefix is matched from the start of the path, case and all.
    assert_eq!(
        owners_of("https://www.googletagmanager.com/GTAG/js?id=G-1").len(),
        3
    );
    assert_eq!(
        owners_of("https://www.googletagmanager.com/x/gtag/js?id=G-1").len(),
        3
    );
}

#[test]
fn a_host_of_one_service_belongs_to_it_whatever_the_path() {
    for url in [
        "https://connect.facebook.net/en_US/fbevents.js",
        "https://www.facebook.com/tr?id=1&ev=PageView",
        "HTTP://WWW.FACEBOOK.COM:8080/anything",
        "https://x:y@connect.facebook.net./a",
        "https:\\\\connect.facebook.net\\en_US\\fbevents.js",
        "https://connect%2Efacebook.net/",
        "wss://www.facebook.com/socket",
    ] {
        assert_eq!(owners_of(url), ["facebook"], "{url}");
        assert_eq!(
            judge(Some(&only(&["analytics"])), url),
            Err(vec!["facebook"]),
            "{url}"
        );
        assert_eq!(judge(Some(&only(&["marketing"])), url), Ok(()), "{url}");
    }
}

#[test]
fn what_is_on_no_service_host_or_on_the_page_origin_loads() {
    for url in [
        "https://cdn.shop-assets.example/app.js",
        "https://facebook.net/",
        "https://evil.connect.facebook.net.example/",
        "https://www.googletagmanager.com@cdn.example/gtm.js",
        "data:image/gif;base64,R0lGOD",
        "blob:https://www.facebook.com/1",
        "about:blank",
        "https://www.shop.example/stand-ins/gtm.js?id=www.googletagmanager.com",
        "HTTPS://WWW.SHOP.EXAMPLE:443/api/cart",
    ] {
        assert_eq!(judge(None, url), Ok(()), "{url}");
    }
    // Same host, other scheme or port: another origin, judged by its host.
    assert_eq!(judge(None, "http://www.shop.example/api"), Ok(()));
}

#[test]
fn a_required_service_loads_before_any_choice() {
    let mut catalogue = storefront().clone();
    let shop = catalogue
        .services
        .iter_mut()
        .find(|s| s.id == "shop-session")
        .expect("the default catalogue has shop-session");
    shop.hosts = vec!["pay.shop-payments.example".into()];
    let url = "https://pay.shop-payments.example/v3/";
    assert_eq!(
        verdict(&catalogue, None, page(PAGE).as_ref(), url),
        UrlVerdict::Load
    );
}

#[test]
fn the_page_origin_is_never_refused_even_when_a_service_lists_its_host() {
    let facebook = page("https://www.facebook.com");
    let url = "https://www.facebook.com/tr?id=1";
    assert_eq!(
        verdict(storefront(), None, facebook.as_ref(), url),
        UrlVerdict::Load
    );
    assert!(matches!(
        verdict(storefront(), None, page(PAGE).as_ref(), url),
        UrlVerdict::Wait(_)
    ));
}

// ------------------------------------------------------------- properties

fn config() -> Config {
    Config {
        cases: 512,
        ..Config::default()
    }
}

/// `s` with each ASCII letter's case chosen by `mask`.
fn recase(s: &str, mask: &[bool]) -> String {
    s.chars()
        .zip(mask.iter().cycle())
        .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
        .collect()
}

/// How a page may write the start of a URL for `host`: scheme case, a user
/// name, a port, a trailing dot, the host's case.
fn authority(host: String) -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https://"), Just("http://"), Just("HTTPS://"), Just("wss://"), Just("https:\\\\")],
        prop_oneof![3 => Just(""), 1 => Just("user@"), 1 => Just("u:p@")],
        prop::collection::vec(any::<bool>(), 1..8),
        prop_oneof![2 => Just(""), 1 => Just(".")],
        prop_oneof![3 => Just(String::new()), 1 => (0u32..70000).prop_map(|p| [":", &p.to_string()].concat())],
    )
        .prop_map(move |(scheme, user, mask, dot, port)| {
            [scheme, user, &recase(&host, &mask), dot, &port].concat()
        })
}

/// Any path and query, with characters that often confuse URL readers.
fn path_and_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9._~-]{0,12}",
        1 => Just("/".to_string()),
        1 => Just("?".to_string()),
        1 => Just("#".to_string()),
        1 => Just("@".to_string()),
        1 => Just("%2F".to_string()),
        1 => Just("\\".to_string()),
        1 => Just("www.shop.example".to_string()),
        1 => Just("id=G-".to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// A random choice: each category on or off (none: no choice yet).
fn any_choice() -> impl Strategy<Value = Option<Vec<bool>>> {
    prop::option::weighted(0.8, prop::collection::vec(any::<bool>(), 5))
}

fn choice_from(flags: &[bool]) -> Choice {
    let catalogue = storefront();
    let wishes: Vec<(&str, bool)> = catalogue
        .categories
        .iter()
        .zip(flags)
        .map(|(c, on)| (c.id.as_str(), *on))
        .collect();
    Choice::build(catalogue, &wishes, &[])
}

/// A URL that belongs to a service, and that service's index: a host only it
/// lists (any path); one of its prefixes (any continuation); or a host it
/// shares with a path no prefix matches.
fn url_of_a_service() -> impl Strategy<Value = (usize, String)> {
    let catalogue = storefront();
    let mut starts: Vec<(usize, String, bool)> = Vec::new();
    for (i, s) in catalogue.services.iter().enumerate() {
        for h in &s.hosts {
            let shared = catalogue
                .services
                .iter()
                .filter(|o| o.hosts.contains(h))
                .count()
                > 1;
            starts.push((i, h.clone(), shared));
        }
        for p in &s.urls {
            starts.push((i, p.clone(), false));
        }
    }
    prop::sample::select(starts).prop_flat_map(|(i, start, shared)| {
        let (host, prefix_path) = match start.split_once('/') {
            Some((h, p)) => (h.to_string(), ["/", p].concat()),
            None => (start.clone(), String::new()),
        };
        let tail = if shared {
            // No prefix on the default catalogue starts with /z.
            path_and_query().prop_map(|p| ["/z", &p].concat()).boxed()
        } else if prefix_path.is_empty() {
            path_and_query().prop_map(|p| ["/", &p].concat()).boxed()
        } else {
            path_and_query()
                .prop_map(move |p| [prefix_path.as_str(), &p].concat())
                .boxed()
        };
        (authority(host), tail).prop_map(move |(a, t)| (i, [a, t].concat()))
    })
}

proptest! {
    #![proptest_config(config())]

    /// No URL of a service the choice refuses is ever allowed.
    #[test]
    fn no_url_of_a_refused_service_loads((service, url) in url_of_a_service(), flags in any_choice()) {
        let catalogue = storefront();
        let choice = flags.as_deref().map(choice_from);
        let s = &catalogue.services[service];
        let granted = choice.as_ref().is_some_and(|c| c.service(&s.id));
        let v = verdict(catalogue, choice.as_ref(), page(PAGE).as_ref(), &url);
        if !granted {
            prop_assert!(matches!(&v, UrlVerdict::Wait(w) if w.contains(&service)), "{url} loaded although {} is refused: {v:?}", s.id);
        }
    }

    /// Its control: once every service is granted, the same URLs load.
    #[test]
    fn every_url_loads_once_everything_is_granted((_, url) in url_of_a_service()) {
        let catalogue = storefront();
        let all = Choice::accept_all(catalogue, false);
        prop_assert_eq!(verdict(catalogue, Some(&all), page(PAGE).as_ref(), &url), UrlVerdict::Load, "{}", url);
    }

    /// A URL of the page's own origin always loads, whatever its path or
    /// query, under any choice, even on a page whose host a service lists.
    #[test]
    fn no_first_party_url_is_refused(
        page_host in prop::sample::select(vec!["www.shop.example", "www.facebook.com", "www.googletagmanager.com", "127.0.0.1"]),
        mask in prop::collection::vec(any::<bool>(), 1..8),
        explicit_port in any::<bool>(),
        path in path_and_query(),
        flags in any_choice(),
    ) {
        let choice = flags.as_deref().map(choice_from);
        let origin = page(&["https://", page_host].concat());
        let port = if explicit_port { ":443" } else { "" };
        let url = ["HTTPS://", &recase(page_host, &mask), port, "/", &path].concat();
        prop_assert_eq!(verdict(storefront(), choice.as_ref(), origin.as_ref(), &url), UrlVerdict::Load, "{}", url);
    }

    /// A host no service lists loads, whatever the choice.
    #[test]
    fn hosts_of_no_service_load(label in "[a-z][a-z0-9-]{0,10}", path in path_and_query(), flags in any_choice()) {
        let choice = flags.as_deref().map(choice_from);
        let url = ["https://", &label, ".cdn-of-nobody.example/", &path].concat();
        prop_assert_eq!(verdict(storefront(), choice.as_ref(), page(PAGE).as_ref(), &url), UrlVerdict::Load, "{}", url);
    }

    /// Any string at all: an answer, never a panic.
    #[test]
    fn any_text_gets_an_answer(url in any::<String>(), page in any::<String>()) {
        let _ = verdict(storefront(), None, UrlTarget::parse(&page).as_ref(), &url);
    }
}
