//! The gate never raises the trust of markup (issue 10), in headless
//! Chromium: inline code needs the page's nonce, URLs their service's
//! hosts, also for "Load this once"; nothing queued runs after a
//! withdrawal; frames of a withdrawn service are unloaded; `data-srcset`,
//! `data-poster` and `data-href` are held like `data-src`.
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::catalogue::{Catalogue, Service};
use cookiegate::consent::Choice;
use cookiegate::web::gate::{Gate, Placeholders};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;
use web_support::{catalogue, container, document, element, log, reloads, reset_log, sleep};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/web_support/tracker.js")]
extern "C" {
    #[wasm_bindgen(js_name = trackerUrl)]
    fn tracker_url() -> String;
}

/// An https: URL on no service's hosts.
const OFF_HOSTS: &str = "https://off-hosts.example/x";

fn ran() -> Vec<String> {
    log("__ran").into_iter().filter(|s| !s.is_empty()).collect()
}

/// Placeholders that are plain `<div>`s, with a button, put before the
/// blocked frame.
#[derive(Default)]
struct Divs(RefCell<Vec<(Element, Element)>>);

impl Placeholders for Divs {
    fn show(&self, blocked: &Element, _: &Service) -> bool {
        let Ok(div) = document().create_element("div") else {
            return false;
        };
        let _ = div.set_attribute("data-test-placeholder", "");
        let shown = blocked.before_with_node_1(&div).is_ok();
        self.0.borrow_mut().push((blocked.clone(), div));
        shown
    }

    fn shown(&self, blocked: &Element) -> bool {
        let list = self.0.borrow();
        list.iter().any(|(b, d)| b == blocked && d.is_connected())
    }

    fn remove(&self, blocked: &Element) {
        let mut list = self.0.borrow_mut();
        for (_, div) in list.iter().filter(|(b, _)| b == blocked) {
            div.remove();
        }
        list.retain(|(b, _)| b != blocked);
    }
}

/// A gate for a page whose nonce is `n0nce`, whose placeholders are [`Divs`].
fn gate() -> (Rc<Catalogue>, Rc<Gate>) {
    reset_log("__ran");
    let catalogue = Rc::new(catalogue());
    let gate = Gate::new(
        catalogue.clone(),
        "n0nce".into(),
        Some(Rc::new(Divs::default())),
    );
    (catalogue, gate)
}

fn inline(parent: &Element, name: &str, category: &str, nonce: Option<&str>) -> Element {
    let code = ["window.__ran.push('", name, "')"].concat();
    let mut attrs = vec![("type", "text/plain"), ("data-category", category)];
    if let Some(n) = nonce {
        attrs.push(("nonce", n));
    }
    element(parent, "script", &attrs, &code)
}

fn frame(parent: &Element, src: &str) -> Element {
    element(
        parent,
        "iframe",
        &[
            ("data-category", "social"),
            ("data-service", "youtube"),
            ("data-src", src),
        ],
        "",
    )
}

#[wasm_bindgen_test]
async fn inline_code_runs_only_with_the_page_nonce() {
    let (catalogue, gate) = gate();
    let page = container();
    inline(&page, "own", "analytics", Some("n0nce"));
    let injected = inline(&page, "injected", "necessary", None);
    let guessed = inline(&page, "guessed", "analytics", Some("guess"));
    // An event-handler attribute is inline code too.
    let pixel = element(
        &page,
        "img",
        &[
            ("data-category", "analytics"),
            ("data-src", &tracker_url()),
            ("onload", "window.__ran.push('onload')"),
        ],
        "",
    );
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    sleep(200).await;
    assert_eq!(ran(), ["own"]);
    for el in [&injected, &guessed] {
        assert_eq!(el.get_attribute("type").as_deref(), Some("text/plain"));
    }
    assert!(pixel.get_attribute("src").is_none());
    page.remove();
}

#[wasm_bindgen_test]
async fn urls_load_only_from_their_services_hosts() {
    let (catalogue, gate) = gate();
    let page = container();
    let on = frame(&page, &tracker_url());
    let off = frame(&page, OFF_HOSTS);
    let script = element(
        &page,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("data-service", "ga"),
            ("data-src", OFF_HOSTS),
        ],
        "",
    );
    gate.apply(None);
    assert!(
        !off.previous_element_sibling()
            .is_some_and(|e| e.has_attribute("data-test-placeholder")),
        "no placeholder offers to load what would be refused"
    );
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    sleep(100).await;
    assert_eq!(on.get_attribute("src"), Some(tracker_url()));
    assert!(off.get_attribute("src").is_none());
    assert_eq!(script.get_attribute("type").as_deref(), Some("text/plain"));
    page.remove();
}

