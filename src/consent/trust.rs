//! Whether a held element may run now. cookiegate never gives markup more
//! trust than the page's own CSP nonce and the catalogue give it: inline
//! code runs only with the page's nonce, a URL loads only from a host of
//! the service the element names (or, naming none, of its category's
//! services), and the visitor's choice decides the rest ([`judge`]).

use super::choice::{decide, decide_refused, Choice, Decision};
use super::url::may_load;
use crate::catalogue::Catalogue;

/// What the page vouches for: its origin and the nonce on cookiegate's own
/// tag ("" when the page uses none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageTrust<'a> {
    /// `location.origin`.
    pub origin: &'a str,
    /// The CSP nonce the bootstrap carried.
    pub nonce: &'a str,
}

/// One URL a held element would load, as the browser's URL parser resolved
/// it. A URL that did not parse has an empty `protocol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// `"https:"`.
    pub protocol: &'a str,
    /// The host name, lowercase, without port.
    pub hostname: &'a str,
    /// `"https://example.com"`.
    pub origin: &'a str,
}

/// A held element as the gate read it from the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held<'a> {
    /// `data-category` as written: `analytics`, or `!marketing` for a
    /// fallback that runs while marketing is refused.
    pub category: &'a str,
    /// `data-service`, when given and not empty.
    pub service: Option<&'a str>,
    /// The nonce the element itself carries ("" when none).
    pub nonce: &'a str,
    /// Whether it holds code of its own: an inline script's text, or an
    /// event-handler attribute (`onload="…"`).
    pub inline_code: bool,
    /// A script's `data-type`, when given.
    pub script_type: Option<&'a str>,
    /// Every URL it would load (`data-src`, each `data-srcset` candidate,
    /// `data-poster`, `data-href`).
    pub targets: &'a [Target<'a>],
}

/// What the gate does with a held element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Activate it now.
    Run,
    /// Keep it held: the choice does not grant it (yet).
    Hold,
    /// Never activate it, whatever the choice: the markup is wrong or
    /// would gain trust it does not have.
    Refuse(Refusal),
}

/// Why a held element is never activated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `data-category` names no category of the catalogue.
    UnknownCategory,
    /// `data-service` names no service of the catalogue.
    UnknownService,
    /// The service belongs to another category.
    ServiceNotInCategory,
    /// It holds inline code but not the page's nonce.
    NoNonce,
    /// A URL is not `https:` (nor `http:` on the page's own origin), or
    /// does not parse.
    NotLoadable,
    /// A URL is on none of the hosts its service (or category) declares.
    OffHosts,
    /// Its `data-type` is neither a JavaScript type nor `module`.
    ScriptType,
}

impl Refusal {
    /// What the console says about it.
    pub fn says(self) -> &'static str {
        match self {
            Refusal::UnknownCategory => "the catalogue has no such category",
            Refusal::UnknownService => "the catalogue has no such service",
            Refusal::ServiceNotInCategory => "the service belongs to another category",
            Refusal::NoNonce => "it holds inline code but not the page's nonce",
            Refusal::NotLoadable => "a URL is not https: or same-origin",
            Refusal::OffHosts => "a URL is on none of the catalogue hosts of its service",
            Refusal::ScriptType => "data-type is not a JavaScript type or module",
        }
    }
}

/// Whether the element carries the page's nonce (a page without one
/// vouches for nothing this way).
pub fn carries_page_nonce(page_nonce: &str, element_nonce: &str) -> bool {
    !page_nonce.is_empty() && element_nonce == page_nonce
}

/// Whether inline code of a held element may run: always on a page without
/// a nonce (its CSP, if any, decides), else only with the page's nonce.
pub fn inline_code_allowed(page_nonce: &str, element_nonce: &str) -> bool {
    page_nonce.is_empty() || carries_page_nonce(page_nonce, element_nonce)
}

/// Whether a held script's `data-type` is one the gate may give it:
/// classic JavaScript or `module` (never `importmap`, `speculationrules`…).
pub fn script_type_allowed(data_type: &str) -> bool {
    const TYPES: [&str; 6] = [
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "text/ecmascript",
        "application/ecmascript",
    ];
    let t = data_type.trim();
    TYPES.iter().any(|k| k.eq_ignore_ascii_case(t))
}

/// The hosts a held element may load from: its service's, else (a
/// `!category` fallback) those of the required categories' services, else
/// those of every service of its category.
pub fn allowed_hosts<'c>(
    catalogue: &'c Catalogue,
    category: &'c str,
    service: Option<&'c str>,
) -> impl Iterator<Item = &'c str> + 'c {
    let refused = category.strip_prefix("!");
    catalogue
        .services
        .iter()
        .filter(move |s| match (service, refused) {
            // A fallback runs while its category is refused: never from
            // that category's hosts, only from what is always on.
            (_, Some(_)) => catalogue.category(&s.category).is_some_and(|c| c.required),
            (Some(id), None) => s.id == id,
            (None, None) => s.category == category,
        })
        .flat_map(|s| s.hosts.iter().map(String::as_str))
}

