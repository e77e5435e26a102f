//! What a refusal or withdrawal must remove: cookies and storage keys the
//! refused services declare, on every domain and path a tracker may have used.

use super::choice::Choice;
use crate::catalogue::{Catalogue, Service, StorageKind};

/// Names among `present` (the cookies the page can see) that belong to a
/// service the choice does not grant. A name also claimed by a granted
/// service is kept: that service may use it.
pub fn cookies_to_clear<'a>(
    catalogue: &Catalogue,
    choice: &Choice,
    present: &[&'a str],
) -> Vec<&'a str> {
    names_to_clear(catalogue, choice, present, &|s, name| {
        s.cookies.iter().any(|c| c.matcher.matches(name))
    })
}

/// Keys among `present` (of one web storage) that belong to a service the
/// choice does not grant.
pub fn storage_to_clear<'a>(
    catalogue: &Catalogue,
    choice: &Choice,
    kind: StorageKind,
    present: &[&'a str],
) -> Vec<&'a str> {
    names_to_clear(catalogue, choice, present, &|s, name| {
        s.storage
            .iter()
            .any(|k| k.kind == kind && k.matcher.matches(name))
    })
}

/// `claims(service, name)`: whether the service declares the name. One
/// body for cookies and storage (`&dyn`, not a generic per caller).
fn names_to_clear<'a>(
    catalogue: &Catalogue,
    choice: &Choice,
    present: &[&'a str],
    claims: &dyn Fn(&Service, &str) -> bool,
) -> Vec<&'a str> {
    // A plain loop: a filtering iterator collected is two generic bodies more.
    let mut out = Vec::new();
    'names: for &name in present {
        let mut refused = false;
        for s in &catalogue.services {
            if claims(s, name) {
                if choice.service(&s.id) {
                    continue 'names;
                }
                refused = true;
            }
        }
        if refused {
            out.push(name);
        }
    }
    out
}

