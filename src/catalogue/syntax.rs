//! The syntax of single values (ids, language tags, URLs, hosts, lifetimes,
//! integrity hashes, name patterns). Each check returns the parsed value or
//! a message for catalogue editors that names the value and the fix.

use super::fields::{MAX_LIFETIME_MINUTES, MAX_REGEX_CHARS};
use super::{Lifetime, Unit};
use regex_lite::{Regex, RegexBuilder};

/// Compiled size bound for name patterns, so a short pattern such as
/// `a{1000}{1000}` cannot eat the browser's memory.
const REGEX_SIZE_LIMIT: usize = 1 << 18;

/// Names every sensible pattern leaves out at least one of: a pattern that
/// matches them all matches (nearly) every cookie.
const PROBE_NAMES: &[&str] = &["a", "z9", "_ga", "session", "cookiegate", "x-y"];

/// An id: `[a-z][a-z0-9-]*`.
pub fn slug(s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if starts_well && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Ok(());
    }
    let fixed: String = s
        .trim()
        .chars()
        .filter_map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' => Some(c.to_ascii_lowercase()),
            ' ' | '_' | '.' => Some('-'),
            _ => None,
        })
        .collect();
    let hint = if slug_is_valid(&fixed) {
        format!(" (for example \"{fixed}\")")
    } else {
        String::new()
    };
    Err(format!(
        "\"{s}\" is not a valid id: use lower-case letters, digits and hyphens, starting with a letter{hint}"
    ))
}

fn slug_is_valid(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A language tag: `[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*`.
pub fn language_tag(s: &str) -> Result<(), String> {
    let mut parts = s.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        return Ok(());
    }
    let hint = if s.contains('_') && language_tag(&s.replace('_', "-")).is_ok() {
        format!(" (write \"{}\", with a hyphen)", s.replace('_', "-"))
    } else {
        String::new()
    };
    Err(format!(
        "\"{s}\" is not a language tag: use a code such as \"en\", \"de\" or \"pt-BR\"{hint}"
    ))
}

/// A bare host name: lower-case ASCII letters, digits and hyphens in at
/// least two dot-separated labels of 1–63 characters that neither start nor
/// end with a hyphen; at most 253 characters; no scheme, user, port, path,
/// wildcard or trailing dot.
pub fn host(s: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("\"{s}\" is not a bare host name: {why}"));
    if let Some((_, rest)) = s.split_once("://") {
        let only = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        return bad(&format!(
            "write only the host, \"{only}\", without the scheme"
        ));
    }
    if s.contains('*') {
        return bad("wildcards are not allowed; list each host the service uses");
    }
    if let Some((before, _)) = s.split_once(['/', '?', '#']) {
        return bad(&format!("a host has no path; write only \"{before}\""));
    }
    if s.contains('@') {
        return bad("a host has no user name; write only what follows the @");
    }
    if let Some((before, _)) = s.split_once(':') {
        return bad(&format!("a host has no port; write only \"{before}\""));
    }
    if !s.is_ascii() {
        return bad("write international host names in their ASCII (xn--) form");
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return bad(&format!(
            "write host names in lower case: \"{}\"",
            s.to_ascii_lowercase()
        ));
    }
    if s.ends_with('.') {
        return bad("remove the final dot");
    }
    if s.len() > 253 {
        return bad("it is longer than 253 characters");
    }
    if !s.contains('.') {
        return bad("a host name has at least one dot (for example \"www.example.com\")");
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if s.split('.').all(label_ok) {
        Ok(())
    } else {
        bad("use letters, digits, hyphens and dots, with no empty part and no hyphen at either end of a part")
    }
}

