//! What can be wrong with a catalogue, as data: the reader reports an
//! [`Issue`] at a place, the browser turns it into a short reason
//! ([`Problem::describe`]), and `cookiegate check` into a full explanation
//! with a suggestion (native only). Nothing here formats with `core::fmt`,
//! so the wasm carries no formatting machinery for it.

use super::fields::{Shape, Ty};
use super::syntax::Fault;
use super::Signal;
use crate::json::Pos;

/// One thing wrong with a catalogue, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Line and column of the offending value (or key).
    pub pos: Pos,
    /// JSON path to it, such as `$.services[3].category`.
    pub path: String,
    /// What is wrong.
    pub issue: Issue,
}

/// Whether an id names a category or a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum IdOf {
    Category,
    Service,
}

/// What `cookiegate check` says about a problem beyond the browser's short
/// reason (the value written, the names it could have meant). Natively the
/// value itself; in the wasm nothing, since the browser never words it.
#[cfg(not(target_arch = "wasm32"))]
pub type Detail<T> = T;

/// What `cookiegate check` says about a problem beyond the browser's short
/// reason: in the wasm nothing, since the browser never words it.
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detail<T>(core::marker::PhantomData<T>);

/// A [`Detail`]: `make` runs in the native tools only.
#[inline(always)]
pub(super) fn detail<T>(make: impl FnOnce() -> T) -> Detail<T> {
    #[cfg(not(target_arch = "wasm32"))]
    return make();
    #[cfg(target_arch = "wasm32")]
    {
        let _ = make;
        Detail(core::marker::PhantomData)
    }
}

/// What is wrong; each variant carries what `cookiegate check` needs to
/// explain it and suggest a fix (its [`Detail`]s only natively).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // the fields are named for what they hold
pub enum Issue {
    /// The file is over [`super::MAX_CATALOGUE_BYTES`].
    TooLarge {
        bytes: usize,
    },
    /// Not JSON, in the JSON reader's words.
    NotJson(&'static str),
    /// The document is not an object.
    NotAnObject {
        found: &'static str,
    },
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// A key given twice in one object.
    RepeatedKey {
        key: Detail<String>,
        first: Pos,
    },
    UnknownField {
        key: Detail<String>,
        shape: &'static Shape,
    },
    /// A `regex` where only `name`, `prefix` and `glob` exist.
    Regex {
        source: Detail<String>,
    },
    /// Two of the fields of which exactly one may be given.
    BothGiven {
        first: &'static str,
        second: &'static str,
        shape: &'static Shape,
    },
    Missing {
        field: &'static str,
        shape: &'static Shape,
    },
    /// None of the fields of which exactly one must be given.
    MissingOneOf {
        shape: &'static Shape,
    },
    NotAChoice {
        found: Detail<String>,
        options: &'static [&'static str],
    },
    UnknownSignal {
        found: Detail<String>,
    },
    EmptyText,
    TooLong {
        chars: usize,
    },
    /// A whole number outside the range its field allows.
    OutOfRange {
        written: Detail<String>,
        ty: &'static Ty,
    },
    NotWhole {
        written: Detail<String>,
    },
    EmptyList {
        min: usize,
    },
    TooManyItems {
        count: usize,
        max: usize,
    },
    /// A list item given twice (`first` is the index of the first).
    Listed {
        item: Detail<String>,
        first: usize,
    },
    /// A value that breaks its syntax rule.
    Syntax {
        fault: Fault,
        value: Detail<String>,
    },
    /// A text in a language that `languages` does not declare.
    UndeclaredLanguage {
        lang: Detail<String>,
        declared: Detail<Vec<String>>,
    },
    /// An object of texts without one for a declared language.
    MissingLanguage {
        lang: String,
    },
    /// `texts` for a language that `languages` does not declare.
    UndeclaredTexts {
        lang: Detail<String>,
        declared: Detail<Vec<String>>,
    },
    /// `texts` without the texts of a declared language; `unclaimed` are the
    /// languages `texts` has instead (undeclared ones).
    MissingTexts {
        lang: String,
        unclaimed: Detail<Vec<String>>,
    },
    UnknownTextKey {
        key: Detail<String>,
    },
    MissingTextKey {
        key: &'static str,
        lang: Detail<String>,
    },
    GpcOnRequired,
    DuplicateId {
        id: Detail<String>,
        of: IdOf,
        first_line: u32,
    },
    NeedsJustification {
        category: Detail<String>,
    },
    UndefinedCategory {
        name: Detail<String>,
        known: Detail<Vec<String>>,
    },
    NotGranted {
        signal: Signal,
        category: Detail<String>,
    },
    ScriptHostNotListed {
        host: Detail<String>,
    },
    /// A `urls` prefix on a host the service does not list.
    PrefixHostNotListed {
        host: Detail<String>,
    },
    /// A `urls` prefix another service already claims.
    PrefixClaimed {
        prefix: Detail<String>,
        other: Detail<String>,
    },
    TooManyEntries,
    /// Problems past [`super::MAX_PROBLEMS`], counted.
    MoreProblems {
        count: usize,
    },
    /// The guard for a reader that returns nothing without saying why.
    Unreadable,
}

