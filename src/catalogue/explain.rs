//! The words `cookiegate check` prints for each [`Issue`]: what is wrong,
//! why it matters where that is not obvious, and the likely fix. Native
//! only; the browser prints [`Problem::describe`].

use super::fields::{Shape, Ty};
use super::problem::{IdOf, Issue, Problem};
use super::suggest::{closest, did_you_mean, quoted_list};
use super::syntax::{self, Fault, HostFault};
use super::{Signal, TextKey, MAX_CATALOGUE_BYTES, MAX_ENTRIES, MAX_STRING_CHARS};
use std::fmt;

impl fmt::Display for Problem {
    /// `LINE:COLUMN: PATH: message`, as `cookiegate check` prints it after
    /// the file name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.pos, self.path, message(&self.issue))
    }
}

impl Problem {
    /// What is wrong and how to fix it, in full.
    pub fn message(&self) -> String {
        message(&self.issue)
    }
}

/// `"a", "b" or "c"`.
fn either(options: &[&str]) -> String {
    match options.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} or \"{last}\"", quoted_list(rest.iter().copied()))
        }
        _ => quoted_list(options.iter().copied()),
    }
}

fn names(shape: &Shape) -> impl Iterator<Item = &'static str> + '_ {
    shape.fields.iter().map(|f| f.name)
}