#[wasm_bindgen_test]
async fn load_once_checks_the_url_again() {
    let (_, gate) = gate();
    let page = container();
    let changed = frame(&page, &tracker_url());
    let kept = frame(&page, &tracker_url());
    gate.apply(None);
    // Held with a good URL, then pointed elsewhere before the click.
    changed.set_attribute("data-src", OFF_HOSTS).unwrap();
    gate.load_once(&changed);
    gate.load_once(&kept);
    sleep(50).await;
    assert!(changed.get_attribute("src").is_none());
    assert_eq!(kept.get_attribute("src"), Some(tracker_url()));
    page.remove();
}

#[wasm_bindgen_test]
async fn nothing_queued_runs_after_a_withdrawal() {
    let (catalogue, gate) = gate();
    let page = container();
    let src = [tracker_url().as_str(), "?first"].concat();
    element(
        &page,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("data-src", &src),
            ("data-type", "module"),
        ],
        "",
    );
    let queued = inline(&page, "queued", "analytics", Some("n0nce"));
    gate.apply(Some(&Choice::only_categories(&catalogue, &["analytics"])));
    // The inline script waits for the external one; the visitor withdraws.
    gate.apply(Some(&Choice::reject_all(&catalogue)));
    // The external one had started: wait for it (a loaded machine is slow).
    for _ in 0..100 {
        if !ran().is_empty() {
            break;
        }
        sleep(50).await;
    }
    sleep(100).await;
    assert_eq!(ran(), ["first"], "the queued inline script never runs");
    assert_eq!(queued.get_attribute("type").as_deref(), Some("text/plain"));
    // Granted again, it runs after all (at once: nothing is loading).
    gate.apply(Some(&Choice::only_categories(&catalogue, &["analytics"])));
    assert_eq!(ran(), ["first", "queued"]);
    page.remove();
}

#[wasm_bindgen_test]
async fn a_refusal_unloads_frames_loaded_once_or_granted() {
    let (catalogue, gate) = gate();
    let page = container();
    let once = frame(&page, &tracker_url());
    gate.apply(None);
    gate.load_once(&once);
    assert_eq!(once.get_attribute("src"), Some(tracker_url()));
    gate.apply(Some(&Choice::reject_all(&catalogue)));
    assert_eq!(once.get_attribute("src").as_deref(), Some("about:blank"));
    assert!(!once.has_attribute("data-cookiegate-activated"));
    assert!(
        once.previous_element_sibling()
            .is_some_and(|e| e.has_attribute("data-test-placeholder")),
        "its placeholder is back"
    );
    // Granted, then withdrawn: the same.
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    assert_eq!(once.get_attribute("src"), Some(tracker_url()));
    assert!(
        !reloads(&gate, &catalogue, Some(&Choice::reject_all(&catalogue))),
        "a frame is unloaded, not reloaded"
    );
    gate.apply(Some(&Choice::reject_all(&catalogue)));
    assert_eq!(once.get_attribute("src").as_deref(), Some("about:blank"));
    sleep(10).await;
    page.remove();
}

#[wasm_bindgen_test]
async fn srcset_poster_and_link_href_are_held() {
    let (catalogue, gate) = gate();
    let page = container();
    let url = tracker_url();
    let set = [url.as_str(), "?a 1x, ", url.as_str(), "?b 2x"].concat();
    let img = element(
        &page,
        "img",
        &[("data-category", "social"), ("data-srcset", &set)],
        "",
    );
    let mixed = [
        "https://off-hosts.example/a.jpg 1x, ",
        url.as_str(),
        "?c 2x",
    ]
    .concat();
    let off_img = element(
        &page,
        "img",
        &[("data-category", "social"), ("data-srcset", &mixed)],
        "",
    );
    let video = element(
        &page,
        "video",
        &[("data-category", "social"), ("data-poster", &url)],
        "",
    );
    let link = element(
        &page,
        "link",
        &[
            ("rel", "preload"),
            ("as", "image"),
            ("data-category", "social"),
            ("data-href", &url),
        ],
        "",
    );
    gate.apply(None);
    for el in [&img, &off_img, &video, &link] {
        for attr in ["srcset", "poster", "href"] {
            assert!(el.get_attribute(attr).is_none(), "{attr} before consent");
        }
    }
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    let want = [url.as_str(), "?a 1x, ", url.as_str(), "?b 2x"].concat();
    assert_eq!(img.get_attribute("srcset"), Some(want));
    assert!(
        off_img.get_attribute("srcset").is_none(),
        "one candidate off its hosts"
    );
    assert_eq!(video.get_attribute("poster"), Some(url.clone()));
    assert_eq!(link.get_attribute("href"), Some(url));
    sleep(10).await;
    page.remove();
}
