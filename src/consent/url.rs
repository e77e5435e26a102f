//! Which URLs cookiegate may load: `https:` anywhere, or `http:` on the
//! page's own origin (the demo stands trackers in locally). Never
//! `javascript:`, `data:`, `blob:` or anything else.

/// Whether a URL the browser resolved to `protocol` (`"https:"`) and
/// `origin` (`"https://example.com"`) may be loaded from a page at
/// `page_origin`.
pub fn may_load(protocol: &str, origin: &str, page_origin: &str) -> bool {
    match protocol {
        "https:" => true,
        "http:" => origin == page_origin && origin != "null",
        _ => false,
    }
}

/// Whether `host` (as the browser's URL parser reports it, lowercase) is one
/// of a service's declared `hosts`.
pub fn on_hosts(host: &str, hosts: &[String]) -> bool {
    !host.is_empty() && hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// Whether a script the catalogue lists under a service's `scripts` may be
/// injected from this resolved URL: `https:` and on that service's own
/// `hosts` (never the page's origin by default, never `http:`).
pub fn service_script_allowed(protocol: &str, hostname: &str, hosts: &[String]) -> bool {
    protocol == "https:" && on_hosts(hostname, hosts)
}

/// The address a catalogue link in the UI may point to: only an absolute
/// `https:` URL (the reader checks them, but a `javascript:` URL must never
/// become clickable whatever reaches the UI). `None`: shown as plain text.
pub fn link_href(href: &str) -> Option<&str> {
    href.starts_with("https://").then_some(href)
}

/// Lowercase hex of `bytes`: a consent id from 16 random bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_same_origin() {
        let page = "http://localhost:8000";
        assert!(may_load("https:", "https://www.googletagmanager.com", page));
        assert!(may_load("http:", "http://localhost:8000", page));
        assert!(!may_load("http:", "http://evil.example", page));
        assert!(!may_load("http:", "null", "null"));
        for p in ["javascript:", "data:", "blob:", "file:", "ftp:"] {
            assert!(!may_load(p, page, page), "{p}");
        }
    }

    #[test]
    fn hosts_match_exactly() {
        let hosts = vec!["www.googletagmanager.com".to_string()];
        assert!(on_hosts("www.googletagmanager.com", &hosts));
        assert!(!on_hosts("googletagmanager.com", &hosts));
        assert!(!on_hosts("www.googletagmanager.com.evil.example", &hosts));
        assert!(!on_hosts("", &hosts));
    }

    #[test]
    fn service_scripts_need_https_on_their_own_hosts() {
        let hosts = vec!["mc.yandex.ru".to_string()];
        assert!(service_script_allowed("https:", "mc.yandex.ru", &hosts));
        assert!(!service_script_allowed("http:", "mc.yandex.ru", &hosts));
        assert!(!service_script_allowed(
            "https:",
            "mc.yandex.ru.evil.example",
            &hosts
        ));
        assert!(!service_script_allowed("https:", "localhost", &hosts));
        assert!(!service_script_allowed("https:", "", &hosts));
    }

    #[test]
    fn only_https_links_become_clickable() {
        assert_eq!(
            link_href("https://shop.example/privacy"),
            Some("https://shop.example/privacy")
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "http://shop.example/privacy",
            "//shop.example/privacy",
            "/privacy",
            " https://shop.example",
            "",
        ] {
            assert_eq!(link_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(hex(&[0, 1, 0xab, 0xff]), "0001abff");
        assert_eq!(hex(&[7; 16]).len(), 32);
    }
}
