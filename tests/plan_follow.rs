//! How a tab follows a change another tab made to the stored record, as the
//! core plans it: a record that counts is adopted (and answers the banner),
//! a removed one is forgotten here too, this tab's own record and one that
//! does not count change nothing.

use cookiegate::catalogue::Signal;
use cookiegate::consent::{follow, Choice, ConsentRecord, Effect, Follow, Method, Ran};
mod plan_support;

use plan_support::{kinds, storefront};

const DAY: i64 = 24 * 60 * 60 * 1000;
/// 2026-12-01T12:00:00Z.
const NOW: i64 = 1_796_126_400_000;

fn record(id: &str, choice: Choice, method: Method, revision: u32, age_ms: i64) -> ConsentRecord {
    ConsentRecord {
        id: id.into(),
        timestamp_ms: NOW - age_ms,
        revision,
        method,
        gpc: false,
        choice,
    }
}

/// This tab's record: everything refused an hour ago.
fn mine() -> ConsentRecord {
    let cat = storefront();
    let all = Choice::reject_all(cat);
    record(
        "a".repeat(32).as_str(),
        all,
        Method::RejectAll,
        cat.revision,
        DAY / 24,
    )
}

/// The other tab's record, written a minute ago under this revision.
fn theirs(choice: Choice, method: Method) -> ConsentRecord {
    let cat = storefront();
    record(
        "b".repeat(32).as_str(),
        choice,
        method,
        cat.revision,
        60_000,
    )
}

fn stored(r: &ConsentRecord) -> String {
    r.to_stored_json(storefront())
}

fn granted(effects: &[Effect], signal: Signal) -> Option<bool> {
    effects.iter().find_map(|e| match e {
        Effect::ConsentMode(s) => s.iter().find(|(x, _)| *x == signal).map(|(_, on)| *on),
        _ => None,
    })
}

fn follow_now(
    current: Option<&ConsentRecord>,
    stored: Option<&str>,
    ran: &[Ran],
) -> Option<Follow> {
    follow(storefront(), current, stored, NOW, false, ran)
}

fn analytics_ran() -> Vec<Ran> {
    vec![Ran::Marked {
        category: "analytics".into(),
        service: Some("google-analytics".into()),
    }]
}

#[test]
fn an_accept_all_from_another_tab_is_adopted_as_restored_and_answers_the_banner() {
    let cat = storefront();
    let other = theirs(Choice::accept_all(cat, false), Method::AcceptAll);
    let f = follow_now(Some(&mine()), Some(&stored(&other)), &[]).expect("it counts: followed");
    let record = f.record.as_ref().expect("adopted");
    assert_eq!(record.id, other.id, "the other tab's record, not a new one");
    assert_eq!(record.method, Method::Restored);
    assert_eq!(record.choice, other.choice);
    assert_eq!(
        kinds(&f.effects),
        [
            "consent-mode",
            "gate",
            "consent-event",
            "change",
            "hide",
            "show-reopen"
        ],
        "Google hears it before the gate; nothing refused, so nothing to clear or reload"
    );
    assert_eq!(granted(&f.effects, Signal::AnalyticsStorage), Some(true));
    let Some(Effect::Change(diff)) = f.effects.iter().find(|e| matches!(e, Effect::Change(_)))
    else {
        unreachable!("kinds says there is a change")
    };
    assert!(
        diff.categories.contains(&"analytics".to_string()),
        "{diff:?}"
    );
}

#[test]
fn a_first_choice_made_in_another_tab_is_adopted_with_no_change_event() {
    let cat = storefront();
    let other = theirs(Choice::reject_all(cat), Method::RejectAll);
    let f = follow_now(None, Some(&stored(&other)), &[]).expect("followed");
    assert!(f.record.is_some());
    assert_eq!(
        kinds(&f.effects),
        [
            "consent-mode",
            "gate",
            "consent-event",
            "clear",
            "hide",
            "show-reopen"
        ],
        "nothing chosen before: no change; a refusal clears"
    );
}

#[test]
fn a_withdrawal_in_another_tab_after_analytics_ran_reloads_this_tab_too() {
    let cat = storefront();
    let mut accepted = theirs(Choice::accept_all(cat, false), Method::AcceptAll);
    accepted.id = "this tab's".into();
    let withdrawn = theirs(Choice::reject_all(cat), Method::RejectAll);
    let f =
        follow_now(Some(&accepted), Some(&stored(&withdrawn)), &analytics_ran()).expect("followed");
    assert_eq!(granted(&f.effects, Signal::AnalyticsStorage), Some(false));
    assert_eq!(
        kinds(&f.effects),
        [
            "consent-mode",
            "gate",
            "consent-event",
            "change",
            "clear",
            "reload",
            "hide",
            "show-reopen"
        ]
    );
    // The control: the same withdrawal with nothing run needs no reload.
    let quiet = follow_now(Some(&accepted), Some(&stored(&withdrawn)), &[]).expect("followed");
    assert!(!quiet.effects.contains(&Effect::Reload));
}

#[test]
fn the_same_choice_made_again_in_another_tab_is_adopted_without_a_change_event() {
    let cat = storefront();
    let other = theirs(Choice::reject_all(cat), Method::RejectAll);
    let f = follow_now(Some(&mine()), Some(&stored(&other)), &[]).expect("followed");
    assert_eq!(f.record.map(|r| r.id), Some(other.id));
    assert!(!kinds(&f.effects).contains(&"change"));
}

