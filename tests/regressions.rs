//! Inputs the fuzzers (`fuzz/`) and property tests found wrong, kept so they
//! stay fixed. Each test names the target that found it and what was wrong.
// The shared fixtures word problems in full, which only the native build does.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use cookiegate::catalogue::load;
use cookiegate::consent::{ConsentRecord, Invalid};

/// `2024-03-01T12:00:00Z`, the timestamp of the stored records below.
const STAMP_MS: i64 = 1_709_294_400_000;

/// fuzz target `record`, first seconds: a stored record with duplicate keys
/// (`"marketing":true,"marketing":false`) granted Google Ads under a category
/// the page's `JSON.parse` (last wins) reads as refused. cookiegate never
/// writes a key twice, so such a record is refused: no consent, ask again.
#[test]
fn duplicate_keys_in_a_stored_record_are_no_consent() {
    let stored = include_str!("fixtures/regressions/record-duplicate-keys.json");
    let catalogue = support::small_catalogue();
    let swapped = stored
        .replace(
            "\"marketing\":true,\"marketing\":false",
            "\"marketing\":false,\"marketing\":true",
        )
        .replace(
            "\"google-ads\":true,\"google-ads\":false",
            "\"google-ads\":false,\"google-ads\":true",
        );
    for text in [stored, swapped.as_str()] {
        for gpc_now in [false, true] {
            match ConsentRecord::restore(text, &catalogue, STAMP_MS, gpc_now) {
                Err(Invalid::Corrupt { message, .. }) => {
                    assert!(message.contains("appears twice"), "{message}")
                }
                other => panic!("a record with a repeated key gave {other:?}"),
            }
        }
    }
}

/// The catalogue fixture the record tests restore against is the catalogue
/// `support::small_catalogue_by_hand` writes out, once the reader loads it.
#[test]
fn small_catalogue_fixture_loads_as_built_by_hand() {
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

/// Found while writing `extra_grant`: top-level duplicate keys were read
/// first-wins here but last-wins by the page's `JSON.parse`, so
/// `"gpc":true, …, "gpc":false` kept marketing granted once the browser sent
/// GPC. Now a repeated key makes the record corrupt, with its place.
#[test]
fn duplicate_top_level_keys_in_a_stored_record_are_refused() {
    let stored = r#"{"id":"a","timestamp":"2024-03-01T12:00:00Z","revision":3,"method":"custom","gpc":true,"categories":{"necessary":true,"marketing":true},"services":{"google-ads":true},"gpc":false}"#;
    let catalogue = support::small_catalogue();
    match ConsentRecord::restore(stored, &catalogue, STAMP_MS, true) {
        Err(Invalid::Corrupt { pos, message }) => {
            assert_eq!((pos.line, pos.column), (1, 168), "{message}");
            assert!(message.contains("`gpc` appears twice"), "{message}");
        }
        other => panic!("expected a corrupt record, got {other:?}"),
    }
}
