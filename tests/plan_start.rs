//! Where a page starts from, as the core plans it: the stored record (or a
//! QA preset, which is one) restored, or the banner with nothing granted;
//! what goes to Google, what the gate lets in, what is cleared, what shows.

use cookiegate::catalogue::Signal;
use cookiegate::consent::time::iso_from_ms;
use cookiegate::consent::{
    consent_mode, start, Choice, ConsentRecord, Effect, Invalid, Method, Start,
};
mod plan_support;

use plan_support::{kinds, storefront};

const DAY: i64 = 24 * 60 * 60 * 1000;
/// 2026-12-01T12:00:00Z.
const NOW: i64 = 1_796_126_400_000;

/// A record stored `age_ms` ago under `revision`.
fn stored(choice: Choice, method: Method, revision: u32, age_ms: i64, gpc: bool) -> String {
    ConsentRecord {
        id: "0123456789abcdef0123456789abcdef".into(),
        timestamp_ms: NOW - age_ms,
        revision,
        method,
        gpc,
        choice,
    }
    .to_stored_json(storefront())
}

fn accepted_all_yesterday() -> String {
    let cat = storefront();
    stored(
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        DAY,
        false,
    )
}

fn update(effects: &[Effect]) -> Option<[(Signal, bool); 7]> {
    effects.iter().find_map(|e| match e {
        Effect::ConsentMode(s) => Some(*s),
        _ => None,
    })
}

fn granted(effects: &[Effect], signal: Signal) -> bool {
    update(effects).is_some_and(|s| s.iter().any(|(x, on)| *x == signal && *on))
}

fn discarded(start: &Start) -> Option<(&Invalid, bool)> {
    start.effects.iter().find_map(|e| match e {
        Effect::Discarded { why, suspicious } => Some((why, *suspicious)),
        _ => None,
    })
}

/// What every "no choice" start does: Google keeps its default, only the
/// required gets in, leftovers go, the banner shows.
fn asks_with_nothing_granted(start: &Start) {
    assert_eq!(start.record, None);
    assert_eq!(
        update(&start.effects),
        None,
        "no update: the default (denied) stands"
    );
    assert!(!start.effects.contains(&Effect::ConsentEvent));
    assert!(!start.effects.contains(&Effect::ShowReopen));
    let tail = &kinds(&start.effects)[start.effects.len() - 3..];
    assert_eq!(tail, ["gate", "clear-leftovers", "ask-again"]);
}

#[test]
fn a_first_visit_shows_the_banner_sends_nothing_to_google_and_clears_leftovers() {
    let start = start(storefront(), None, NOW, false);
    asks_with_nothing_granted(&start);
    assert_eq!(
        kinds(&start.effects),
        ["gate", "clear-leftovers", "ask-again"]
    );
    assert_eq!(
        discarded(&start),
        None,
        "a first visit is not worth a console line"
    );
}

#[test]
fn a_stored_accept_all_is_restored_google_hears_it_before_the_gate_and_the_reopen_button_shows() {
    let cat = storefront();
    let start = start(cat, Some(&accepted_all_yesterday()), NOW, false);
    let record = start
        .record
        .as_ref()
        .expect("yesterday's choice still counts");
    assert_eq!(record.method, Method::Restored);
    assert!(record.choice.category("analytics") && record.choice.service("google-analytics"));
    assert_eq!(
        kinds(&start.effects),
        ["consent-mode", "gate", "consent-event", "show-reopen"],
        "no banner, no change event, nothing to clear or reload"
    );
    assert_eq!(
        update(&start.effects),
        Some(consent_mode(cat, Some(&record.choice)))
    );
    assert!(granted(&start.effects, Signal::AnalyticsStorage));
    assert!(granted(&start.effects, Signal::AdStorage));
}

#[test]
fn a_stored_partial_choice_is_restored_and_what_it_refuses_is_cleared_after_the_gate() {
    let cat = storefront();
    let only_analytics = Choice::only_categories(cat, &["analytics"]);
    let text = stored(only_analytics, Method::Custom, cat.revision, DAY, false);
    let start = start(cat, Some(&text), NOW, false);
    assert!(start.record.is_some());
    assert_eq!(
        kinds(&start.effects),
        [
            "consent-mode",
            "gate",
            "consent-event",
            "clear",
            "show-reopen"
        ]
    );
    assert!(granted(&start.effects, Signal::AnalyticsStorage));
    assert!(!granted(&start.effects, Signal::AdStorage));
}

#[test]
fn a_stored_reject_all_is_restored_without_a_banner_and_grants_nothing() {
    let cat = storefront();
    let text = stored(
        Choice::reject_all(cat),
        Method::RejectAll,
        cat.revision,
        DAY,
        false,
    );
    let start = start(cat, Some(&text), NOW, false);
    assert!(start.record.is_some());
    assert!(!start.effects.contains(&Effect::AskAgain));
    assert!(start.effects.contains(&Effect::ShowReopen));
    assert!(update(&start.effects)
        .is_some_and(|s| s.iter().all(|(x, on)| !on || *x == Signal::SecurityStorage)));
}