/// A scheme-less URL prefix: a bare host name, then `/` and the start of a
/// path (and maybe a query), as in `www.googletagmanager.com/gtag/js?id=AW-`.
/// Returns its host.
pub fn url_prefix(s: &str) -> Result<&str, String> {
    let bad = |why: &str| Err(["\"", s, "\" is not a URL prefix: ", why].concat());
    if let Some((_, rest)) = s.split_once("://") {
        return bad(&["write it without the scheme: \"", rest, "\""].concat());
    }
    if let Some(rest) = s.strip_prefix("//") {
        return bad(&["write it without the leading //: \"", rest, "\""].concat());
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it contains spaces or control characters");
    }
    if s.contains('#') {
        return bad(
            "the browser never sends the #fragment, so a prefix cannot match it; remove it",
        );
    }
    let Some((host_part, _)) = s.split_once('/') else {
        return bad("write the host, then the path it starts with (\"www.example.com/tag.js\"); a bare host belongs under \"hosts\"");
    };
    match host(host_part) {
        Ok(()) => Ok(host_part),
        Err(why) => bad(&["its host is wrong: ", &why].concat()),
    }
}

/// A cookie domain: a host name, optionally with a leading dot.
pub fn cookie_domain(s: &str) -> Result<(), String> {
    host(s.strip_prefix('.').unwrap_or(s))
        .map_err(|_| format!("\"{s}\" is not a cookie domain: write a host name such as \".example.com\" (the leading dot is optional)"))
}

/// A cookie path: `/` and then no spaces, control characters or `;`.
pub fn cookie_path(s: &str) -> Result<(), String> {
    if s.starts_with('/')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ';')
    {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not a cookie path: it starts with / and has no spaces or semicolons"
        ))
    }
}

/// An absolute `https:` URL; returns its host, lower-cased.
pub fn https_url(s: &str) -> Result<String, String> {
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "\"{}\" is not a usable URL: it contains spaces or control characters",
            s.escape_debug()
        ));
    }
    if s.contains('\\') {
        return Err(format!(
            "\"{s}\" is not a usable URL: it contains a backslash (\\); use /"
        ));
    }
    if let Some(rest) = s.strip_prefix("//") {
        return Err(format!(
            "\"{s}\" is protocol-relative; write the full URL: \"https://{rest}\""
        ));
    }
    let scheme_end = s
        .find(':')
        .filter(|&i| !s.get(..i).unwrap_or("").contains('/'));
    let Some(scheme_end) = scheme_end else {
        return Err(format!(
            "\"{s}\" is not an absolute URL: write the full address, starting with https://"
        ));
    };
    let scheme = s.get(..scheme_end).unwrap_or("").to_ascii_lowercase();
    let after = s.get(scheme_end + 1..).unwrap_or("");
    match scheme.as_str() {
        "https" => {}
        "http" => {
            return Err(format!(
                "\"{s}\" uses http:, which anyone on the network can read or change; write \"https:{after}\""
            ))
        }
        other => {
            return Err(format!(
                "\"{s}\" is a {other}: URL; only https: URLs are allowed"
            ))
        }
    }
    let Some(rest) = after.strip_prefix("//") else {
        return Err(format!(
            "\"{s}\" is not a full URL: write https:// and then the host"
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if authority.contains('@') {
        return Err(format!(
            "\"{s}\" contains a user name or password (the part before @); remove it"
        ));
    }
    let (name, port) = match authority.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p > 0);
        if !valid {
            return Err(format!("\"{s}\" has an invalid port \"{port}\""));
        }
    }
    if name.is_empty() {
        return Err(format!("\"{s}\" has no host after https://"));
    }
    // Browsers lower-case host names, so any case is fine in a URL.
    let name = name.to_ascii_lowercase();
    host(&name).map_err(|why| format!("\"{s}\" has an invalid host: {why}"))?;
    Ok(name)
}

