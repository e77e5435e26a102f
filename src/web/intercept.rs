//! What tags inject. The bootstrap intercepts every script, iframe, img,
//! link, embed, object and source a page's code gives a URL on another
//! origin, and every `fetch`, `XMLHttpRequest`, `sendBeacon` and
//! `document.write` that reaches one, and asks here
//! ([`crate::consent::verdict`] decides). A held element gets its URL once
//! every owner is granted, in the order it was held; a refused request fails
//! as a blocked one does. Elements the HTML parser (or `innerHTML`) added
//! with a URL of a service cannot be stopped before they load: the console
//! says so once each.

use super::page::{
    each_under, get, get_string, info, page_origin, resolve_as_is, root_element, url_part, warn,
    watch_added,
};
use crate::catalogue::Catalogue;
use crate::consent::{owners, verdict, Choice, Ran, UrlTarget, UrlVerdict};
use js_sys::{Array, Function, WeakSet};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MutationObserver, Url};

/// Elements whose URL the browser fetches as soon as the parser reads them.
const MARKUP: &str = "script[src],iframe[src],img[src],link[href],embed[src],object[data]";

/// Most distinct console messages one page gets from here.
const MAX_SAID: usize = 100;

/// The bootstrap's interception, once the module is up.
pub struct Intercept {
    catalogue: Rc<Catalogue>,
    /// The page's own origin, read once.
    page: Option<UrlTarget>,
    /// The bootstrap's `{held, passed, once, ask}`.
    hub: JsValue,
    state: RefCell<State>,
}

struct State {
    choice: Option<Choice>,
    /// Held elements, in the order they were held.
    held: Vec<Held>,
    /// The owners of each script let in: withdrawing one needs a reload.
    ran: Vec<Ran>,
    /// Console messages already given: each is said once.
    said: Vec<String>,
    observer: Option<(MutationObserver, JsValue)>,
}

/// One held element: the bootstrap's record (with `release`) and its URLs
/// (space-separated, as the bootstrap passes them).
struct Held {
    record: JsValue,
    urls: String,
    kind: String,
}

/// The URLs of a space-separated list (kept as one string: no list to build).
fn each_url(urls: &str) -> impl Iterator<Item = &str> {
    crate::text::split_byte(urls, b' ').filter(|u| !u.is_empty())
}

/// What the bootstrap calls a request (refused) rather than an element (held).
fn is_request(kind: &str) -> bool {
    matches!(kind, "fetch" | "XMLHttpRequest" | "sendBeacon")
}

/// Calls `record[name]()`; a record that throws changes nothing here.
fn call(record: &JsValue, name: &str) {
    if let Some(f) = get(record, name).and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = f.call0(record);
    }
}

