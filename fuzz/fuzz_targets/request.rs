//! Any bytes as a `POST /consent` request, the way the service reads it:
//! the first byte picks the Content-Type and Sec-GPC header, the rest is
//! the body. `admit` must never panic; a refusal is a 4xx with a message;
//! an admitted record must be one the banner makes, whose canonical form
//! is admitted again with the same digest (a retry is the same record).
#![no_main]

use std::sync::OnceLock;

use cookiegate::catalogue;
use cookiegate::consent::parse_stored;
use cookiegate::records::admit::{admit, page_of, valid_consent_id, Catalogues, Posted};
use libfuzzer_sys::fuzz_target;

fn catalogues() -> &'static Catalogues {
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        let storefront = catalogue::load(include_bytes!("../../policies/storefront.json"))
            .expect("the storefront catalogue loads");
        Catalogues::new(vec![storefront]).expect("one revision")
    })
}

const TYPES: [Option<&str>; 5] = [
    Some("application/json"),
    Some("text/plain;charset=UTF-8"),
    Some("application/x-www-form-urlencoded"),
    None,
    Some("APPLICATION/JSON ; charset=utf-8"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type = TYPES[usize::from(selector % 5)];
    let sec_gpc = (selector & 0x80 != 0).then_some("1");
    // Dated records are checked against the clock: use the record's own time
    // as "now" when it has one, so the valid path is reached too.
    let now_ms = std::str::from_utf8(body)
        .ok()
        .and_then(|t| parse_stored(t).ok())
        .map_or(1_800_000_000_000, |r| r.timestamp_ms);
    let posted = Posted {
        content_type,
        sec_gpc,
        body,
        now_ms,
    };
    match admit(&posted, catalogues()) {
        Err(refusal) => {
            assert!((400..500).contains(&refusal.status()), "{refusal:?}");
            assert!(!refusal.to_string().is_empty());
        }
        Ok(admitted) => {
            assert!(valid_consent_id(&admitted.record.id));
            let again = Posted {
                body: admitted.canonical.as_bytes(),
                ..posted
            };
            let twice = admit(&again, catalogues()).expect("the canonical form is admitted");
            assert_eq!(twice.digest, admitted.digest, "a retry is the same record");
            assert_eq!(twice.canonical, admitted.canonical);
        }
    }
    // The page headers come from the same request.
    let text = String::from_utf8_lossy(body);
    let (origin, path) = page_of(Some(&text), Some(&text));
    if let Some(p) = path {
        assert!(origin.is_some() && !p.contains(['?', '#']), "{p}");
    }
});
