//! The syntax of single values (ids, language tags, URLs, hosts, lifetimes,
//! integrity hashes, name globs). Each rule returns the parsed value or the
//! [`Fault`] it found first; `cookiegate check` turns a fault and the value
//! into words for editors, the browser into a short reason.

use super::fields::{MAX_GLOB_CHARS, MAX_LIFETIME_MINUTES};
use super::{Lifetime, Unit};
use crate::text::{holds, parse_decimal};

/// The first rule a value breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each name says which rule
pub enum Fault {
    NotSlug,
    NotLanguageTag,
    Host(HostFault),
    NotCookieDomain,
    NotCookiePath,
    UrlSpaces,
    UrlBackslash,
    UrlProtocolRelative,
    UrlNotAbsolute,
    UrlHttp,
    UrlScheme,
    UrlNoSlashes,
    UrlUser,
    UrlPort,
    UrlNoHost,
    UrlHost(HostFault),
    LifetimeForm,
    LifetimeSessionCase,
    LifetimeZero,
    LifetimeLeadingZeros,
    LifetimeWeeks,
    LifetimeUnitCase,
    LifetimeSingular,
    LifetimePlural,
    LifetimeTooLong,
    IntegrityAlgorithm,
    IntegrityBase64,
    IntegrityLength,
    GlobTooLong,
    GlobNoStar,
    GlobEverything,
    PrefixScheme,
    PrefixSlashes,
    PrefixSpaces,
    PrefixFragment,
    PrefixNoPath,
    PrefixHost(HostFault),
}

/// The first host-name rule a host breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum HostFault {
    Scheme,
    Wildcard,
    Path,
    User,
    Port,
    NotAscii,
    UpperCase,
    TrailingDot,
    TooLong,
    NoDot,
    Label,
}

impl Fault {
    /// A few words on what is wrong, for the browser console.
    pub fn reason(self) -> &'static str {
        match self {
            Fault::NotSlug => "not an id (a-z, 0-9 and -, starting with a letter)",
            Fault::NotLanguageTag => "not a language tag such as \"en\" or \"pt-BR\"",
            Fault::Host(_) => "not a bare, lower-case host name",
            Fault::NotCookieDomain => "not a cookie domain",
            Fault::NotCookiePath => "not a cookie path",
            Fault::UrlSpaces
            | Fault::UrlBackslash
            | Fault::UrlProtocolRelative
            | Fault::UrlNotAbsolute
            | Fault::UrlHttp
            | Fault::UrlScheme
            | Fault::UrlNoSlashes
            | Fault::UrlUser
            | Fault::UrlPort
            | Fault::UrlNoHost
            | Fault::UrlHost(_) => "not a usable https: URL",
            Fault::LifetimeTooLong => "a lifetime of more than 10 years",
            Fault::LifetimeForm
            | Fault::LifetimeSessionCase
            | Fault::LifetimeZero
            | Fault::LifetimeLeadingZeros
            | Fault::LifetimeWeeks
            | Fault::LifetimeUnitCase
            | Fault::LifetimeSingular
            | Fault::LifetimePlural => "not a lifetime such as \"session\" or \"13 months\"",
            Fault::IntegrityAlgorithm | Fault::IntegrityBase64 | Fault::IntegrityLength => {
                "not an integrity hash (sha256-, sha384- or sha512-)"
            }
            Fault::GlobTooLong => "a glob of more than 200 characters",
            Fault::GlobNoStar => "a glob without *",
            Fault::GlobEverything => "a glob that matches every name",
            Fault::PrefixScheme
            | Fault::PrefixSlashes
            | Fault::PrefixSpaces
            | Fault::PrefixFragment
            | Fault::PrefixNoPath
            | Fault::PrefixHost(_) => "not a URL prefix such as \"www.example.com/tag.js\"",
        }
    }
}

/// An id: `[a-z][a-z0-9-]*`.
pub fn slug(s: &str) -> Result<(), Fault> {
    let mut chars = s.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if starts_well && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        Ok(())
    } else {
        Err(Fault::NotSlug)
    }
}

/// A language tag: `[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*`.
pub fn language_tag(s: &str) -> Result<(), Fault> {
    let mut parts = crate::text::split_byte(s, b'-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(Fault::NotLanguageTag)
    }
}