fn strings(value: Option<JsValue>) -> Vec<String> {
    value
        .filter(Array::is_array)
        .map(|v| {
            Array::from(&v)
                .iter()
                .filter_map(|s| s.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The bootstrap's `WeakSet` named `name`.
fn weak_set(hub: &JsValue, name: &str) -> Option<WeakSet> {
    get(hub, name).and_then(|s| s.dyn_into::<WeakSet>().ok())
}

impl Intercept {
    /// Takes over the bootstrap's interception `hub` for `catalogue`.
    pub fn new(catalogue: Rc<Catalogue>, hub: JsValue) -> Rc<Intercept> {
        Rc::new(Intercept {
            catalogue,
            page: UrlTarget::parse(&page_origin()),
            hub,
            state: RefCell::new(State {
                choice: None,
                held: Vec::new(),
                ran: Vec::new(),
                said: Vec::new(),
                observer: None,
            }),
        })
    }

    /// From now on the bootstrap asks here synchronously; what waited for
    /// the module is judged now, in order; markup that loaded unstopped is
    /// named, now and whenever more is added.
    pub fn connect(self: &Rc<Self>) {
        let me: Weak<Intercept> = Rc::downgrade(self);
        let ask = Closure::<dyn Fn(String, String, JsValue) -> bool>::new(
            move |urls: String, kind: String, record: JsValue| {
                me.upgrade().is_some_and(|i| i.ask(urls, kind, record))
            },
        )
        .into_js_value();
        if js_sys::Reflect::set(&self.hub, &"ask".into(), &ask).is_err() {
            return;
        }
        if let Some(waiting) = get(&self.hub, "held").filter(Array::is_array) {
            let waiting = Array::from(&waiting);
            for record in waiting
                .splice(0, waiting.length(), &JsValue::UNDEFINED)
                .iter()
            {
                let mut urls = String::new();
                for (i, url) in strings(get(&record, "urls")).iter().enumerate() {
                    if i > 0 {
                        urls.push(' ');
                    }
                    urls.push_str(url);
                }
                let kind = get_string(&record, "kind").unwrap_or_default();
                if self.ask(urls, kind, record.clone()) {
                    call(&record, "release");
                }
            }
        }
        if let Some(root) = root_element() {
            self.check_markup(&root);
        }
        self.watch();
    }

    /// The bootstrap's question about one record (its URLs, space-separated,
    /// and its kind, passed apart so a URL that loads costs less): `true`
    /// when it may go ahead now; else it is held here, or refused.
    fn ask(&self, urls: String, kind: String, record: JsValue) -> bool {
        let waiting = self.waiting(&urls);
        if waiting.is_empty() {
            self.loaded(&kind, &urls);
            return true;
        }
        let names = self.names(&waiting);
        let are = if waiting.len() == 1 { " is" } else { " are" };
        let host = each_url(&urls)
            .next()
            .and_then(|u| Url::new(u).ok())
            .map(|u| url_part(&u, "host"))
            .unwrap_or_default();
        if is_request(&kind) {
            call(&record, "refuse");
            self.say_once(
                false,
                &crate::text::concat(&[
                    "refused ",
                    &kind,
                    " to ",
                    &host,
                    ": ",
                    &names,
                    are,
                    " not accepted",
                ]),
            );
        } else if kind == "document.write" {
            self.say_once(
                true,
                &crate::text::concat(&[
                    "dropped a document.write that would load from ",
                    &host,
                    " (",
                    &names,
                    are,
                    " not accepted): written markup cannot wait for consent",
                ]),
            );
        } else {
            self.say_once(
                false,
                &crate::text::concat(&[
                    "holding <",
                    &kind,
                    "> from ",
                    &host,
                    " until ",
                    &names,
                    are,
                    " accepted",
                ]),
            );
            self.state
                .borrow_mut()
                .held
                .push(Held { record, urls, kind });
        }
        false
    }

    /// Follows a new choice (`None`: none yet): what it grants now gets its
    /// URL, in the order it was held; requests are judged by it from now on.
    pub fn apply(&self, choice: Option<&Choice>) {
        let held = {
            let mut st = self.state.borrow_mut();
            st.choice = choice.cloned();
            std::mem::take(&mut st.held)
        };
        let mut still = Vec::with_capacity(held.len());
        for h in held {
            if get(&h.record, "dead").is_some_and(|d| d.is_truthy()) {
                continue;
            }
            if self.waiting(&h.urls).is_empty() {
                self.loaded(&h.kind, &h.urls);
                call(&h.record, "release");
            } else {
                still.push(h);
            }
        }
        let mut st = self.state.borrow_mut();
        still.append(&mut st.held);
        st.held = still;
    }

    /// The owners of the scripts let in here, added to `into`: they cannot
    /// be unloaded, so withdrawing one needs a reload.
    pub fn ran(&self, into: &mut Vec<Ran>) {
        into.extend(self.state.borrow().ran.iter().cloned());
    }

    /// "Load this once": the visitor let this one element in.
    pub fn let_through(&self, el: &Element) {
        if let Some(once) = weak_set(&self.hub, "once") {
            once.add(el);
        }
    }

    /// The owners of `urls` the current choice does not grant.
    fn waiting(&self, urls: &str) -> Vec<usize> {
        let st = self.state.borrow();
        let mut waiting: Vec<usize> = Vec::new();
        for url in each_url(urls) {
            let v = verdict(&self.catalogue, st.choice.as_ref(), self.page.as_ref(), url);
            if let UrlVerdict::Wait(owners) = v {
                for i in owners {
                    if !waiting.contains(&i) {
                        waiting.push(i);
                    }
                }
            }
        }
        waiting
    }

    /// Remembers who owns a script that is let in, for [`Self::ran`].
    fn loaded(&self, kind: &str, urls: &str) {
        if kind != "script" {
            return;
        }
        let mut st = self.state.borrow_mut();
        for url in each_url(urls) {
            if let Some(target) = UrlTarget::parse(url) {
                for owner in owners(&self.catalogue, &target) {
                    if !st.ran.contains(&Ran::Service(owner)) {
                        st.ran.push(Ran::Service(owner));
                    }
                }
            }
        }
    }

    /// `a, b and c`: the ids of the services at `indices`.
    fn names(&self, indices: &[usize]) -> String {
        let mut ids = indices
            .iter()
            .filter_map(|&i| self.catalogue.services.get(i))
            .peekable();
        let mut out = String::new();
        while let Some(s) = ids.next() {
            if !out.is_empty() {
                out.push_str(if ids.peek().is_none() { " and " } else { ", " });
            }
            out.push_str(&s.id);
        }
        out
    }

    /// Says `message` (a warning, else information) unless it was said, or
    /// [`MAX_SAID`] messages were (a page full of pixels must not flood the console).
    fn say_once(&self, warning: bool, message: &str) {
        {
            let mut st = self.state.borrow_mut();
            if st.said.len() >= MAX_SAID || st.said.iter().any(|m| m == message) {
                return;
            }
            st.said.push(message.to_string());
        }
        if warning {
            warn(message);
        } else {
            info(message);
        }
    }

    /// Names each element at or under `root` that the parser (or innerHTML)
    /// gave a URL of a service needing consent: it loaded unstopped.
    fn check_markup(&self, root: &Element) {
        let passed = weak_set(&self.hub, "passed");
        let check = |el: Element| {
            if passed.as_ref().is_some_and(|p| p.has(&el)) || el.has_attribute("data-category") {
                return;
            }
            let tag = el.tag_name().to_ascii_lowercase();
            let attr = match tag.as_str() {
                "link" => "href",
                "object" => "data",
                _ => "src",
            };
            let Some(href) = el
                .get_attribute(attr)
                .and_then(|v| resolve_as_is(&v))
                .map(|u| url_part(&u, "href"))
            else {
                return;
            };
            let UrlVerdict::Wait(owners) =
                verdict(&self.catalogue, None, self.page.as_ref(), &href)
            else {
                return;
            };
            let Some(service) = owners.first().and_then(|&i| self.catalogue.services.get(i)) else {
                return;
            };
            self.say_once(
                true,
                &crate::text::concat(&[
                    "<",
                    &tag,
                    " ",
                    attr,
                    "=\"",
                    &href,
                    "\"> came in as markup (the page's HTML or innerHTML), so the browser requested it before cookiegate could hold it; it belongs to ",
                    &self.names(&owners),
                    ", which needs consent. Mark it to wait: data-category=\"",
                    &service.category,
                    "\" data-service=\"",
                    &service.id,
                    "\", data-src instead of ",
                    attr,
                    " (and type=\"text/plain\" on a script)",
                ]),
            );
        };
        if root.matches(MARKUP).unwrap_or(false) {
            check(root.clone());
        }
        each_under(root, MARKUP, &check);
    }

    /// Checks markup added later (the parser goes on after the module is up).
    fn watch(self: &Rc<Self>) {
        let me = Rc::downgrade(self);
        let observer = watch_added(move |added| {
            let Some(me) = me.upgrade() else { return };
            for el in &added {
                me.check_markup(el);
            }
        });
        self.state.borrow_mut().observer = observer;
    }
}