/// Whether `target` may load for a held element: a loadable URL on one of
/// `hosts`, or on the page's own origin when the element carries the
/// page's nonce (a first-party file the page vouches for).
pub fn target_allowed<'h>(
    target: &Target<'_>,
    hosts: impl IntoIterator<Item = &'h str>,
    page: PageTrust<'_>,
    element_nonce: &str,
) -> Result<(), Refusal> {
    if !may_load(target.protocol, target.origin, page.origin) {
        return Err(Refusal::NotLoadable);
    }
    let first_party = target.origin == page.origin && page.origin != "null";
    // The same exact, ASCII-case-blind match as `on_hosts`.
    let listed = !target.hostname.is_empty()
        && hosts
            .into_iter()
            .any(|h| h.eq_ignore_ascii_case(target.hostname));
    if listed || (first_party && carries_page_nonce(page.nonce, element_nonce)) {
        Ok(())
    } else {
        Err(Refusal::OffHosts)
    }
}

/// Whether the markup of a held element may ever be activated, whatever
/// the choice: known names, a permitted script type, inline code only with
/// the page's nonce, every URL on its hosts.
pub fn trusted(catalogue: &Catalogue, page: PageTrust<'_>, held: &Held<'_>) -> Result<(), Refusal> {
    let known = match held.category.strip_prefix("!") {
        Some(refused) => decide_refused(catalogue, None, refused),
        None => decide(catalogue, None, held.category, held.service),
    };
    match known {
        Decision::UnknownCategory => return Err(Refusal::UnknownCategory),
        Decision::UnknownService => return Err(Refusal::UnknownService),
        Decision::ServiceNotInCategory => return Err(Refusal::ServiceNotInCategory),
        Decision::Allow | Decision::Block => {}
    }
    if held.script_type.is_some_and(|t| !script_type_allowed(t)) {
        return Err(Refusal::ScriptType);
    }
    if held.inline_code && !inline_code_allowed(page.nonce, held.nonce) {
        return Err(Refusal::NoNonce);
    }
    for target in held.targets {
        let hosts = allowed_hosts(catalogue, held.category, held.service);
        target_allowed(target, hosts, page, held.nonce)?;
    }
    Ok(())
}

/// May this held element run now, under `choice` (`None`: no choice yet)?
/// Its markup must be [`trusted`]; then an element naming a service runs
/// when that service is granted, one naming only a category when the whole
/// category is, a `!category` fallback while a choice refuses it.
pub fn judge(
    catalogue: &Catalogue,
    choice: Option<&Choice>,
    page: PageTrust<'_>,
    held: &Held<'_>,
) -> Verdict {
    if let Err(why) = trusted(catalogue, page, held) {
        return Verdict::Refuse(why);
    }
    let decision = match held.category.strip_prefix("!") {
        Some(refused) => decide_refused(catalogue, choice, refused),
        None => decide(catalogue, choice, held.category, held.service),
    };
    if decision == Decision::Allow {
        Verdict::Run
    } else {
        Verdict::Hold
    }
}

/// One candidate of a `srcset`: its URL as written and its descriptor
/// (`640w`, `2x`, or "" for none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The URL as written.
    pub url: &'a str,
    /// The descriptor, normalised to single spaces.
    pub descriptor: String,
}

/// Reads a `srcset` the way the HTML parser splits it (URLs are runs
/// without whitespace; trailing commas end a URL; descriptors run to the
/// next comma). `None` when a descriptor is not a width, density or height:
/// the gate then refuses the element rather than guess what loads.
pub fn srcset(text: &str) -> Option<Vec<Candidate<'_>>> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = after_run(rest, |b| is_space(b) || b == b',');
        if rest.is_empty() {
            return Some(out);
        }
        let end = run(rest, |b| !is_space(b));
        let (raw_url, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        let url = crate::text::trim_end_byte(raw_url, b',');
        let descriptor = if url.len() < raw_url.len() {
            rest = after;
            String::new()
        } else {
            // Up to the next comma. (The parser skips commas inside
            // parentheses, but a parenthesis is never a valid descriptor:
            // such a srcset is refused either way.)
            let (mut words, tail) = match crate::text::find_byte(after, b',') {
                Some(at) => after.split_at_checked(at).unwrap_or((after, "")),
                None => (after, ""),
            };
            rest = tail;
            let mut kept: Vec<&str> = Vec::new();
            loop {
                words = after_run(words, is_space);
                if words.is_empty() {
                    break;
                }
                let end = run(words, |b| !is_space(b));
                let (word, after) = words.split_at_checked(end).unwrap_or((words, ""));
                if !descriptor_ok(word) || kept.len() == 2 {
                    return None;
                }
                kept.push(word);
                words = after;
            }
            crate::text::join(&kept, " ")
        };
        out.push(Candidate { url, descriptor });
    }
}