/// The full message for an issue.
pub fn message(issue: &Issue) -> String {
    match issue {
        Issue::TooLarge { bytes } => format!(
            "the catalogue is too large: {bytes} bytes; at most {MAX_CATALOGUE_BYTES} bytes (5 MiB) are read"
        ),
        Issue::NotJson(why) => format!("not valid JSON: {why}"),
        Issue::NotAnObject { found } => {
            format!("expected an object ({{ … }}) holding the whole catalogue, found {found}")
        }
        Issue::WrongType { expected, found } => format!("expected {expected}, found {found}"),
        Issue::RepeatedKey { key, first } => format!(
            "\"{key}\" is given twice in this object (first at line {}, column {}); keep one",
            first.line, first.column
        ),
        Issue::UnknownField { key, shape } => {
            let mut hint = did_you_mean(key, names(shape));
            if hint.is_empty() {
                hint = format!("; {} has {}", shape.noun, quoted_list(names(shape)));
            }
            format!("unknown field \"{key}\"{hint}")
        }
        Issue::Regex { source } => {
            let example = match glob_for(source) {
                Some(glob) => format!(
                    " (\"glob\": \"{glob}\" covers \"{source}\"; check it matches no more than you mean)"
                ),
                None => String::new(),
            };
            format!(
                "cookiegate does not read regular expressions: write \"glob\", where * stands for any run of characters{example}, or \"prefix\" or \"name\""
            )
        }
        Issue::BothGiven {
            first,
            second,
            shape,
        } => format!(
            "give only one of {}: this entry has both \"{first}\" and \"{second}\"",
            either(&shape.one_of().collect::<Vec<_>>())
        ),
        Issue::Missing { field, shape } => {
            format!("missing \"{field}\": {} needs one", shape.noun)
        }
        Issue::MissingOneOf { shape } => format!(
            "missing {}: {} is named by exactly one of them",
            either(&shape.one_of().collect::<Vec<_>>()),
            shape.noun
        ),
        Issue::NotAChoice { found, options } => format!(
            "expected {}, found \"{found}\"{}",
            either(options),
            did_you_mean(found, options.iter().copied())
        ),
        Issue::UnknownSignal { found } => {
            let names = Signal::ALL.map(Signal::as_str);
            let mut hint = did_you_mean(found, names);
            if hint.is_empty() {
                hint = format!("; the types are {}", quoted_list(names));
            }
            format!("unknown Consent Mode type \"{found}\"{hint}")
        }
        Issue::EmptyText => "this text is empty; write it".into(),
        Issue::TooLong { chars } => format!(
            "this text is {chars} characters long; at most {MAX_STRING_CHARS} are allowed"
        ),
        Issue::OutOfRange { written, ty } => match ty {
            Ty::Integer { min, why, .. } if written.starts_with('-') || below(written, *min) => {
                format!("{written} is less than {min}: {why}")
            }
            Ty::Integer { max, why, .. } => format!("{written} is more than {max}: {why}"),
            _ => format!("{written} is out of range"),
        },
        Issue::NotWhole { written } => format!(
            "{written} is not a whole number; write it without a decimal point or exponent"
        ),
        Issue::EmptyList { min } => {
            format!("this list is empty; it needs at least {min} item(s)")
        }
        Issue::TooManyItems { count, max } => format!(
            "this list has {count} items; at most {max} are allowed, to keep the banner fast"
        ),
        Issue::Listed { item, first } => {
            format!("\"{item}\" is listed twice (also at [{first}]); keep one")
        }
        Issue::Syntax { fault, value } => syntax_message(*fault, value),
        Issue::UndeclaredLanguage { lang, declared } => format!(
            "text in \"{lang}\", which is not a declared language{}; add it to \"languages\" or remove this text",
            did_you_mean(lang, declared.iter().map(String::as_str))
        ),
        Issue::MissingLanguage { lang } => {
            format!("missing text for declared language \"{lang}\"")
        }
        Issue::UndeclaredTexts { lang, declared } => format!(
            "texts for \"{lang}\", which is not a declared language{}; add it to \"languages\" or remove these texts",
            did_you_mean(lang, declared.iter().map(String::as_str))
        ),
        Issue::MissingTexts { lang, unclaimed } => {
            let hint = match closest(lang, unclaimed.iter().map(String::as_str))
                .or_else(|| (unclaimed.len() == 1).then(|| unclaimed.first().map(String::as_str)).flatten())
            {
                Some(written) => format!(
                    "; the texts are written for \"{written}\": make \"languages\" and the texts' keys agree"
                ),
                None => String::new(),
            };
            format!("missing texts for declared language \"{lang}\"{hint}")
        }
        Issue::UnknownTextKey { key } => {
            let mut hint = did_you_mean(key, TextKey::ALL.map(TextKey::as_str));
            if hint.is_empty() {
                hint = "; the text keys are listed in policies/README.md".into();
            }
            format!("unknown text \"{key}\"{hint}")
        }
        Issue::MissingTextKey { key, lang } => {
            format!("missing text \"{key}\" for declared language \"{lang}\"")
        }
        Issue::GpcOnRequired => "a required category is always on, so \"gpc_opt_out\" has no effect; remove it or make the category optional".into(),
        Issue::DuplicateId { id, of, first_line } => {
            let of = match of {
                IdOf::Category => "category",
                IdOf::Service => "service",
            };
            format!(
                "the {of} id \"{id}\" is already used by the {of} at line {first_line}; ids must be unique"
            )
        }
        Issue::NeedsJustification { category } => format!(
            "this service is in the required category \"{category}\" but sends data to other hosts; add a \"justification\" saying why it is strictly necessary, or move it to an optional category"
        ),
        Issue::UndefinedCategory { name, known } => {
            let ids = || known.iter().map(String::as_str);
            let mut hint = did_you_mean(name, ids());
            if hint.is_empty() {
                hint = match known.is_empty() {
                    true => "; define it under \"categories\"".into(),
                    false => format!("; the categories are {}", quoted_list(ids())),
                };
            }
            format!("category \"{name}\" is not defined{hint}")
        }
        Issue::NotGranted { signal, category } => format!(
            "\"{}\" is not granted by category \"{category}\"; add it to that category's \"consent_mode\" or remove it here",
            signal.as_str()
        ),
        Issue::ScriptHostNotListed { host } => format!(
            "the script's host \"{host}\" is not one of this service's \"hosts\"; add it there"
        ),
        Issue::PrefixHostNotListed { host } => format!(
            "the prefix's host \"{host}\" is not one of this service's \"hosts\"; add it there"
        ),
        Issue::PrefixClaimed { prefix, other } => format!(
            "the service \"{other}\" already claims the prefix \"{prefix}\"; a URL belongs to one service, so keep it in one"
        ),
        Issue::TooManyEntries => format!(
            "the catalogue has more than {MAX_ENTRIES} cookies and storage keys; use prefixes or globs to cover families of names"
        ),
        Issue::MoreProblems { count } => {
            format!("{count} more problems are not shown; fix these first")
        }
        Issue::Unreadable => "the catalogue could not be read".into(),
    }
}

/// Whether the whole number `written` is below `min`.
fn below(written: &str, min: u64) -> bool {
    written.parse::<u64>().is_ok_and(|n| n < min)
}

