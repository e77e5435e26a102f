//! Which services own a URL, and whether it may load now: the rule behind
//! every script, frame, image, link and request a tag makes.
//!
//! A URL on the page's own origin belongs to nobody. Otherwise it belongs to
//! the service whose `urls` prefix matches it longest; failing that, to every
//! service that lists its host, so a URL on a shared host that no prefix
//! tells apart loads only once all of them are granted (fail closed). A URL
//! on no service's host belongs to nobody and loads.

use super::{decide, Choice, Decision};
use crate::catalogue::Catalogue;
use crate::text::{parse_decimal, rsplit_once_byte, trim_end_byte};

/// The parts of an absolute URL that decide who owns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlTarget {
    /// Lower case: `http`, `https`, `ws` or `wss`.
    scheme: String,
    /// Lower case, percent escapes decoded, without trailing dots.
    host: String,
    /// The port, when one was written and is a number.
    port: Option<u32>,
    /// Whether a port was written that is not a number (never first-party).
    bad_port: bool,
    /// Path and query, without the fragment; starts with `/`.
    rest: String,
}

impl UrlTarget {
    /// Reads an absolute URL as the browser resolved it (`URL.href`), and
    /// what a page may write instead: any case, a port, a user name, a
    /// trailing dot, backslashes, percent escapes in the host. `None` for a
    /// URL that is not `http:`, `https:`, `ws:` or `wss:` (`data:`, `blob:`,
    /// `about:`…): nothing is fetched from a host for those.
    pub fn parse(url: &str) -> Option<UrlTarget> {
        // The browser drops tabs and newlines anywhere, and spaces at the ends.
        let cleaned: String = url
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let url = crate::text::trim_controls(&cleaned);
        let (scheme, after) = crate::text::split_once_byte(url, b':')?;
        let scheme = scheme.to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
            return None;
        }
        let mut after = after;
        while let Some(rest) = after.strip_prefix("/").or_else(|| after.strip_prefix("\\")) {
            after = rest;
        }
        let end = crate::text::find_any(after, b"/\\?#").unwrap_or(after.len());
        let (authority, tail) = after.split_at_checked(end).unwrap_or((after, ""));
        let host_port = rsplit_once_byte(authority, b'@').map_or(authority, |(_, after)| after);
        let (host, port) = split_port(host_port);
        let host = decode_host(host);
        let host = trim_end_byte(&host, b'.');
        if host.is_empty() {
            return None;
        }
        let path = crate::text::before_byte(tail, b'#');
        let mut rest = String::with_capacity(path.len() + 1);
        if !(path.starts_with("/") || path.starts_with("\\")) {
            rest.push('/');
        }
        rest.push_str(path);
        let parsed_port = match port {
            "" => None,
            p if p.len() <= 5 => parse_decimal(p).and_then(|n| u32::try_from(n).ok()),
            _ => None,
        };
        Some(UrlTarget {
            bad_port: !port.is_empty() && parsed_port.is_none(),
            scheme,
            host: host.to_string(),
            port: parsed_port,
            rest,
        })
    }

    /// The port in effect: the written one, else the scheme's default.
    fn effective_port(&self) -> Option<u32> {
        if self.bad_port {
            return None;
        }
        self.port.or(match self.scheme.as_str() {
            "http" | "ws" => Some(80),
            _ => Some(443),
        })
    }

    /// Whether both are on one origin (scheme, host and port).
    fn same_origin(&self, other: &UrlTarget) -> bool {
        self.scheme == other.scheme
            && self.host == other.host
            && self.effective_port().is_some()
            && self.effective_port() == other.effective_port()
    }
}

/// `host[:port]` (or `[v6]:port`) into the host and the port text.
fn split_port(host_port: &str) -> (&str, &str) {
    if host_port.starts_with("[") {
        return match crate::text::find_byte(host_port, b']') {
            Some(close) => {
                let (host, after) = host_port
                    .split_at_checked(close + 1)
                    .unwrap_or((host_port, ""));
                (host, after.strip_prefix(":").unwrap_or(""))
            }
            None => (host_port, ""),
        };
    }
    crate::text::split_once_byte(host_port, b':').unwrap_or((host_port, ""))
}

