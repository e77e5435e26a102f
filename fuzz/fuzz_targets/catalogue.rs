//! Any bytes into `catalogue::load`: it must never panic, and when it
//! refuses a document every problem must say where (a line and column inside
//! the document, a JSON path from `$`). The authoring checks and the bundler
//! read the same bytes: they must not panic either, and every runtime
//! catalogue the bundler writes must load. The browser's strict reader must
//! agree with `load` on every input (`support::readers_disagree`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/mod.rs"]
mod support;

fuzz_target!(|data: &[u8]| {
    if let Err(problems) = cookiegate::catalogue::load(data) {
        if let Some(why) = support::unplaced_problems(data, &problems) {
            panic!("{why}");
        }
    }
    if let Some(why) = support::readers_disagree(data) {
        panic!("{why}");
    }
    let _ = cookiegate::catalogue::check(data);
    if let Ok(bundle) = cookiegate::catalogue::bundle(data) {
        let all = std::iter::once(&bundle.all).chain(bundle.by_language.iter().map(|(_, t)| t));
        for text in all {
            if let Err(problems) = cookiegate::catalogue::load(text.as_bytes()) {
                panic!("a bundled catalogue does not load: {problems:?}");
            }
        }
    }
});