/// The message for a value that breaks its syntax rule, with a fix derived
/// from the value where one is likely.
fn syntax_message(fault: Fault, s: &str) -> String {
    match fault {
        Fault::NotSlug => {
            let fixed: String = s
                .trim()
                .chars()
                .filter_map(|c| match c {
                    'A'..='Z' | 'a'..='z' | '0'..='9' | '-' => Some(c.to_ascii_lowercase()),
                    ' ' | '_' | '.' => Some('-'),
                    _ => None,
                })
                .collect();
            let hint = match syntax::slug(&fixed) {
                Ok(()) => format!(" (for example \"{fixed}\")"),
                Err(_) => String::new(),
            };
            format!(
                "\"{s}\" is not a valid id: use lower-case letters, digits and hyphens, starting with a letter{hint}"
            )
        }
        Fault::NotLanguageTag => {
            let hyphens = s.replace('_', "-");
            let hint = if s.contains('_') && syntax::language_tag(&hyphens).is_ok() {
                format!(" (write \"{hyphens}\", with a hyphen)")
            } else {
                String::new()
            };
            format!(
                "\"{s}\" is not a language tag: use a code such as \"en\", \"de\" or \"pt-BR\"{hint}"
            )
        }
        Fault::Host(why) => format!("\"{s}\" is not a bare host name: {}", host_why(why, s)),
        Fault::NotCookieDomain => format!(
            "\"{s}\" is not a cookie domain: write a host name such as \".example.com\" (the leading dot is optional)"
        ),
        Fault::NotCookiePath => format!(
            "\"{s}\" is not a cookie path: it starts with / and has no spaces or semicolons"
        ),
        Fault::UrlSpaces => format!(
            "\"{}\" is not a usable URL: it contains spaces or control characters",
            s.escape_debug()
        ),
        Fault::UrlBackslash => {
            format!("\"{s}\" is not a usable URL: it contains a backslash (\\); use /")
        }
        Fault::UrlProtocolRelative => format!(
            "\"{s}\" is protocol-relative; write the full URL: \"https://{}\"",
            s.trim_start_matches('/')
        ),
        Fault::UrlNotAbsolute => format!(
            "\"{s}\" is not an absolute URL: write the full address, starting with https://"
        ),
        Fault::UrlHttp => {
            let after = syntax::url_scheme(s).map(|(_, a)| a).unwrap_or_default();
            format!(
                "\"{s}\" uses http:, which anyone on the network can read or change; write \"https:{after}\""
            )
        }
        Fault::UrlScheme => {
            let scheme = syntax::url_scheme(s).map(|(sc, _)| sc).unwrap_or_default();
            format!(
                "\"{s}\" is a {}: URL; only https: URLs are allowed",
                scheme.to_ascii_lowercase()
            )
        }
        Fault::UrlNoSlashes => {
            format!("\"{s}\" is not a full URL: write https:// and then the host")
        }
        Fault::UrlUser => format!(
            "\"{s}\" contains a user name or password (the part before @); remove it"
        ),
        Fault::UrlPort => format!("\"{s}\" has an invalid port"),
        Fault::UrlNoHost => format!("\"{s}\" has no host after https://"),
        Fault::UrlHost(inner) => {
            let host = url_host(s);
            format!(
                "\"{s}\" has an invalid host: \"{host}\" is not a bare host name: {}",
                host_why(inner, &host)
            )
        }
        Fault::LifetimeForm => format!(
            "\"{s}\" is not a lifetime: write \"session\", or a number and a unit such as \"30 minutes\", \"1 day\", \"13 months\" or \"2 years\""
        ),
        Fault::LifetimeSessionCase => {
            format!("write \"session\" (lower case, no spaces) instead of \"{s}\"")
        }
        Fault::LifetimeZero => format!(
            "\"{s}\": a lifetime is at least 1 of its unit; write \"session\" for cookies that end with the browser session"
        ),
        Fault::LifetimeLeadingZeros => {
            let (number, unit) = s.split_once(' ').unwrap_or((s, ""));
            let trimmed = number.trim_start_matches('0');
            format!("write \"{trimmed} {unit}\" without leading zeros")
        }
        Fault::LifetimeWeeks => {
            let weeks: u64 = s
                .split_once(' ')
                .and_then(|(n, _)| n.parse().ok())
                .unwrap_or(0);
            format!(
                "\"{s}\": weeks are not a lifetime unit; write \"{} days\"",
                weeks.saturating_mul(7)
            )
        }
        Fault::LifetimeUnitCase => format!(
            "write the unit in lower case: \"{}\"",
            s.to_ascii_lowercase()
        ),
        Fault::LifetimeSingular => {
            let unit = s.split_once(' ').map(|(_, u)| u).unwrap_or_default();
            format!(
                "write \"1 {}\": the unit is singular with 1",
                unit.trim_end_matches('s')
            )
        }
        Fault::LifetimePlural => {
            let (number, unit) = s.split_once(' ').unwrap_or((s, ""));
            format!(
                "write \"{number} {unit}s\": the unit is plural for numbers other than 1"
            )
        }
        Fault::LifetimeTooLong => format!(
            "\"{s}\" is more than 10 years: browsers cap cookies at 400 days; 10 years is the most a catalogue may declare"
        ),
        Fault::IntegrityAlgorithm => format!(
            "\"{s}\" is not an integrity hash: it starts with sha256-, sha384- or sha512- (as printed by `openssl dgst -sha384 -binary FILE | openssl base64 -A`)"
        ),
        Fault::IntegrityBase64 => {
            let algorithm = s.split_once('-').map(|(a, _)| a).unwrap_or_default();
            format!(
                "the {algorithm} digest in \"{s}\" is not base64 (letters, digits, + and /, then up to two =)"
            )
        }
        Fault::IntegrityLength => {
            let (algorithm, digest) = s.split_once('-').unwrap_or_default();
            let expected = syntax::integrity_digest_len(algorithm).unwrap_or(0);
            format!(
                "a {algorithm} digest is {expected} base64 characters, but this one has {}; copy the whole hash",
                digest.len()
            )
        }
        Fault::GlobTooLong => format!(
            "this glob is {} characters long; at most {} are allowed (use a shorter glob or a prefix)",
            s.chars().count(),
            super::MAX_GLOB_CHARS
        ),
        Fault::GlobNoStar => format!(
            "\"{s}\" has no *, so it is a plain name: write \"name\": \"{s}\""
        ),
        Fault::GlobEverything => format!(
            "\"{s}\" would match every name; give the characters the names have in common (\"_gac_*\")"
        ),
        Fault::PrefixScheme => {
            let rest = s.split_once("://").map_or(s, |(_, rest)| rest);
            format!("\"{s}\" is not a URL prefix: write it without the scheme: \"{rest}\"")
        }
        Fault::PrefixSlashes => {
            let rest = s.trim_start_matches('/');
            format!("\"{s}\" is not a URL prefix: write it without the leading //: \"{rest}\"")
        }
        Fault::PrefixSpaces => {
            format!("\"{s}\" is not a URL prefix: it contains spaces or control characters")
        }
        Fault::PrefixFragment => format!(
            "\"{s}\" is not a URL prefix: the browser never sends the #fragment, so a prefix cannot match it; remove it"
        ),
        Fault::PrefixNoPath => format!(
            "\"{s}\" is not a URL prefix: write the host, then the path it starts with (\"www.example.com/tag.js\"); a bare host belongs under \"hosts\""
        ),
        Fault::PrefixHost(why) => {
            let host = s.split('/').next().unwrap_or(s);
            format!(
                "\"{s}\" is not a URL prefix: its host is wrong: {}",
                host_why(why, host)
            )
        }
    }
}

