//! The `urls` field of a service: scheme-less URL prefixes that tell
//! services apart on a host they share, as a catalogue editor meets them.
// The full messages are `cookiegate check`'s: native only.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{assert_one, edit, VALID};
use cookiegate::catalogue;

const GA_URLS: &str = "\"urls\": [\"www.googletagmanager.com/gtag/js?id=G-\"]";

fn with_ga_urls(urls: &str) -> String {
    edit(GA_URLS, &["\"urls\": ", urls].concat())
}

#[test]
fn prefixes_load_into_the_model() {
    let c = catalogue::load(VALID.as_bytes()).expect("the fixture is valid");
    let ga = c.service("google-analytics").expect("the fixture has GA");
    assert_eq!(ga.urls, ["www.googletagmanager.com/gtag/js?id=G-"]);
    assert!(c.service("shop").is_some_and(|s| s.urls.is_empty()));
}

#[test]
fn a_prefix_is_written_without_the_scheme() {
    let text = with_ga_urls("[\"https://www.googletagmanager.com/gtag/js?id=G-\"]");
    assert_one(
        &text,
        "$.services[2].urls[0]",
        "\"https://www.googletagmanager.com/gtag",
        &[
            "is not a URL prefix",
            "without the scheme: \"www.googletagmanager.com/gtag/js?id=G-\"",
        ],
    );
}

#[test]
fn a_bare_host_belongs_under_hosts() {
    let text = with_ga_urls("[\"www.googletagmanager.com\"]");
    assert_one(
        &text,
        "$.services[2].urls[0]",
        "\"www.googletagmanager.com\"]",
        &[
            "the path it starts with",
            "a bare host belongs under \"hosts\"",
        ],
    );
}

#[test]
fn a_prefix_host_must_be_one_of_the_service_hosts() {
    let text = with_ga_urls("[\"connect.facebook.net/en_US/fbevents.js\"]");
    assert_one(
        &text,
        "$.services[2].urls[0]",
        "\"connect.facebook.net/en_US",
        &["\"connect.facebook.net\" is not one of this service's \"hosts\""],
    );
}

#[test]
fn a_prefix_belongs_to_one_service() {
    let text = edit(
        "\"hosts\": [\"connect.facebook.net\"],",
        "\"urls\": [\"www.googletagmanager.com/gtag/js?id=G-\"], \"hosts\": [\"connect.facebook.net\", \"www.googletagmanager.com\"],",
    );
    assert_one(
        &text,
        "$.services[3].urls[0]",
        "\"www.googletagmanager.com/gtag/js?id=G-\"], \"hosts\"",
        &[
            "\"google-analytics\" already claims the prefix",
            "keep it in one",
        ],
    );
}

#[test]
fn a_prefix_is_listed_once() {
    let text = with_ga_urls(
        "[\"www.googletagmanager.com/gtag/js?id=G-\", \"www.googletagmanager.com/gtag/js?id=G-\"]",
    );
    let problems = common::problems(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].path, "$.services[2].urls[1]");
    assert!(
        problems[0].message().contains("listed twice"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_fragment_or_a_port_is_refused() {
    for (prefix, says) in [
        ("www.googletagmanager.com/gtm.js#x", "#fragment"),
        ("www.googletagmanager.com:443/gtm.js", "no port"),
        ("WWW.googletagmanager.com/gtm.js", "lower case"),
    ] {
        let text = with_ga_urls(&["[\"", prefix, "\"]"].concat());
        let at = ["\"", prefix].concat();
        assert_one(&text, "$.services[2].urls[0]", &at, &[says]);
    }
}
