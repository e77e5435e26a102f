//! Inputs the fuzzers (`fuzz/`) and property tests found wrong, kept so they
//! stay fixed. Each test names the target that found it and what was wrong.

mod support;

use cookiegate::catalogue::load;
use cookiegate::consent::{parse_stored, ConsentRecord};

/// `2024-03-01T12:00:00Z`, the timestamp of the stored records below.
const STAMP_MS: i64 = 1_709_294_400_000;

/// fuzz target `record`, first seconds: a stored record with duplicate keys
/// (`"marketing":true,"marketing":false`). `JSON.parse` in the page, and
/// `Choice::build`, let the last duplicate win, so the record refuses
/// marketing; `restore` asked whether *any* duplicate said true and granted
/// Google Ads under the refused category.
#[test]
fn duplicate_keys_in_a_stored_record_never_grant_what_the_last_one_refuses() {
    let stored = include_str!("fixtures/regressions/record-duplicate-keys.json");
    let catalogue = support::small_catalogue();
    let raw = parse_stored(stored).expect("a readable record");
    for gpc_now in [false, true] {
        let restored = ConsentRecord::restore(stored, &catalogue, STAMP_MS, gpc_now)
            .expect("a current record");
        assert!(!restored.choice.category("marketing"), "{restored:?}");
        assert!(!restored.choice.service("google-ads"), "{restored:?}");
        assert_eq!(
            support::extra_grant(&catalogue, &raw, &restored, gpc_now),
            None
        );
    }
    // The other way round, the last word grants it.
    let granted = stored
        .replace(
            "\"marketing\":true,\"marketing\":false",
            "\"marketing\":false,\"marketing\":true",
        )
        .replace(
            "\"google-ads\":true,\"google-ads\":false",
            "\"google-ads\":false,\"google-ads\":true",
        );
    let restored = ConsentRecord::restore(&granted, &catalogue, STAMP_MS, false).unwrap();
    assert!(restored.choice.service("google-ads"), "{restored:?}");
}

/// The catalogue fixture the record tests restore against is the catalogue
/// `support::small_catalogue_by_hand` writes out, once the reader loads it.
#[test]
fn small_catalogue_fixture_loads_as_built_by_hand() {
    if support::reader_is_stub() {
        eprintln!("skipped: catalogue::read is still the scaffold");
        return;
    }
    let loaded = load(support::SMALL_CATALOGUE_JSON).unwrap_or_else(|problems| {
        panic!(
            "the fixture does not load:\n{}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let hand = support::small_catalogue_by_hand();
    assert_eq!(loaded.revision, hand.revision);
    assert_eq!(loaded.consent_days, hand.consent_days);
    assert_eq!(loaded.languages, hand.languages);
    assert_eq!(loaded.categories, hand.categories);
    let ids = |c: &cookiegate::catalogue::Catalogue| {
        c.services
            .iter()
            .map(|s| (s.id.clone(), s.category.clone(), s.consent_mode.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&loaded), ids(&hand));
}

/// Found while writing `extra_grant` (not yet fixed; `record.rs` owner's
/// call): top-level duplicate keys are read first-wins by `Value::get`,
/// while the page's `JSON.parse` reads them last-wins. A record saying
/// `"gpc":true, …, "gpc":false` was made without GPC to JavaScript, yet
/// `restore` believes GPC was on then and so does not strip the GPC-opt-out
/// category now that the browser sends GPC. Suggested fix: `parse_stored`
/// refuses a record with a duplicate key (`Invalid::Corrupt` at the second
/// key's position); cookiegate never writes one.
#[test]
#[ignore = "bug in consent::parse_stored: duplicate top-level keys are first-wins"]
fn duplicate_top_level_keys_in_a_stored_record_are_refused_or_read_last_wins() {
    let stored = r#"{"id":"a","timestamp":"2024-03-01T12:00:00Z","revision":3,"method":"custom","gpc":true,"categories":{"necessary":true,"marketing":true},"services":{"google-ads":true},"gpc":false}"#;
    let catalogue = support::small_catalogue();
    match ConsentRecord::restore(stored, &catalogue, STAMP_MS, true) {
        Err(_) => {}
        Ok(r) => assert!(
            !r.choice.service("google-ads"),
            "GPC arrived after a choice made without it, yet marketing stays granted: {r:?}"
        ),
    }
}