/// Why `s` is not a bare host name, with the fix.
fn host_why(fault: HostFault, s: &str) -> String {
    match fault {
        HostFault::Scheme => {
            let rest = s.split_once("://").map(|(_, r)| r).unwrap_or(s);
            let only = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("write only the host, \"{only}\", without the scheme")
        }
        HostFault::Wildcard => "wildcards are not allowed; list each host the service uses".into(),
        HostFault::Path => {
            let before = s.split(['/', '?', '#']).next().unwrap_or(s);
            format!("a host has no path; write only \"{before}\"")
        }
        HostFault::User => "a host has no user name; write only what follows the @".into(),
        HostFault::Port => {
            let before = s.split(':').next().unwrap_or(s);
            format!("a host has no port; write only \"{before}\"")
        }
        HostFault::NotAscii => "write international host names in their ASCII (xn--) form".into(),
        HostFault::UpperCase => format!(
            "write host names in lower case: \"{}\"",
            s.to_ascii_lowercase()
        ),
        HostFault::TrailingDot => "remove the final dot".into(),
        HostFault::TooLong => "it is longer than 253 characters".into(),
        HostFault::NoDot => {
            "a host name has at least one dot (for example \"www.example.com\")".into()
        }
        HostFault::Label => "use letters, digits, hyphens and dots, with no empty part and no hyphen at either end of a part".into(),
    }
}