#[test]
fn a_record_of_an_older_revision_is_not_restored_the_banner_shows_and_nothing_is_granted() {
    let cat = storefront();
    let all = Choice::accept_all(cat, false);
    let text = stored(all, Method::AcceptAll, cat.revision - 1, DAY, false);
    let start = start(cat, Some(&text), NOW, false);
    asks_with_nothing_granted(&start);
    assert_eq!(
        discarded(&start),
        Some((
            &Invalid::OtherRevision {
                stored: cat.revision - 1
            },
            false
        )),
        "said as information: a revision bump is expected"
    );
    assert_eq!(
        kinds(&start.effects)[0],
        "discarded",
        "the console says why first"
    );
}

#[test]
fn an_expired_record_is_not_restored_and_the_console_informs_rather_than_warns() {
    let cat = storefront();
    let age = i64::from(cat.consent_days) * DAY;
    let text = stored(
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        age,
        false,
    );
    let start = start(cat, Some(&text), NOW, false);
    asks_with_nothing_granted(&start);
    assert_eq!(discarded(&start), Some((&Invalid::Expired, false)));
    // A day younger, the same record still counts (the control).
    let text = stored(
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        age - DAY,
        false,
    );
    assert!(start_of(&text).record.is_some());
}

fn start_of(text: &str) -> Start {
    start(storefront(), Some(text), NOW, false)
}

#[test]
fn a_tampered_or_unreadable_record_is_not_restored_and_the_console_warns() {
    let cat = storefront();
    let future = stored(
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        -DAY,
        false,
    );
    for text in [
        future.as_str(),
        "{\"id\":\"x\"",
        "not json",
        "{\"id\":\"x\",\"categories\":{\"analytics\":true}}",
    ] {
        let start = start_of(text);
        asks_with_nothing_granted(&start);
        let (_, suspicious) = discarded(&start).unwrap_or_else(|| panic!("said for {text}"));
        assert!(suspicious, "a warning for {text}");
    }
}

#[test]
fn with_gpc_on_a_record_made_without_it_is_restored_without_advertising() {
    let cat = storefront();
    let start = start(cat, Some(&accepted_all_yesterday()), NOW, true);
    let record = start
        .record
        .as_ref()
        .expect("the rest of the choice still counts");
    assert!(
        !record.choice.category("marketing"),
        "GPC opts out of marketing"
    );
    assert!(!record.choice.service("google-ads"));
    assert!(record.choice.category("analytics"));
    assert!(!granted(&start.effects, Signal::AdStorage));
    assert!(!granted(&start.effects, Signal::AdUserData));
    assert!(granted(&start.effects, Signal::AnalyticsStorage));
    assert!(
        start.effects.contains(&Effect::Clear),
        "marketing's leftovers go"
    );
    // Without GPC now, the same record grants advertising (the control).
    assert!(granted(
        &start_of(&accepted_all_yesterday()).effects,
        Signal::AdStorage
    ));
}

#[test]
fn with_gpc_on_and_no_record_the_banner_shows_like_any_first_visit() {
    let start = start(storefront(), None, NOW, true);
    asks_with_nothing_granted(&start);
}

#[test]
fn a_qa_preset_written_as_the_readme_shows_counts_as_the_visitors_earlier_choice() {
    let cat = storefront();
    let preset = [
        "{\"id\":\"qa-preset\",\"timestamp\":\"",
        &iso_from_ms(NOW - 1000),
        "\",\"revision\":",
        &cat.revision.to_string(),
        ",\"method\":\"custom\",\"gpc\":false,",
        "\"categories\":{\"analytics\":true},\"services\":{\"google-analytics\":true}}",
    ]
    .concat();
    let start = start_of(&preset);
    let record = start.record.as_ref().expect("the preset counts");
    assert_eq!(record.id, "qa-preset");
    assert!(record.choice.service("google-analytics"));
    assert!(
        !record.choice.service("yandex-metrica"),
        "only the listed service"
    );
    assert!(!record.choice.category("marketing"));
    assert!(granted(&start.effects, Signal::AnalyticsStorage));
    assert!(start.effects.contains(&Effect::ShowReopen));
    assert!(!start.effects.contains(&Effect::AskAgain), "no banner");
    // The same preset with the catalogue's revision wrong: the banner shows.
    let stale = preset.replace(
        &["\"revision\":", &cat.revision.to_string()].concat(),
        "\"revision\":1",
    );
    asks_with_nothing_granted(&start_of(&stale));
}
