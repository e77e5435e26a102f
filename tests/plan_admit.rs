//! What the gate does with one held element, as the core decides it: let
//! it in, keep holding it, hold a frame behind its service's placeholder,
//! or refuse it for good (the trust rules stay `judge`'s, tested in
//! tests/trust.rs; here, what a visitor sees of each element).

use cookiegate::consent::{
    admit, fetch_early, placeholder, Admit, Choice, Held, PageTrust, Refusal, Target,
};
mod plan_support;

use plan_support::storefront;

const PAGE: PageTrust<'static> = PageTrust {
    origin: "https://shop.example",
    nonce: "n0nce",
};

const YOUTUBE: [Target<'static>; 1] = [Target {
    protocol: "https:",
    hostname: "www.youtube-nocookie.com",
    origin: "https://www.youtube-nocookie.com",
}];

const ELSEWHERE: [Target<'static>; 1] = [Target {
    protocol: "https:",
    hostname: "tracker.example",
    origin: "https://tracker.example",
}];

/// `<iframe data-category=… data-service=… data-src=…>` (or another
/// element loading the same URL).
fn frame<'a>(category: &'a str, service: Option<&'a str>, targets: &'a [Target<'a>]) -> Held<'a> {
    Held {
        category,
        service,
        nonce: "",
        inline_code: false,
        script_type: None,
        targets,
    }
}

/// `<script type="text/plain" data-category=…>` with inline code.
fn inline_script<'a>(category: &'a str, nonce: &'a str) -> Held<'a> {
    Held {
        category,
        service: None,
        nonce,
        inline_code: true,
        script_type: None,
        targets: &[],
    }
}

fn service_name(admitted: Admit<'_>) -> Option<&str> {
    match admitted {
        Admit::Placeholder(s) => Some(s.id.as_str()),
        _ => None,
    }
}

#[test]
fn before_any_choice_a_youtube_frame_stays_blocked_behind_the_youtube_placeholder() {
    let cat = storefront();
    let held = frame("social", Some("youtube"), &YOUTUBE);
    assert_eq!(
        service_name(admit(cat, None, PAGE, &held, true)),
        Some("youtube")
    );
}

#[test]
fn once_the_visitor_allows_embedded_videos_the_frame_is_let_in() {
    let cat = storefront();
    let held = frame("social", Some("youtube"), &YOUTUBE);
    let social = Choice::only_categories(cat, &["social"]);
    assert_eq!(
        admit(cat, Some(&social), PAGE, &held, true),
        Admit::Activate
    );
    // Allowing something else leaves it behind its placeholder (the control).
    let analytics = Choice::only_categories(cat, &["analytics"]);
    assert_eq!(
        service_name(admit(cat, Some(&analytics), PAGE, &held, true)),
        Some("youtube")
    );
}

#[test]
fn a_blocked_image_or_video_gets_no_placeholder_only_frames_do() {
    let cat = storefront();
    let held = frame("social", Some("youtube"), &YOUTUBE);
    assert_eq!(admit(cat, None, PAGE, &held, false), Admit::Hold);
}

#[test]
fn a_blocked_frame_naming_only_a_category_gets_no_placeholder() {
    let cat = storefront();
    let held = frame("social", None, &YOUTUBE);
    assert_eq!(admit(cat, None, PAGE, &held, true), Admit::Hold);
    assert_eq!(placeholder(cat, None, true), None);
}

#[test]
fn a_frame_of_an_unknown_service_is_refused_not_offered_behind_a_placeholder() {
    let cat = storefront();
    let held = frame("social", Some("vimeo"), &YOUTUBE);
    assert_eq!(
        admit(cat, None, PAGE, &held, true),
        Admit::Refuse(Refusal::UnknownService)
    );
    assert_eq!(placeholder(cat, Some("vimeo"), true), None);
}

#[test]
fn a_frame_loading_from_a_host_its_service_does_not_declare_is_refused_even_when_allowed() {
    let cat = storefront();
    let held = frame("social", Some("youtube"), &ELSEWHERE);
    let all = Choice::accept_all(cat, false);
    for choice in [None, Some(&all)] {
        assert_eq!(
            admit(cat, choice, PAGE, &held, true),
            Admit::Refuse(Refusal::OffHosts)
        );
    }
}

#[test]
fn an_inline_script_runs_only_with_the_pages_nonce_once_its_category_is_allowed() {
    let cat = storefront();
    let analytics = Choice::only_categories(cat, &["analytics"]);
    let with_nonce = inline_script("analytics", "n0nce");
    assert_eq!(admit(cat, None, PAGE, &with_nonce, false), Admit::Hold);
    assert_eq!(
        admit(cat, Some(&analytics), PAGE, &with_nonce, false),
        Admit::Activate
    );
    let without = inline_script("analytics", "");
    assert_eq!(
        admit(cat, Some(&analytics), PAGE, &without, false),
        Admit::Refuse(Refusal::NoNonce)
    );
}

#[test]
fn a_fallback_for_refused_marketing_runs_while_marketing_is_refused_and_not_after() {
    let cat = storefront();
    let fallback = inline_script("!marketing", "n0nce");
    let refused = Choice::reject_all(cat);
    let all = Choice::accept_all(cat, false);
    assert_eq!(
        admit(cat, Some(&refused), PAGE, &fallback, false),
        Admit::Activate
    );
    assert_eq!(admit(cat, Some(&all), PAGE, &fallback, false), Admit::Hold);
}

#[test]
fn required_elements_run_before_any_choice() {
    let cat = storefront();
    let held = inline_script("necessary", "n0nce");
    assert_eq!(admit(cat, None, PAGE, &held, false), Admit::Activate);
}

#[test]
fn a_withdrawn_frame_goes_back_behind_the_placeholder_of_its_service() {
    let cat = storefront();
    let held = frame("social", Some("youtube"), &YOUTUBE);
    let social = Choice::only_categories(cat, &["social"]);
    assert_eq!(
        admit(cat, Some(&social), PAGE, &held, true),
        Admit::Activate
    );
    let withdrawn = Choice::reject_all(cat);
    assert_eq!(
        service_name(admit(cat, Some(&withdrawn), PAGE, &held, true)),
        Some("youtube")
    );
    assert_eq!(
        placeholder(cat, Some("youtube"), true).map(|s| s.id.as_str()),
        Some("youtube")
    );
    assert_eq!(
        placeholder(cat, Some("youtube"), false),
        None,
        "a video gets none"
    );
}

const GTAG: [Target<'static>; 1] = [Target {
    protocol: "https:",
    hostname: "www.googletagmanager.com",
    origin: "https://www.googletagmanager.com",
}];