/// The host lower-cased, with `%XX` escapes of ASCII decoded as the browser
/// decodes them.
fn decode_host(host: &str) -> String {
    let bytes = host.as_bytes();
    let mut out = String::with_capacity(host.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex_value(h)
                .zip(hex_value(l))
                .map(|(h, l)| h * 16 + l)
                .filter(u8::is_ascii),
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                out.push(char::from(decoded.to_ascii_lowercase()));
                i += 3;
            }
            None => {
                // Not an escape: copy this character whole.
                let len = host
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                if let Some(piece) = host.get(i..i + len) {
                    out.push_str(&piece.to_ascii_lowercase());
                }
                i += len;
            }
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Indices (into the catalogue's services) of the services owning `target`,
/// in catalogue order; empty when it is on no service's host. A plain scan:
/// catalogues are small, and an index would cost every visitor its code.
pub fn owners(catalogue: &Catalogue, target: &UrlTarget) -> Vec<usize> {
    let host = target.host.as_str();
    let on_host = |s: &crate::catalogue::Service| s.hosts.iter().any(|h| h == host);
    let mut owners: Vec<usize> = Vec::new();
    let mut longest = 0;
    let mut by_prefix: Vec<usize> = Vec::new();
    for (i, service) in catalogue.services.iter().enumerate() {
        if !on_host(service) {
            continue;
        }
        owners.push(i);
        for prefix in &service.urls {
            let matches = prefix
                .strip_prefix(host)
                .is_some_and(|path| path.starts_with("/") && target.rest.starts_with(path));
            if !matches || prefix.len() < longest {
                continue;
            }
            if prefix.len() > longest {
                longest = prefix.len();
                by_prefix.clear();
            }
            // Equal prefixes in two services: the checker refuses that, but
            // fail closed and take both.
            if !by_prefix.contains(&i) {
                by_prefix.push(i);
            }
        }
    }
    if by_prefix.is_empty() {
        owners
    } else {
        by_prefix
    }
}

/// Whether a URL may load now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlVerdict {
    /// It is first-party, on no service's host, or every owner is granted.
    Load,
    /// It waits for these services (indices into the catalogue's services,
    /// never empty): owners the choice does not grant.
    Wait(Vec<usize>),
}

/// Whether `url` (as the browser resolved it) may load now on a page at
/// `page` (`location.origin` read by [`UrlTarget::parse`]; `None` when it has
/// no origin) under `choice` (`None`: no choice yet, only required
/// categories). Never refuses a URL of the page's own origin; never lets
/// through a URL whose owner the choice does not grant.
pub fn verdict(
    catalogue: &Catalogue,
    choice: Option<&Choice>,
    page: Option<&UrlTarget>,
    url: &str,
) -> UrlVerdict {
    let Some(target) = UrlTarget::parse(url) else {
        return UrlVerdict::Load;
    };
    if page.is_some_and(|page| page.same_origin(&target)) {
        return UrlVerdict::Load;
    }
    let mut waiting: Vec<usize> = owners(catalogue, &target);
    waiting.retain(|&i| {
        catalogue.services.get(i).map_or(true, |s| {
            decide(catalogue, choice, &s.category, Some(&s.id)) != Decision::Allow
        })
    });
    if waiting.is_empty() {
        UrlVerdict::Load
    } else {
        UrlVerdict::Wait(waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Result<UrlTarget, String> {
        UrlTarget::parse(url).ok_or_else(|| ["no target: ", url].concat())
    }

    #[test]
    fn reads_what_the_browser_reads() -> Result<(), String> {
        let t = target("HTTPS://User:Pw@WWW.Example.COM.:8443/a/B?q=1#frag")?;
        assert_eq!(t.scheme, "https");
        assert_eq!(t.host, "www.example.com");
        assert_eq!(t.port, Some(8443));
        assert_eq!(t.rest, "/a/B?q=1");
        assert_eq!(
            target("https:\\\\cdn.example.com\\x.js")?.host,
            "cdn.example.com"
        );
        assert_eq!(
            target("https://cdn%2Eexample%2ecom/")?.host,
            "cdn.example.com"
        );
        assert_eq!(target("https://cdn.example.com?x")?.rest, "/?x");
        assert_eq!(
            target(" https://cdn.exa\tmple.com/\n")?.host,
            "cdn.example.com"
        );
        assert_eq!(target("https://[::1]:8080/")?.host, "[::1]");
        // The last @ ends the user name, as in the browser.
        assert_eq!(
            target("https://www.googletagmanager.com@evil.example/")?.host,
            "evil.example"
        );
        for not_fetched in [
            "data:text/plain,x",
            "blob:https://a.example/1",
            "about:blank",
            "javascript:x",
            "https://",
            "nonsense",
        ] {
            assert_eq!(UrlTarget::parse(not_fetched), None, "{not_fetched}");
        }
        Ok(())
    }

    #[test]
    fn origins_compare_with_default_ports() -> Result<(), String> {
        let page = target("https://shop.example")?;
        assert!(page.same_origin(&target("https://SHOP.example:443/x")?));
        assert!(!page.same_origin(&target("http://shop.example/x")?));
        assert!(!page.same_origin(&target("https://shop.example:444/x")?));
        assert!(!page.same_origin(&target("https://shop.example:44x/x")?));
        assert!(!page.same_origin(&target("https://www.shop.example/x")?));
        Ok(())
    }
}