/// A bare host name: lower-case ASCII letters, digits and hyphens in at
/// least two dot-separated labels of 1–63 characters that neither start nor
/// end with a hyphen; at most 253 characters; no scheme, user, port, path,
/// wildcard or trailing dot.
pub fn host(s: &str) -> Result<(), HostFault> {
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with("-")
            && !l.ends_with("-")
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let fault = if holds(s, b"://") {
        HostFault::Scheme
    } else if crate::text::has_byte(s, b'*') {
        HostFault::Wildcard
    } else if crate::text::find_any(s, b"/?#").is_some() {
        HostFault::Path
    } else if crate::text::has_byte(s, b'@') {
        HostFault::User
    } else if crate::text::has_byte(s, b':') {
        HostFault::Port
    } else if !s.is_ascii() {
        HostFault::NotAscii
    } else if s.chars().any(|c| c.is_ascii_uppercase()) {
        HostFault::UpperCase
    } else if s.ends_with(".") {
        HostFault::TrailingDot
    } else if s.len() > 253 {
        HostFault::TooLong
    } else if !crate::text::has_byte(s, b'.') {
        HostFault::NoDot
    } else if !crate::text::split_byte(s, b'.').all(label_ok) {
        HostFault::Label
    } else {
        return Ok(());
    };
    Err(fault)
}

/// A scheme-less URL prefix: a bare host name, then `/` and the start of a
/// path (and maybe a query), as in `www.googletagmanager.com/gtag/js?id=AW-`.
/// Returns its host.
pub fn url_prefix(s: &str) -> Result<&str, Fault> {
    if holds(s, b"://") {
        return Err(Fault::PrefixScheme);
    }
    if s.starts_with("//") {
        return Err(Fault::PrefixSlashes);
    }
    if has_space_or_control(s) {
        return Err(Fault::PrefixSpaces);
    }
    if crate::text::has_byte(s, b'#') {
        return Err(Fault::PrefixFragment);
    }
    let Some((host_part, _)) = crate::text::split_once_byte(s, b'/') else {
        return Err(Fault::PrefixNoPath);
    };
    host(host_part).map_err(Fault::PrefixHost)?;
    Ok(host_part)
}