/// Parses `session` or `<n> <unit>`: n ≥ 1 without leading zeros, a single
/// space, a unit that is singular for 1 and plural otherwise; at most 10 years.
pub fn lifetime(s: &str) -> Result<Lifetime, String> {
    let general = || {
        format!("\"{s}\" is not a lifetime: write \"session\", or a number and a unit such as \"30 minutes\", \"1 day\", \"13 months\" or \"2 years\"")
    };
    if s == "session" {
        return Ok(Lifetime::Session);
    }
    if s.trim().eq_ignore_ascii_case("session") {
        return Err(format!(
            "write \"session\" (lower case, no spaces) instead of \"{s}\""
        ));
    }
    let Some((number, unit_word)) = s.split_once(' ') else {
        return Err(general());
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err(general());
    }
    let count: u64 = match number.parse() {
        Ok(n) => n,
        Err(_) => return Err(too_long(s)),
    };
    if count == 0 {
        return Err(format!(
            "\"{s}\": a lifetime is at least 1 of its unit; write \"session\" for cookies that end with the browser session"
        ));
    }
    if number.starts_with('0') {
        return Err(format!(
            "write \"{count} {unit_word}\" without leading zeros"
        ));
    }
    let lower = unit_word.to_ascii_lowercase();
    let (unit, plural) = match lower.as_str() {
        "minute" => (Unit::Minute, false),
        "minutes" => (Unit::Minute, true),
        "hour" => (Unit::Hour, false),
        "hours" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "year" => (Unit::Year, false),
        "years" => (Unit::Year, true),
        "week" | "weeks" => {
            let days = count.saturating_mul(7);
            return Err(format!(
                "\"{s}\": weeks are not a lifetime unit; write \"{days} days\""
            ));
        }
        _ => return Err(general()),
    };
    if lower != unit_word {
        return Err(format!("write the unit in lower case: \"{count} {lower}\""));
    }
    let name = unit_name(unit);
    if count == 1 && plural {
        return Err(format!("write \"1 {name}\": the unit is singular with 1"));
    }
    if count != 1 && !plural {
        return Err(format!(
            "write \"{count} {name}s\": the unit is plural for numbers other than 1"
        ));
    }
    let count = u32::try_from(count).map_err(|_| too_long(s))?;
    let lifetime = Lifetime::Span { count, unit };
    match lifetime.minutes() {
        Some(m) if m <= MAX_LIFETIME_MINUTES => Ok(lifetime),
        _ => Err(too_long(s)),
    }
}

fn too_long(s: &str) -> String {
    format!("\"{s}\" is more than 10 years: browsers cap cookies at 400 days; 10 years is the most a catalogue may declare")
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Minute => "minute",
        Unit::Hour => "hour",
        Unit::Day => "day",
        Unit::Month => "month",
        Unit::Year => "year",
    }
}

/// A Subresource Integrity hash: `sha256-`, `sha384-` or `sha512-` and the
/// base64 digest of the right length.
pub fn integrity(s: &str) -> Result<(), String> {
    let expected_len = match s.split_once('-') {
        Some(("sha256", _)) => 44,
        Some(("sha384", _)) => 64,
        Some(("sha512", _)) => 88,
        _ => {
            return Err(format!(
                "\"{s}\" is not an integrity hash: it starts with sha256-, sha384- or sha512- (as printed by `openssl dgst -sha384 -binary FILE | openssl base64 -A`)"
            ))
        }
    };
    let (algorithm, digest) = s.split_once('-').unwrap_or_default();
    let body = digest.trim_end_matches('=');
    let padding = digest.len() - body.len();
    let base64 = body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
    if !base64 || padding > 2 {
        return Err(format!(
            "the {algorithm} digest in \"{s}\" is not base64 (letters, digits, + and /, then up to two =)"
        ));
    }
    if digest.len() != expected_len {
        return Err(format!(
            "a {algorithm} digest is {expected_len} base64 characters, but this one has {}; copy the whole hash",
            digest.len()
        ));
    }
    Ok(())
}

