//! The catalogue: the JSON file that lists a storefront's categories,
//! services, cookies and texts.
//!
//! [`load`] turns bytes into a [`Catalogue`] or into every [`Problem`]
//! found, each with its line, column, JSON path and [`Issue`]; the native
//! tools word them in full, with suggestions ([`Problem`]'s `Display`), and
//! add what only editors need: warnings ([`check`]), the JSON Schema
//! ([`json_schema`]) and the per-language runtime catalogues ([`bundle()`]).
//! None of that is in the wasm: the browser runs [`load_strict`], which
//! stops at the first problem and prints its short form
//! ([`Problem::describe`]).

mod fields;
mod glob;
mod model;
mod problem;
mod rules;
mod strict;
mod syntax;

#[cfg(not(target_arch = "wasm32"))]
mod bundle;
#[cfg(not(target_arch = "wasm32"))]
mod explain;
#[cfg(not(target_arch = "wasm32"))]
mod read;
#[cfg(not(target_arch = "wasm32"))]
mod schema;
#[cfg(not(target_arch = "wasm32"))]
mod suggest;
#[cfg(not(target_arch = "wasm32"))]
mod warn;

pub use fields::{
    Field, Need, Shape, Ty, DEFAULT_CONSENT_DAYS, MAX_CATALOGUE_BYTES, MAX_CATEGORIES,
    MAX_CONSENT_DAYS, MAX_ENTRIES, MAX_GLOB_CHARS, MAX_HOSTS, MAX_LANGUAGES, MAX_LIFETIME_MINUTES,
    MAX_PROBLEMS, MAX_SCRIPTS, MAX_SERVICES, MAX_STRING_CHARS, MAX_URLS,
};
pub use model::*;
pub use problem::{IdOf, Issue, Problem};
pub use syntax::{Fault, HostFault};

#[cfg(not(target_arch = "wasm32"))]
pub use bundle::{bundle, Bundle};
#[cfg(not(target_arch = "wasm32"))]
pub use schema::json_schema;
#[cfg(not(target_arch = "wasm32"))]
pub use warn::Warning;

/// Reads and checks a catalogue, stopping at the first problem: what the
/// browser runs. It accepts exactly what [`load`] accepts, into the same
/// catalogue, and its problem is one of those [`load`] reports; never panics
/// on any input.
pub fn load_strict(bytes: &[u8]) -> Result<Catalogue, Problem> {
    strict::read(&parse(bytes)?)
}

/// [`load_strict`] of a text already known to be UTF-8 (the browser's
/// string), without checking that again.
pub fn load_strict_text(text: &str) -> Result<Catalogue, Problem> {
    if let Some(problem) = too_large(text.len()) {
        return Err(problem);
    }
    let document = crate::json::parse(text).map_err(not_json)?;
    strict::read(&document)
}

/// Reads and checks a catalogue. Returns every problem found, in source
/// order, when it is not valid; never panics on any input.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(bytes: &[u8]) -> Result<Catalogue, Vec<Problem>> {
    read::read(&parse(bytes).map_err(|p| vec![p])?)
}

/// The JSON document of a catalogue's bytes, refusing one that is too large
/// before parsing it.
fn parse(bytes: &[u8]) -> Result<crate::json::Value, Problem> {
    if let Some(problem) = too_large(bytes.len()) {
        return Err(problem);
    }
    crate::json::parse_bytes(bytes).map_err(not_json)
}

/// The problem of a text that is not JSON.
fn not_json(e: crate::json::ParseError) -> Problem {
    Problem {
        pos: e.pos,
        path: "$".into(),
        issue: Issue::NotJson(e.message),
    }
}

/// The problem of a catalogue of `len` bytes, when that is over
/// [`MAX_CATALOGUE_BYTES`].
pub fn too_large(len: usize) -> Option<Problem> {
    (len > MAX_CATALOGUE_BYTES).then(|| Problem {
        pos: crate::json::Pos { line: 1, column: 1 },
        path: "$".into(),
        issue: Issue::TooLarge { bytes: len },
    })
}

/// What `cookiegate check` finds in one catalogue.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
pub struct Checked {
    /// The catalogue, or every problem that keeps it from loading.
    pub catalogue: Result<Catalogue, Vec<Problem>>,
    /// What is allowed but most likely a mistake, in source order.
    pub warnings: Vec<Warning>,
}

/// Reads a catalogue as [`load`] does and also looks for what is allowed
/// but most likely a mistake.
#[cfg(not(target_arch = "wasm32"))]
pub fn check(bytes: &[u8]) -> Checked {
    match parse(bytes) {
        Err(problem) => Checked {
            catalogue: Err(vec![problem]),
            warnings: Vec::new(),
        },
        Ok(document) => {
            let catalogue = read::read(&document);
            let warnings = warn::warnings(&document, catalogue.is_ok());
            Checked {
                catalogue,
                warnings,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_over_the_byte_limit_is_refused_before_parsing() {
        let mut big = vec![b' '; MAX_CATALOGUE_BYTES + 1];
        if let Some(first) = big.first_mut() {
            *first = b'{';
        }
        let too_large_issue = Issue::TooLarge {
            bytes: MAX_CATALOGUE_BYTES + 1,
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            let problems = load(&big).err().unwrap_or_default();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems.first().map(|p| &p.issue), Some(&too_large_issue));
        }
        assert_eq!(
            load_strict(&big).err().map(|p| p.issue),
            Some(too_large_issue)
        );
        assert!(too_large(MAX_CATALOGUE_BYTES).is_none());
    }
}