#[test]
fn this_tabs_own_record_stored_again_changes_nothing() {
    let own = mine();
    assert_eq!(follow_now(Some(&own), Some(&stored(&own)), &[]), None);
    // Even when its stored form is edited, the same id is this tab's echo.
    let mut edited = own.clone();
    edited.choice = Choice::accept_all(storefront(), false);
    assert_eq!(follow_now(Some(&own), Some(&stored(&edited)), &[]), None);
    // The control: a tab without a record adopts that same text.
    assert!(follow_now(None, Some(&stored(&own)), &[]).is_some_and(|f| f.record.is_some()));
}

#[test]
fn a_record_of_another_revision_changes_nothing() {
    let cat = storefront();
    let mut other = theirs(Choice::accept_all(cat, false), Method::AcceptAll);
    other.revision = cat.revision + 1;
    assert_eq!(follow_now(Some(&mine()), Some(&stored(&other)), &[]), None);
    assert_eq!(follow_now(None, Some(&stored(&other)), &[]), None);
}

#[test]
fn an_expired_or_future_record_changes_nothing() {
    let cat = storefront();
    let life = i64::from(cat.consent_days) * DAY;
    let old = record(
        "c",
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        life,
    );
    assert_eq!(follow_now(Some(&mine()), Some(&stored(&old)), &[]), None);
    let future = record(
        "d",
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        -DAY,
    );
    assert_eq!(follow_now(Some(&mine()), Some(&stored(&future)), &[]), None);
    // The control: a day younger than the lifetime still counts.
    let young = record(
        "e",
        Choice::accept_all(cat, false),
        Method::AcceptAll,
        cat.revision,
        life - DAY,
    );
    assert!(follow_now(Some(&mine()), Some(&stored(&young)), &[]).is_some());
}

#[test]
fn a_tampered_or_unreadable_value_changes_nothing() {
    let cat = storefront();
    let good = stored(&theirs(Choice::accept_all(cat, false), Method::AcceptAll));
    let repeated = good.replacen("{\"id\":", "{\"id\":\"x\",\"id\":", 1);
    for text in [
        "not json",
        "{}",
        "[]",
        repeated.as_str(),
        &good[..good.len() - 1],
    ] {
        assert_eq!(follow_now(Some(&mine()), Some(text), &[]), None, "{text}");
    }
    assert!(
        follow_now(Some(&mine()), Some(&good), &[]).is_some(),
        "the control"
    );
}

#[test]
fn a_service_turned_on_under_a_refused_category_is_adopted_refused() {
    let cat = storefront();
    let mut choice = Choice::reject_all(cat);
    for (id, on) in choice.services.iter_mut() {
        if id == "google-analytics" {
            *on = true;
        }
    }
    let f = follow_now(
        Some(&mine()),
        Some(&stored(&theirs(choice, Method::Custom))),
        &[],
    )
    .expect("a record that counts, normalised");
    let record = f.record.expect("adopted");
    assert!(!record.choice.service("google-analytics"));
    assert_eq!(granted(&f.effects, Signal::AnalyticsStorage), Some(false));
}

#[test]
fn gpc_sent_now_strips_what_it_opts_out_of_from_the_adopted_record() {
    let cat = storefront();
    let other = stored(&theirs(Choice::accept_all(cat, false), Method::AcceptAll));
    let f = follow(cat, Some(&mine()), Some(&other), NOW, true, &[]).expect("followed");
    let record = f.record.expect("adopted");
    assert!(record.gpc);
    assert!(!record.choice.category("marketing"));
    assert_eq!(granted(&f.effects, Signal::AdStorage), Some(false));
    // The control: without GPC the same text grants marketing.
    let plain = follow_now(Some(&mine()), Some(&other), &[]).and_then(|f| f.record);
    assert!(plain.is_some_and(|r| r.choice.category("marketing")));
}

#[test]
fn a_removed_record_is_forgotten_here_and_the_banner_asks_again() {
    let cat = storefront();
    let accepted = theirs(Choice::accept_all(cat, false), Method::AcceptAll);
    for gone in [None, Some("")] {
        let f = follow_now(Some(&accepted), gone, &[]).expect("followed");
        assert_eq!(f.record, None);
        assert_eq!(
            kinds(&f.effects),
            ["clear", "consent-mode", "gate", "change", "ask-again"],
            "cleared before Google hears the refusal"
        );
        assert_eq!(granted(&f.effects, Signal::AnalyticsStorage), Some(false));
    }
}

#[test]
fn a_removed_record_after_analytics_ran_reloads_instead_of_asking() {
    let cat = storefront();
    let accepted = theirs(Choice::accept_all(cat, false), Method::AcceptAll);
    let f = follow_now(Some(&accepted), None, &analytics_ran()).expect("followed");
    assert_eq!(
        kinds(&f.effects),
        ["clear", "consent-mode", "gate", "change", "reload"]
    );
}

#[test]
fn a_removed_record_with_none_here_still_shows_the_banner_without_a_change() {
    let f = follow_now(None, None, &[]).expect("followed");
    assert_eq!(f.record, None);
    assert_eq!(
        kinds(&f.effects),
        ["clear", "consent-mode", "gate", "ask-again"]
    );
}