/// Compiles a name pattern anchored at both ends; refuses patterns that are
/// too long, do not compile, or would match every name. `what` names the
/// matched things in messages ("cookie", "storage key").
pub fn name_pattern(source: &str, what: &str) -> Result<Regex, String> {
    let chars = source.chars().count();
    if chars > MAX_REGEX_CHARS {
        return Err(format!(
            "this regular expression is {chars} characters long; at most {MAX_REGEX_CHARS} are allowed (use a shorter pattern or a prefix)"
        ));
    }
    let build = |pattern: &str| {
        RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or("").trim().to_string();
                format!("the regular expression \"{source}\" does not compile: {reason}")
            })
    };
    // Compiled alone first, so "a)|(b" cannot escape the anchors added below.
    build(source)?;
    let compiled = build(&format!("^(?:{source})$"))?;
    if compiled.is_match("") || PROBE_NAMES.iter().all(|n| compiled.is_match(n)) {
        return Err(format!(
            "the regular expression \"{source}\" would match every {what}; make it specific (for example \"^_gac_[0-9]+$\"), or use a name or a prefix"
        ));
    }
    Ok(compiled)
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
        assert!(lifetime("1 days").unwrap_err().contains("\"1 day\""));
        assert!(lifetime("2 weeks").unwrap_err().contains("\"14 days\""));
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
        for (bad, says) in [
            (
                "https://www.googletagmanager.com/gtm.js",
                "without the scheme: \"www.googletagmanager.com/gtm.js\"",
            ),
            ("//cdn.example.com/a", "without the leading //"),
            ("cdn.example.com", "a bare host belongs under \"hosts\""),
            ("cdn.example.com/a#b", "#fragment"),
            ("cdn.example.com/a b", "spaces"),
            ("CDN.example.com/a", "lower case"),
            ("cdn.example.com:8080/a", "no port"),
            ("user@cdn.example.com/a", "no user name"),
        ] {
            let message = url_prefix(bad).err().unwrap_or_default();
            assert!(message.contains(says), "{bad}: {message}");
            assert!(
                message.starts_with(&format!("\"{bad}\" is not a URL prefix")),
                "{message}"
            );
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
        assert!(slug("Google Analytics")
            .unwrap_err()
            .contains("\"google-analytics\""));
        assert!(slug("2x").is_err());
        assert!(language_tag("pt-BR").is_ok());
        assert!(language_tag("pt_BR").unwrap_err().contains("\"pt-BR\""));
        assert!(language_tag("english").is_err());
    }

    #[test]
    fn integrity_hashes() {
        let sha384 = format!("sha384-{}", "A".repeat(64));
        assert!(integrity(&sha384).is_ok());
        assert!(integrity(&format!("sha256-{}=", "a".repeat(43))).is_ok());
        assert!(integrity(&format!("sha512-{}==", "+".repeat(86))).is_ok());
        assert!(integrity("md5-abc").is_err());
        assert!(integrity(&format!("sha384-{}", "A".repeat(63)))
            .unwrap_err()
            .contains("63"));
        assert!(integrity(&format!("sha384-{}!", "A".repeat(63))).is_err());
    }

    #[test]
    fn name_patterns() -> Result<(), String> {
        let re = name_pattern("_gac_(gb_)?[0-9]+", "cookie")?;
        assert!(re.is_match("_gac_123") && !re.is_match("x_gac_123") && !re.is_match("_gac_1x"));
        assert!(name_pattern("^_gac_[0-9]+$", "cookie").is_ok());
        for every in [".*", "", "a*", "[^=]+", "[a-z_][a-z0-9_-]*", "x|.*"] {
            let e = name_pattern(every, "cookie").unwrap_err();
            assert!(e.contains("would match every cookie"), "{every}: {e}");
        }
        assert!(name_pattern("a)|(b", "cookie")
            .unwrap_err()
            .contains("does not compile"));
        assert!(name_pattern("(", "cookie")
            .unwrap_err()
            .contains("does not compile"));
        assert!(name_pattern(&"a".repeat(201), "cookie").is_err());
        assert!(name_pattern("a{1000}{1000}", "cookie").is_err());
        Ok(())
    }
}
