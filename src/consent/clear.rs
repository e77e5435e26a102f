//! What a refusal or withdrawal must remove: cookies and storage keys the
//! refused services declare, on every domain and path a tracker may have used.

use super::choice::Choice;
use crate::catalogue::{Catalogue, StorageKind};

/// Names among `present` (the cookies the page can see) that belong to a
/// service the choice does not grant. A name also claimed by a granted
/// service is kept: that service may use it.
pub fn cookies_to_clear<'a>(
    catalogue: &Catalogue,
    choice: &Choice,
    present: &[&'a str],
) -> Vec<&'a str> {
    names_to_clear(catalogue, choice, present, |s| {
        s.cookies.iter().map(|c| &c.matcher).collect()
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
    names_to_clear(catalogue, choice, present, |s| {
        s.storage
            .iter()
            .filter(|k| k.kind == kind)
            .map(|k| &k.matcher)
            .collect()
    })
}

fn names_to_clear<'a, F>(
    catalogue: &Catalogue,
    choice: &Choice,
    present: &[&'a str],
    matchers: F,
) -> Vec<&'a str>
where
    F: Fn(&crate::catalogue::Service) -> Vec<&crate::catalogue::Matcher>,
{
    present
        .iter()
        .copied()
        .filter(|name| {
            let mut refused = false;
            for s in &catalogue.services {
                if matchers(s).iter().any(|m| m.matches(name)) {
                    if choice.service(&s.id) {
                        return false;
                    }
                    refused = true;
                }
            }
            refused
        })
        .collect()
}

/// The cookie names in a `document.cookie` string (`a=1; b=2`), each once.
pub fn cookie_names(cookie: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for pair in cookie.split(';') {
        let name = pair.split('=').next().unwrap_or("").trim();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Every `(domain, path)` a cookie may have been set with, as seen from a page
/// at `hostname` + `pathname`: host-only (`None`), the host and each parent
/// domain with and without a leading dot (never a bare top-level domain), on
/// `/`, the current path and each of its ancestors. An IP address or a
/// single-label host gets host-only variants.
pub fn deletion_variants(hostname: &str, pathname: &str) -> Vec<(Option<String>, String)> {
    let mut domains: Vec<Option<String>> = vec![None];
    let is_ip = hostname.parse::<std::net::IpAddr>().is_ok() || hostname.starts_with('[');
    if !is_ip {
        let labels: Vec<&str> = hostname.split('.').filter(|l| !l.is_empty()).collect();
        for start in 0..labels.len().saturating_sub(1) {
            let domain = labels.get(start..).map(|l| l.join(".")).unwrap_or_default();
            domains.push(Some(domain.clone()));
            domains.push(Some(format!(".{domain}")));
        }
    }
    let mut paths = vec!["/".to_string()];
    let mut current = String::new();
    for segment in pathname.split('/').filter(|s| !s.is_empty()) {
        current.push('/');
        current.push_str(segment);
        paths.push(current.clone());
        paths.push(format!("{current}/"));
    }
    let mut out = Vec::with_capacity(domains.len() * paths.len());
    for d in &domains {
        for p in &paths {
            out.push((d.clone(), p.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_read_once_each() {
        assert_eq!(cookie_names("_ga=GA1.1; _gid=x;  _ga=dup; =v; flag"), ["_ga", "_gid", "flag"]);
        assert!(cookie_names("").is_empty());
    }
}