impl Problem {
    /// `LINE:COLUMN: PATH: reason`, the short form the browser console shows.
    pub fn describe(&self) -> String {
        let mut out = String::with_capacity(self.path.len() + 64);
        self.push_to(&mut out);
        out
    }

    /// Appends what [`Problem::describe`] gives (the browser's console line
    /// is built in one string).
    pub fn push_to(&self, out: &mut String) {
        self.pos.push_to(out);
        out.push_str(": ");
        out.push_str(&self.path);
        out.push_str(": ");
        self.issue.push_reason(out);
    }

    /// A file that is not UTF-8 text (the browser sees U+FFFD where a byte
    /// was not UTF-8).
    pub fn not_utf8(pos: Pos) -> Problem {
        Problem {
            pos,
            path: "$".into(),
            issue: Issue::NotJson(NOT_UTF8),
        }
    }
}

/// The JSON reader's words for bytes that are not UTF-8.
pub(super) const NOT_UTF8: &str = "the file is not UTF-8 text (save it as UTF-8)";

impl Issue {
    /// Appends a few words on what is wrong (no suggestion: that is
    /// `cookiegate check`'s job).
    pub fn push_reason(&self, out: &mut String) {
        let reason = match self {
            Issue::NotJson(why) => {
                out.push_str("not valid JSON: ");
                why
            }
            Issue::WrongType { expected, found } => {
                out.push_str("expected ");
                out.push_str(expected);
                out.push_str(", found ");
                found
            }
            Issue::Missing { field, .. } => {
                out.push_str("missing \"");
                out.push_str(field);
                "\""
            }
            Issue::MissingLanguage { lang } | Issue::MissingTexts { lang, .. } => {
                out.push_str("missing texts in \"");
                out.push_str(lang);
                "\", a declared language"
            }
            Issue::MissingTextKey { key, .. } => {
                out.push_str("missing text \"");
                out.push_str(key);
                "\""
            }
            Issue::Syntax { fault, .. } => fault.reason(),
            other => other.reason(),
        };
        out.push_str(reason);
    }

    /// The fixed words for the issues that need no detail.
    fn reason(&self) -> &'static str {
        match self {
            Issue::TooLarge { .. } => "the catalogue is larger than 5 MiB",
            Issue::NotAnObject { .. } => "expected an object holding the whole catalogue",
            Issue::RepeatedKey { .. } => "this key is given twice in its object",
            Issue::UnknownField { .. } => "unknown field",
            Issue::Regex { .. } => {
                "regular expressions are not supported; use \"glob\" (* is any run of characters)"
            }
            Issue::BothGiven { .. } => "give only one of \"name\", \"prefix\" and \"glob\"",
            Issue::MissingOneOf { .. } => "missing \"name\", \"prefix\" or \"glob\"",
            Issue::NotAChoice { .. } => "not one of the allowed values",
            Issue::UnknownSignal { .. } => "unknown Consent Mode type",
            Issue::EmptyText => "this text is empty",
            Issue::TooLong { .. } => "this text is longer than 10000 characters",
            Issue::OutOfRange { .. } => "this number is out of range",
            Issue::NotWhole { .. } => "not a whole number",
            Issue::EmptyList { .. } => "this list is empty",
            Issue::TooManyItems { .. } => "this list has too many items",
            Issue::Listed { .. } => "listed twice",
            Issue::UndeclaredLanguage { .. } | Issue::UndeclaredTexts { .. } => {
                "not a declared language"
            }
            Issue::UnknownTextKey { .. } => "unknown text key",
            Issue::GpcOnRequired => "\"gpc_opt_out\" has no effect on a required category",
            Issue::DuplicateId { .. } => "this id is already used",
            Issue::NeedsJustification { .. } => {
                "a required service that sends data to other hosts needs a \"justification\""
            }
            Issue::UndefinedCategory { .. } => "this category is not defined",
            Issue::NotGranted { .. } => "not granted by the service's category",
            Issue::ScriptHostNotListed { .. } => {
                "the script's host is not one of the service's \"hosts\""
            }
            Issue::PrefixHostNotListed { .. } => {
                "the prefix's host is not one of the service's \"hosts\""
            }
            Issue::PrefixClaimed { .. } => "another service already claims this prefix",
            Issue::TooManyEntries => "more than 20000 cookies and storage keys in all",
            Issue::MoreProblems { .. } => "more problems are not shown",
            Issue::Unreadable => "the catalogue could not be read",
            Issue::NotJson(_)
            | Issue::WrongType { .. }
            | Issue::Missing { .. }
            | Issue::MissingLanguage { .. }
            | Issue::MissingTexts { .. }
            | Issue::MissingTextKey { .. }
            | Issue::Syntax { .. } => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_form_is_place_path_reason() {
        let p = Problem {
            pos: Pos {
                line: 12,
                column: 5,
            },
            path: "$.services[3].cookies[0].party".into(),
            issue: Issue::WrongType {
                expected: "a string",
                found: "a number",
            },
        };
        assert_eq!(
            p.describe(),
            "12:5: $.services[3].cookies[0].party: expected a string, found a number"
        );
    }
}