/// HTML's ASCII whitespace, the separator inside a `srcset`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r')
}

/// How many bytes at the start of `s` satisfy `f` (a function pointer: one
/// body for every caller; every byte tested is ASCII, so the cut is on a
/// character boundary).
fn run(s: &str, f: fn(u8) -> bool) -> usize {
    let mut n = 0;
    while s.as_bytes().get(n).is_some_and(|&b| f(b)) {
        n += 1;
    }
    n
}

/// `s` after its leading run of bytes satisfying `f`.
fn after_run(s: &str, f: fn(u8) -> bool) -> &str {
    s.get(run(s, f)..).unwrap_or("")
}

fn descriptor_ok(word: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = word.strip_suffix("w").or_else(|| word.strip_suffix("h")) {
        return digits(n);
    }
    let Some(n) = word.strip_suffix("x") else {
        return false;
    };
    match crate::text::split_once_byte(n, b'.') {
        Some((whole, frac)) => (whole.is_empty() || digits(whole)) && digits(frac),
        None => digits(n),
    }
}

/// The `srcset` the gate sets: each checked URL (resolved `href`) with its
/// descriptor. `None` when an `href` would read differently in a srcset
/// (whitespace in it, or a trailing comma).
pub fn srcset_text(candidates: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    for (i, (href, descriptor)) in candidates.iter().enumerate() {
        if href.is_empty() || href.ends_with(",") || href.contains(char::is_whitespace) {
            return None;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(href);
        if !descriptor.is_empty() {
            out.push(' ');
            out.push_str(descriptor);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_splits_like_the_parser() {
        let c = srcset("a.jpg 1x, b.jpg 2x,c.jpg,, d.jpg 640w").unwrap_or_default();
        let got: Vec<(&str, &str)> = c.iter().map(|c| (c.url, c.descriptor.as_str())).collect();
        assert_eq!(
            got,
            [
                ("a.jpg", "1x"),
                ("b.jpg", "2x"),
                ("c.jpg", ""),
                ("d.jpg", "640w")
            ]
        );
        // A comma inside a URL belongs to it; one at its end ends it.
        let c =
            srcset("https://x.test/w_3,h_2/a.jpg 1.5x,https://x.test/b.jpg,").unwrap_or_default();
        let urls: Vec<&str> = c.iter().map(|c| c.url).collect();
        assert_eq!(
            urls,
            ["https://x.test/w_3,h_2/a.jpg", "https://x.test/b.jpg"]
        );
        assert_eq!(srcset("  ,, ").map(|c| c.len()), Some(0));
        // Any HTML whitespace separates; descriptors come back single-spaced.
        let c = srcset("\u{c}é.jpg \n 640w\t\r 480h ,\tb.jpg").unwrap_or_default();
        let got: Vec<(&str, &str)> = c.iter().map(|c| (c.url, c.descriptor.as_str())).collect();
        assert_eq!(got, [("é.jpg", "640w 480h"), ("b.jpg", "")]);
    }

    #[test]
    fn srcset_refuses_descriptors_it_cannot_read() {
        for bad in [
            "a.jpg 2q",
            "a.jpg 1x 2x 3x",
            "a.jpg -1x",
            "a.jpg x",
            "a.jpg (1x)",
        ] {
            assert_eq!(srcset(bad), None, "{bad}");
        }
        assert!(srcset("a.jpg .5x").is_some());
    }

    #[test]
    fn srcset_text_refuses_what_would_split_differently() {
        let ok = vec![
            ("https://a.test/1.jpg".to_string(), "1x".to_string()),
            ("https://a.test/2.jpg".to_string(), String::new()),
        ];
        assert_eq!(
            srcset_text(&ok).as_deref(),
            Some("https://a.test/1.jpg 1x, https://a.test/2.jpg")
        );
        for bad in ["https://a.test/x,", "https://a.test/ x", ""] {
            assert_eq!(
                srcset_text(&[(bad.to_string(), String::new())]),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn script_types() {
        for ok in [
            "",
            "module",
            "MODULE",
            " text/javascript ",
            "application/javascript",
        ] {
            assert!(script_type_allowed(ok), "{ok}");
        }
        for bad in [
            "importmap",
            "speculationrules",
            "webbundle",
            "text/html",
            "module2",
        ] {
            assert!(!script_type_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn the_nonce_rule() {
        assert!(inline_code_allowed("", ""));
        assert!(inline_code_allowed("", "anything"));
        assert!(inline_code_allowed("n0nce", "n0nce"));
        assert!(!inline_code_allowed("n0nce", ""));
        assert!(!inline_code_allowed("n0nce", "N0NCE"));
        assert!(!carries_page_nonce("", ""));
    }
}
