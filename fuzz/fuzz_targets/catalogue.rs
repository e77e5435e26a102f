//! Any bytes into `catalogue::load`: it must never panic, and when it
//! refuses a document every problem must say where (a line and column inside
//! the document, a JSON path from `$`).
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
});
