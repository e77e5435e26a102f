//! Shared helpers: the valid fixture, edits of it, and where a text sits.

#![allow(dead_code)] // each test file uses a different subset

use cookiegate::catalogue::{self, Issue, Problem};

/// A small catalogue that uses every field of every object.
pub const VALID: &str = include_str!("../fixtures/valid.json");

/// The fixture with the first `from` replaced by `to`.
pub fn edit(from: &str, to: &str) -> String {
    edit_text(VALID, from, to)
}

/// `text` with the first `from` replaced by `to`.
pub fn edit_text(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the catalogue has no {from:?}");
    text.replacen(from, to, 1)
}

/// The problems of a catalogue that must be refused. The browser's strict
/// reader must refuse it too, with one of them (or, past the problems
/// `check` lists, one it only counts).
pub fn problems(text: &str) -> Vec<Problem> {
    let found = match catalogue::load(text.as_bytes()) {
        Ok(_) => panic!("the catalogue was accepted"),
        Err(problems) => problems,
    };
    match catalogue::load_strict(text.as_bytes()) {
        Ok(_) => panic!("the browser's reader accepted it: {found:#?}"),
        Err(first) => {
            let counted = found
                .iter()
                .any(|p| matches!(p.issue, Issue::MoreProblems { .. }));
            assert!(
                counted || found.contains(&first),
                "the browser's problem {first} is not one of check's: {found:#?}"
            );
        }
    }
    found
}

/// `LINE:COLUMN` of the first `needle` in `text` (columns in characters).
pub fn pos_of(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in the catalogue"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{line}:{column}")
}

/// Asserts the catalogue has exactly one problem: at `path`, at the first
/// `at` in the text, with a message containing each of `says`.
pub fn assert_one(text: &str, path: &str, at: &str, says: &[&str]) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    assert_problem(&found[0], text, path, at, says);
}

/// Asserts one problem's path, position and message.
pub fn assert_problem(p: &Problem, text: &str, path: &str, at: &str, says: &[&str]) {
    assert_eq!(p.path, path, "{p}");
    assert_eq!(p.pos.to_string(), pos_of(text, at), "{p}");
    for s in says {
        let message = p.message();
        assert!(message.contains(s), "{message:?} does not say {s:?}");
    }
}
