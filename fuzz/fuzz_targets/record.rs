//! Any text as a stored consent record: `parse_stored` and `restore` must
//! never panic, a corrupt record must say where, and a restored record must
//! never grant what the catalogue lacks or what the record refused.
#![no_main]

use std::sync::OnceLock;

use cookiegate::catalogue::Catalogue;
use cookiegate::consent::{parse_stored, ConsentRecord, Invalid};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/mod.rs"]
mod support;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(support::small_catalogue)
}

fn check_placed(text: &str, result: &Result<ConsentRecord, Invalid>) {
    if let Err(Invalid::Corrupt { pos, message }) = result {
        if let Some(why) = support::misplaced(text, *pos) {
            panic!("{why}: {message}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_stored(&text);
    check_placed(&text, &parsed);
    // The stored timestamp as "now" (and a year later) exercises the valid
    // path as well as expiry; a fixed date covers records without one.
    let stamped = parsed.as_ref().map(|r| r.timestamp_ms).ok();
    let nows = [
        Some(1_700_000_000_000),
        stamped,
        stamped.map(|t| t + 31_536_000_000),
    ];
    for now in nows.into_iter().flatten() {
        for gpc_now in [false, true] {
            let restored = ConsentRecord::restore(&text, catalogue(), now, gpc_now);
            check_placed(&text, &restored);
            if let (Ok(record), Ok(raw)) = (&restored, &parsed) {
                if let Some(why) = support::extra_grant(catalogue(), raw, record, gpc_now) {
                    panic!("{why}");
                }
            }
        }
    }
});
