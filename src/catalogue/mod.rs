//! The catalogue: the JSON file that lists a storefront's categories,
//! services, cookies and texts. [`load`] turns bytes into a [`Catalogue`] or
//! into every [`Problem`] found, each with its line, column and JSON path.
//! The same code runs in the `cookiegate check` tool and in the browser;
//! [`json_schema`] describes the same format for editors.

mod fields;
mod model;
mod read;
mod schema;
mod suggest;
mod syntax;

pub use fields::{
    DEFAULT_CONSENT_DAYS, MAX_CATALOGUE_BYTES, MAX_CATEGORIES, MAX_CONSENT_DAYS, MAX_ENTRIES,
    MAX_HOSTS, MAX_LANGUAGES, MAX_LIFETIME_MINUTES, MAX_PROBLEMS, MAX_REGEX_CHARS, MAX_SCRIPTS,
    MAX_SERVICES, MAX_STRING_CHARS, MAX_URLS,
};
pub use model::*;
pub use schema::json_schema;

use crate::json::Pos;
use std::fmt;

/// One thing wrong with a catalogue, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Line and column of the offending value (or key).
    pub pos: Pos,
    /// JSON path to it, such as `$.services[3].category`.
    pub path: String,
    /// What is wrong, with a suggestion where one is likely.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.pos, self.path, self.message)
    }
}

/// Reads and checks a catalogue. Returns every problem found, in source
/// order, when it is not valid; never panics on any input.
pub fn load(bytes: &[u8]) -> Result<Catalogue, Vec<Problem>> {
    if let Some(problem) = too_large(bytes.len()) {
        return Err(vec![problem]);
    }
    let value = crate::json::parse_bytes(bytes).map_err(|e| {
        vec![Problem {
            pos: e.pos,
            path: "$".into(),
            message: format!("not valid JSON: {}", e.message),
        }]
    })?;
    read::read(&value)
}

/// The problem of a catalogue of `len` bytes, when that is over
/// [`MAX_CATALOGUE_BYTES`].
pub fn too_large(len: usize) -> Option<Problem> {
    (len > MAX_CATALOGUE_BYTES).then(|| Problem {
        pos: Pos { line: 1, column: 1 },
        path: "$".into(),
        message: format!(
            "the catalogue is too large: {len} bytes; at most {MAX_CATALOGUE_BYTES} bytes (5 MiB) are read"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_over_the_byte_limit_is_refused_before_parsing() {
        let mut big = vec![b' '; MAX_CATALOGUE_BYTES + 1];
        big[0] = b'{';
        let problems = load(&big).err().unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("too large"), "{problems:?}");
        assert!(too_large(MAX_CATALOGUE_BYTES).is_none());
    }
}