/// `<script type="text/plain" data-category=… data-service=… data-src=…>`.
fn external_script<'a>(
    category: &'a str,
    service: &'a str,
    script_type: Option<&'a str>,
    targets: &'a [Target<'a>],
) -> Held<'a> {
    Held {
        category,
        service: Some(service),
        nonce: "",
        inline_code: false,
        script_type,
        targets,
    }
}

#[test]
fn a_granted_external_script_is_fetched_early_and_a_refused_one_is_not() {
    let cat = storefront();
    let held = external_script("analytics", "google-analytics", None, &GTAG);
    let all = Choice::accept_all(cat, false);
    let granted = admit(cat, Some(&all), PAGE, &held, false);
    assert!(fetch_early(&granted, true, None), "the control: granted");
    let refused = Choice::reject_all(cat);
    let held_back = admit(cat, Some(&refused), PAGE, &held, false);
    assert_eq!(held_back, Admit::Hold);
    assert!(!fetch_early(&held_back, true, None), "refused");
    assert!(
        !fetch_early(&admit(cat, None, PAGE, &held, false), true, None),
        "no choice yet"
    );
}

#[test]
fn nothing_the_gate_refuses_or_holds_is_fetched_early() {
    let cat = storefront();
    let all = Choice::accept_all(cat, false);
    let off_hosts = external_script("analytics", "google-analytics", None, &ELSEWHERE);
    let http = [Target {
        protocol: "http:",
        hostname: "www.googletagmanager.com",
        origin: "http://www.googletagmanager.com",
    }];
    let insecure = external_script("analytics", "google-analytics", None, &http);
    for held in [off_hosts, insecure] {
        let admitted = admit(cat, Some(&all), PAGE, &held, false);
        assert!(matches!(admitted, Admit::Refuse(_)), "{admitted:?}");
        assert!(!fetch_early(&admitted, true, None));
    }
    let youtube = frame("social", Some("youtube"), &YOUTUBE);
    let behind = admit(cat, None, PAGE, &youtube, true);
    assert!(matches!(behind, Admit::Placeholder(_)));
    assert!(!fetch_early(&behind, true, None));
}

#[test]
fn only_classic_external_scripts_are_fetched_early() {
    let run = Admit::Activate;
    for classic in [
        None,
        Some(""),
        Some("text/javascript"),
        Some(" Application/JavaScript "),
    ] {
        assert!(fetch_early(&run, true, classic), "{classic:?}");
    }
    assert!(
        !fetch_early(&run, false, None),
        "inline code has nothing to fetch"
    );
    for other in [
        Some("module"),
        Some(" MODULE"),
        Some("importmap"),
        Some("text/plain"),
    ] {
        assert!(!fetch_early(&run, true, other), "{other:?}");
    }
}