/// The host part of an `https://` URL, lower-cased, as the URL rule saw it.
fn url_host(s: &str) -> String {
    let rest = syntax::url_scheme(s)
        .and_then(|(_, after)| after.strip_prefix("//"))
        .unwrap_or(s);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let name = authority
        .rsplit_once(':')
        .map(|(n, _)| n)
        .unwrap_or(authority);
    name.to_ascii_lowercase()
}

/// A glob that covers what a regular expression matches, reading every
/// part that is not a literal character as "anything here": `^_gac_[0-9]+$`
/// becomes `_gac_*`. It may match more than the expression did, so the
/// message asks the editor to check it. `None` when no glob with a literal
/// character and a star results (`.*`, an alternation, a plain name).
pub(super) fn glob_for(regex: &str) -> Option<String> {
    let body = regex.strip_prefix('^').unwrap_or(regex);
    let body = body.strip_suffix('$').unwrap_or(body);
    // Literal characters, and `None` where the expression matched something else.
    let mut parts: Vec<Option<char>> = Vec::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_punctuation() => parts.push(Some(e)),
                _ => parts.push(None),
            },
            '[' => {
                chars.by_ref().find(|&c| c == ']');
                parts.push(None);
            }
            '(' => {
                let mut depth = 1;
                for inner in chars.by_ref() {
                    depth += match inner {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                }
                parts.push(None);
            }
            '|' => return None,
            // What comes before may be absent, so it is "anything" too.
            '*' | '?' | '{' => {
                if c == '{' {
                    chars.by_ref().find(|&c| c == '}');
                }
                parts.pop();
                parts.push(None);
            }
            '.' | '+' => parts.push(None),
            c => parts.push(Some(c)),
        }
    }
    let mut glob = String::new();
    for part in parts {
        match part {
            Some(c) => glob.push(c),
            None if glob.ends_with('*') => {}
            None => glob.push('*'),
        }
    }
    syntax::glob(&glob).is_ok().then_some(glob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_regexes_become_globs() {
        assert_eq!(glob_for("^_gac_[0-9]+$").as_deref(), Some("_gac_*"));
        assert_eq!(glob_for("^_gac_(gb_)?[0-9]+$").as_deref(), Some("_gac_*"));
        assert_eq!(glob_for("_ga_.*").as_deref(), Some("_ga_*"));
        assert_eq!(glob_for("^ga_\\d+_id$").as_deref(), Some("ga_*_id"));
        assert_eq!(glob_for("^_hj\\.x.*$").as_deref(), Some("_hj.x*"));
        assert_eq!(glob_for(".*"), None);
        assert_eq!(glob_for("a|b"), None);
        assert_eq!(glob_for("_ga"), None, "no star: a name, not a glob");
    }

    #[test]
    fn messages_name_the_fix() {
        let say = |fault, s| syntax_message(fault, s);
        assert!(say(Fault::NotSlug, "Shop Cart").contains("\"shop-cart\""));
        assert!(say(Fault::NotLanguageTag, "pt_BR").contains("\"pt-BR\""));
        assert!(say(Fault::LifetimeSingular, "1 days").contains("\"1 day\""));
        assert!(say(Fault::LifetimePlural, "2 year").contains("\"2 years\""));
        assert!(say(Fault::LifetimeWeeks, "2 weeks").contains("\"14 days\""));
        assert!(say(Fault::LifetimeLeadingZeros, "01 days").contains("\"1 days\""));
        assert!(say(Fault::Host(HostFault::Port), "x.com:443").contains("\"x.com\""));
        assert!(say(Fault::UrlHttp, "http://a.b/c").contains("\"https://a.b/c\""));
        assert!(say(Fault::UrlScheme, "javascript:x").contains("a javascript: URL"));
        let s = format!("sha384-{}", "A".repeat(63));
        assert!(
            say(Fault::IntegrityLength, &s).contains("64 base64 characters, but this one has 63")
        );
        let bad_host = say(Fault::UrlHost(HostFault::NoDot), "https://localhost/");
        assert!(bad_host.contains("invalid host"), "{bad_host}");
    }
}