/// Whether `s` holds whitespace or a control character (neither belongs
/// in a URL or a cookie path); one scan for the three rules that refuse them.
#[inline(never)]
fn has_space_or_control(s: &str) -> bool {
    s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A cookie domain: a host name, optionally with a leading dot.
pub fn cookie_domain(s: &str) -> Result<(), Fault> {
    host(s.strip_prefix(".").unwrap_or(s)).map_err(|_| Fault::NotCookieDomain)
}

/// A cookie path: `/` and then no spaces, control characters or `;`.
pub fn cookie_path(s: &str) -> Result<(), Fault> {
    let clean = !has_space_or_control(s) && !crate::text::has_byte(s, b';');
    if s.starts_with("/") && clean {
        Ok(())
    } else {
        Err(Fault::NotCookiePath)
    }
}

/// An absolute `https:` URL; returns its host, lower-cased.
pub fn https_url(s: &str) -> Result<String, Fault> {
    if has_space_or_control(s) {
        return Err(Fault::UrlSpaces);
    }
    if crate::text::has_byte(s, b'\\') {
        return Err(Fault::UrlBackslash);
    }
    if s.starts_with("//") {
        return Err(Fault::UrlProtocolRelative);
    }
    let (scheme, after) = url_scheme(s).ok_or(Fault::UrlNotAbsolute)?;
    if !scheme.eq_ignore_ascii_case("https") {
        let http = scheme.eq_ignore_ascii_case("http");
        return Err(if http {
            Fault::UrlHttp
        } else {
            Fault::UrlScheme
        });
    }
    let rest = after.strip_prefix("//").ok_or(Fault::UrlNoSlashes)?;
    let end = crate::text::find_any(rest, b"/?#").unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or(rest);
    if crate::text::has_byte(authority, b'@') {
        return Err(Fault::UrlUser);
    }
    let (name, port) = match crate::text::rsplit_once_byte(authority, b':') {
        Some((name, port)) => (name, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid = parse_decimal(port).is_some_and(|p| (1..=u64::from(u16::MAX)).contains(&p));
        if !valid {
            return Err(Fault::UrlPort);
        }
    }
    if name.is_empty() {
        return Err(Fault::UrlNoHost);
    }
    // Browsers lower-case host names, so any case is fine in a URL.
    let name = name.to_ascii_lowercase();
    host(&name).map_err(Fault::UrlHost)?;
    Ok(name)
}

/// The scheme of a URL and what follows its colon, when it has one.
pub(super) fn url_scheme(s: &str) -> Option<(&str, &str)> {
    let (scheme, after) = crate::text::split_once_byte(s, b':')?;
    (!crate::text::has_byte(scheme, b'/')).then_some((scheme, after))
}

/// Parses `session` or `<n> <unit>`: n ≥ 1 without leading zeros, a single
/// space, a unit that is singular for 1 and plural otherwise; at most 10 years.
pub fn lifetime(s: &str) -> Result<Lifetime, Fault> {
    if s == "session" {
        return Ok(Lifetime::Session);
    }
    if s.trim().eq_ignore_ascii_case("session") {
        return Err(Fault::LifetimeSessionCase);
    }
    let (number, unit_word) = crate::text::split_once_byte(s, b' ').ok_or(Fault::LifetimeForm)?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err(Fault::LifetimeForm);
    }
    let count = parse_decimal(number).ok_or(Fault::LifetimeTooLong)?;
    if count == 0 {
        return Err(Fault::LifetimeZero);
    }
    if number.starts_with("0") {
        return Err(Fault::LifetimeLeadingZeros);
    }
    let Some((name, unit, plural)) = unit_named(unit_word) else {
        let weeks =
            unit_word.eq_ignore_ascii_case("week") || unit_word.eq_ignore_ascii_case("weeks");
        return Err(if weeks {
            Fault::LifetimeWeeks
        } else {
            Fault::LifetimeForm
        });
    };
    if name != unit_word {
        return Err(Fault::LifetimeUnitCase);
    }
    if count == 1 && plural {
        return Err(Fault::LifetimeSingular);
    }
    if count != 1 && !plural {
        return Err(Fault::LifetimePlural);
    }
    let count = u32::try_from(count).map_err(|_| Fault::LifetimeTooLong)?;
    let lifetime = Lifetime::Span { count, unit };
    match lifetime.minutes() {
        Some(m) if m <= MAX_LIFETIME_MINUTES => Ok(lifetime),
        _ => Err(Fault::LifetimeTooLong),
    }
}

/// The unit a word names in any case: its lower-case spelling, the unit,
/// and whether it is the plural (a table compared without a lower-cased copy).
fn unit_named(word: &str) -> Option<(&'static str, Unit, bool)> {
    const UNITS: [(&str, Unit, bool); 10] = [
        ("minute", Unit::Minute, false),
        ("minutes", Unit::Minute, true),
        ("hour", Unit::Hour, false),
        ("hours", Unit::Hour, true),
        ("day", Unit::Day, false),
        ("days", Unit::Day, true),
        ("month", Unit::Month, false),
        ("months", Unit::Month, true),
        ("year", Unit::Year, false),
        ("years", Unit::Year, true),
    ];
    UNITS
        .iter()
        .find(|(name, ..)| name.eq_ignore_ascii_case(word))
        .copied()
}

/// A Subresource Integrity hash: `sha256-`, `sha384-` or `sha512-` and the
/// base64 digest of the right length.
pub fn integrity(s: &str) -> Result<(), Fault> {
    let (algorithm, digest) =
        crate::text::split_once_byte(s, b'-').ok_or(Fault::IntegrityAlgorithm)?;
    let expected_len = integrity_digest_len(algorithm).ok_or(Fault::IntegrityAlgorithm)?;
    let body = crate::text::trim_end_byte(digest, b'=');
    let padding = digest.len() - body.len();
    let base64 = body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
    if !base64 || padding > 2 {
        return Err(Fault::IntegrityBase64);
    }
    if digest.len() != expected_len {
        return Err(Fault::IntegrityLength);
    }
    Ok(())
}

/// The base64 length of a digest of this algorithm, if it is one SRI allows.
pub(super) fn integrity_digest_len(algorithm: &str) -> Option<usize> {
    match algorithm {
        "sha256" => Some(44),
        "sha384" => Some(64),
        "sha512" => Some(88),
        _ => None,
    }
}

/// A name glob: at most [`MAX_GLOB_CHARS`] characters, at least one `*`
/// (a name without one is a `name`), and at least one other character (a
/// glob of stars alone matches every name).
pub fn glob(s: &str) -> Result<(), Fault> {
    if crate::text::char_count(s) > MAX_GLOB_CHARS {
        Err(Fault::GlobTooLong)
    } else if !crate::text::has_byte(s, b'*') {
        Err(Fault::GlobNoStar)
    } else if s.chars().all(|c| c == '*') {
        Err(Fault::GlobEverything)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes() {
        assert_eq!(lifetime("session"), Ok(Lifetime::Session));
        assert_eq!(
            lifetime("13 months"),
            Ok(Lifetime::Span {
                count: 13,
                unit: Unit::Month
            })
        );
        assert_eq!(
            lifetime("3650 days"),
            Ok(Lifetime::Span {
                count: 3650,
                unit: Unit::Day
            })
        );
        for bad in [
            "",
            "1 days",
            "2 day",
            "0 days",
            "01 days",
            "2  days",
            "2 weeks",
            "2 Days",
            "11 years",
            "3651 days",
            "99999999999 years",
            "-1 days",
            "1.5 days",
            "Session",
            "2years",
        ] {
            assert!(lifetime(bad).is_err(), "{bad}");
        }
        assert_eq!(lifetime("1 days"), Err(Fault::LifetimeSingular));
        assert_eq!(lifetime("2 day"), Err(Fault::LifetimePlural));
        assert_eq!(lifetime("2 weeks"), Err(Fault::LifetimeWeeks));
        assert_eq!(lifetime("11 years"), Err(Fault::LifetimeTooLong));
    }

    #[test]
    fn urls() {
        assert_eq!(
            https_url("https://Shop.Example/privacy?x=1#a"),
            Ok("shop.example".into())
        );
        assert_eq!(
            https_url("https://www.example.com:8443/"),
            Ok("www.example.com".into())
        );
        for bad in [
            "http://example.com",
            "javascript:alert(1)",
            "data:text/html,x",
            "//example.com/x",
            "https://a@b.example",
            "https://example.com/a b",
            "https://exa\tmple.com",
            "https:example.com",
            "https://",
            "https://localhost/",
            "https://example.com:0/",
            "https://example.com\\@evil.com/",
            "example.com/privacy",
        ] {
            assert!(https_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn url_prefixes() {
        assert_eq!(
            url_prefix("www.googletagmanager.com/gtag/js?id=AW-"),
            Ok("www.googletagmanager.com")
        );
        assert_eq!(url_prefix("cdn.example.com/"), Ok("cdn.example.com"));
        for (bad, fault) in [
            (
                "https://www.googletagmanager.com/gtm.js",
                Fault::PrefixScheme,
            ),
            ("//cdn.example.com/a", Fault::PrefixSlashes),
            ("cdn.example.com", Fault::PrefixNoPath),
            ("cdn.example.com/a#b", Fault::PrefixFragment),
            ("cdn.example.com/a b", Fault::PrefixSpaces),
            ("CDN.example.com/a", Fault::PrefixHost(HostFault::UpperCase)),
            ("cdn.example.com:8080/a", Fault::PrefixHost(HostFault::Port)),
            ("user@cdn.example.com/a", Fault::PrefixHost(HostFault::User)),
        ] {
            assert_eq!(url_prefix(bad), Err(fault), "{bad}");
        }
    }

    #[test]
    fn hosts() {
        assert!(host("www.google-analytics.com").is_ok());
        assert!(host("127.0.0.1").is_ok());
        for bad in [
            "https://x.com",
            "*.x.com",
            "x.com/a",
            "x.com:443",
            "X.com",
            "x.com.",
            "localhost",
            "-x.com",
            "x..com",
            "bücher.de",
        ] {
            assert!(host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_and_tags() {
        assert!(slug("analytics-2").is_ok());
        assert_eq!(slug("Google Analytics"), Err(Fault::NotSlug));
        assert!(slug("2x").is_err());
        assert!(language_tag("pt-BR").is_ok());
        assert_eq!(language_tag("pt_BR"), Err(Fault::NotLanguageTag));
        assert!(language_tag("english").is_err());
    }

    #[test]
    fn integrity_hashes() {
        let sha384 = format!("sha384-{}", "A".repeat(64));
        assert!(integrity(&sha384).is_ok());
        assert!(integrity(&format!("sha256-{}=", "a".repeat(43))).is_ok());
        assert!(integrity(&format!("sha512-{}==", "+".repeat(86))).is_ok());
        assert!(integrity("md5-abc").is_err());
        assert_eq!(
            integrity(&format!("sha384-{}", "A".repeat(63))),
            Err(Fault::IntegrityLength)
        );
        assert!(integrity(&format!("sha384-{}!", "A".repeat(63))).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("_gac_*").is_ok() && glob("*_id").is_ok() && glob("a*b*c").is_ok());
        assert_eq!(glob("_ga"), Err(Fault::GlobNoStar));
        assert_eq!(glob("*"), Err(Fault::GlobEverything));
        assert_eq!(glob("***"), Err(Fault::GlobEverything));
        assert_eq!(glob(&"a*".repeat(101)), Err(Fault::GlobTooLong));
    }

    #[test]
    fn hosts_in_urls_say_what_is_wrong_with_the_host() {
        assert_eq!(
            https_url("https://localhost/"),
            Err(Fault::UrlHost(HostFault::NoDot))
        );
        assert_eq!(https_url("http://a.example/"), Err(Fault::UrlHttp));
        assert_eq!(https_url("javascript:alert(1)"), Err(Fault::UrlScheme));
    }
}