/// The cookie names in a `document.cookie` string (`a=1; b=2`), each once.
pub fn cookie_names(cookie: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for pair in crate::text::split_byte(cookie, b';') {
        let name = crate::text::before_byte(pair, b'=').trim();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// How many parent domains of the page's host [`deletion_lines`] covers
/// (the shortest ones: a tracker sets its cookie on the site's domain).
pub const MAX_DELETION_DOMAINS: usize = 8;
/// How many leading segments of the page's path [`deletion_lines`] covers.
pub const MAX_DELETION_SEGMENTS: usize = 16;
/// The longest `Path` a browser keeps (RFC 6265bis: 1024 bytes).
pub const MAX_COOKIE_PATH: usize = 1024;

/// The `document.cookie` assignments that delete each of `names` on every
/// domain and path it may have been set with, from a page at `hostname` +
/// `pathname`: host-only, the host and each parent domain with and without
/// a leading dot (never a bare top-level domain), on `/`, the current path
/// and each of its ancestors (an IP address or a single-label host gets
/// host-only ones). `secure`: the page is `https:`, where `__Secure-` and
/// `__Host-` cookies can only be overwritten with `Secure`.
///
/// Bounded, since a visitor can be sent to any URL of the shop: the
/// [`MAX_DELETION_DOMAINS`] shortest parent domains (the registrable one
/// first among them) and the first [`MAX_DELETION_SEGMENTS`] path segments,
/// no path over [`MAX_COOKIE_PATH`] bytes (browsers ignore a longer
/// `Path`). A path of thousands of segments would otherwise make millions
/// of lines, and memory the page does not have.
pub fn deletion_lines(names: &[&str], hostname: &str, pathname: &str, secure: bool) -> Vec<String> {
    let mut domains: Vec<Option<String>> = vec![None];
    let is_ip = is_ip_address(hostname) || hostname.starts_with("[");
    if !is_ip {
        let labels: Vec<&str> = crate::text::split_byte(hostname, b'.')
            .filter(|l| !l.is_empty())
            .collect();
        let last = labels.len().saturating_sub(1);
        for start in last.saturating_sub(MAX_DELETION_DOMAINS)..last {
            let domain = labels
                .get(start..)
                .map(|l| crate::text::join(l, "."))
                .unwrap_or_default();
            domains.push(Some(domain.clone()));
            domains.push(Some(crate::text::concat(&[".", &domain])));
        }
    }
    let mut paths = vec!["/".to_string()];
    let mut current = String::new();
    let segments = crate::text::split_byte(pathname, b'/').filter(|s| !s.is_empty());
    for segment in segments.take(MAX_DELETION_SEGMENTS) {
        if current.len() + segment.len() + 2 > MAX_COOKIE_PATH {
            break;
        }
        current.push('/');
        current.push_str(segment);
        paths.push(current.clone());
        paths.push(crate::text::concat(&[current.as_str(), "/"]));
    }
    let mut out = Vec::with_capacity(domains.len() * paths.len() * names.len());
    for domain in &domains {
        for path in &paths {
            for name in names {
                let mut line = String::with_capacity(64);
                line.push_str(name);
                line.push_str("=; Max-Age=0; Path=");
                line.push_str(path);
                if let Some(d) = domain {
                    line.push_str("; Domain=");
                    line.push_str(d);
                }
                if secure {
                    line.push_str("; Secure");
                }
                out.push(line);
            }
        }
    }
    out
}

/// Whether `host` is an IP address as `std::net::IpAddr` reads one: four
/// decimal octets, or IPv6 groups with one optional `::` and an optional
/// dotted-quad tail. A port of std's reader, step for step, so the wasm does
/// not carry `core::net` (the tests check both agree).
fn is_ip_address(host: &str) -> bool {
    let b = host.as_bytes();
    ipv4(b, 0) == Some(b.len()) || ipv6(b) == Some(b.len())
}

/// Where a number in `radix` starting at `at` ends: 1 to `max_digits`
/// digits, at most `max`, no leading zero unless `zero_prefix_ok`.
fn ip_number(
    b: &[u8],
    at: usize,
    radix: u32,
    max_digits: usize,
    zero_prefix_ok: bool,
    max: u32,
) -> Option<usize> {
    let mut end = at;
    let mut value = 0u32;
    while let Some(digit) = b.get(end).and_then(|c| char::from(*c).to_digit(radix)) {
        value = value * radix + digit;
        end += 1;
        if end - at > max_digits || value > max {
            return None;
        }
    }
    let digits = end - at;
    let leading_zero = b.get(at) == Some(&b'0');
    (digits > 0 && (zero_prefix_ok || !leading_zero || digits == 1)).then_some(end)
}

/// Where a dotted quad starting at `at` ends.
fn ipv4(b: &[u8], mut at: usize) -> Option<usize> {
    for i in 0..4 {
        if i > 0 {
            at = after_separator(b, at, b'.')?;
        }
        at = ip_number(b, at, 10, 3, false, 255)?;
    }
    Some(at)
}

fn after_separator(b: &[u8], at: usize, sep: u8) -> Option<usize> {
    (b.get(at) == Some(&sep)).then_some(at + 1)
}

/// Up to `limit` `:`-separated groups from `at`: where they end, how many
/// 16-bit groups they make, and whether they ended in a dotted quad.
fn ipv6_groups(b: &[u8], mut at: usize, limit: usize) -> (usize, usize, bool) {
    for i in 0..limit {
        let start = if i == 0 {
            Some(at)
        } else {
            after_separator(b, at, b':')
        };
        // A dotted quad is two groups, so it fits only with two slots left.
        if i + 1 < limit {
            if let Some(end) = start.and_then(|s| ipv4(b, s)) {
                return (end, i + 2, true);
            }
        }
        match start.and_then(|s| ip_number(b, s, 16, 4, true, 0xFFFF)) {
            Some(end) => at = end,
            None => return (at, i, false),
        }
    }
    (at, limit, false)
}

/// Where an IPv6 address starting the text ends.
fn ipv6(b: &[u8]) -> Option<usize> {
    let (end, head, head_ipv4) = ipv6_groups(b, 0, 8);
    if head == 8 {
        return Some(end);
    }
    if head_ipv4 || b.get(end..end + 2) != Some(b"::".as_slice()) {
        return None;
    }
    // `::` stands for at least one group.
    Some(ipv6_groups(b, end + 2, 8 - (head + 1)).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_read_once_each() {
        assert_eq!(
            cookie_names("_ga=GA1.1; _gid=x;  _ga=dup; =v; flag"),
            ["_ga", "_gid", "flag"]
        );
        assert!(cookie_names("").is_empty());
    }

    #[test]
    fn ip_addresses_are_told_from_host_names() {
        for ip in [
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "1::",
            "2001:db8::8a2e:370:7334",
            "::ffff:192.0.2.1",
            "1:2:3:4:5:6:1.2.3.4",
            "ABCD:ef01::",
        ] {
            assert!(is_ip_address(ip), "{ip}");
        }
        for host in [
            "",
            "localhost",
            "shop.example",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.4:80",
            "[::1]",
            ":::",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1.2.3.4::",
        ] {
            assert!(!is_ip_address(host), "{host}");
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod ip_properties {
    use super::is_ip_address;
    use proptest::prelude::*;

    fn agrees(s: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            is_ip_address(s),
            s.parse::<std::net::IpAddr>().is_ok(),
            "{:?}",
            s
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Text of the characters addresses are made of: std and ours agree.
        #[test]
        fn agrees_with_std_on_address_like_text(s in "[0-9a-fA-F:.g]{0,45}") {
            agrees(&s)?;
        }

        /// Real addresses, written by std, then cut, doubled or edited.
        #[test]
        fn agrees_with_std_on_real_addresses_and_their_edits(
            v4 in any::<[u8; 4]>(),
            v6 in any::<[u16; 8]>(),
            cut in 0usize..48,
            insert in "[0-9a-f:.]{0,3}",
        ) {
            let v6 = std::net::Ipv6Addr::from(v6);
            for text in [
                std::net::Ipv4Addr::from(v4).to_string(),
                v6.to_string(),
                format!("{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}", v6.segments()[0], v6.segments()[1], v6.segments()[2], v6.segments()[3], v6.segments()[4], v6.segments()[5], v6.segments()[6], v6.segments()[7]),
                v6.to_ipv4_mapped().map(|a| format!("::ffff:{a}")).unwrap_or_default(),
                format!("{}:{}", v6.segments()[0], std::net::Ipv4Addr::from(v4)),
            ] {
                agrees(&text)?;
                let at = cut.min(text.len());
                let (a, b) = text.split_at(at);
                agrees(&[a, &insert, b].concat())?;
                agrees(a)?;
                agrees(&[&text, "0"].concat())?;
            }
        }
    }
}
