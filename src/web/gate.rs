//! The gate: page elements marked `data-category` run or load only once the
//! core's [`admit`] allows them (the choice, the page's nonce, the
//! catalogue's hosts), in document order, each at most once; services'
//! catalogue scripts are injected on consent; elements added later are held
//! the same way; frames of a withdrawn service are unloaded.

use super::page::{
    create, each_under, get_string, listen, loadable, once, page_origin, resolve, root_element,
    url_part, warn, watch_added,
};
use super::trusted;
use crate::catalogue::{Catalogue, Service};
use crate::consent::{
    admit, decide, fetch_early, placeholder, service_script_allowed, srcset, srcset_text,
    trusted as markup_trusted, Admit, Choice, Decision, Held, PageTrust, Ran, Target,
};
use js_sys::{Function, WeakSet};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlScriptElement, MutationObserver, Node};

/// What the gate holds back.
const HELD: &str = "script[type=\"text/plain\" i][data-category],[data-src][data-category],\
                    [data-srcset][data-category],[data-poster][data-category],\
                    link[data-href][data-category]";
/// Set on what the gate let in (and on the scripts it created).
const ACTIVATED: &str = "data-cookiegate-activated";
/// Where a held frame, image, video or link keeps its URLs, and the
/// attribute each becomes, in the order activation sets them.
const MEDIA_URLS: [(&str, &str); 4] = [
    ("data-poster", "poster"),
    ("data-srcset", "srcset"),
    ("data-src", "src"),
    ("data-href", "href"),
];
/// Set on an iframe the gate hid behind a placeholder.
const HIDDEN: &str = "data-cookiegate-hidden";

/// Whoever draws the placeholders of blocked iframes (the UI), and keeps
/// the one list of them.
pub trait Placeholders {
    /// Puts a placeholder before `blocked` (once); whether it has one now.
    fn show(&self, blocked: &Element, service: &Service) -> bool;
    /// Whether `blocked` stands behind a placeholder in the page.
    fn shown(&self, blocked: &Element) -> bool;
    /// Removes the placeholder of `blocked`, which activates; focus moves
    /// to `blocked` if the placeholder had it.
    fn remove(&self, blocked: &Element);
}

/// The placeholders a gate uses.
pub type Placeholder = Rc<dyn Placeholders>;

/// Holds marked elements until the choice allows them.
pub struct Gate {
    catalogue: Rc<Catalogue>,
    nonce: String,
    origin: String,
    placeholder: Option<Placeholder>,
    /// Elements queued or activated: never twice. Outside `state`, like
    /// `warned`: a JS call (`WeakSet.prototype.add` is the page's to
    /// replace) is never made while `state` is borrowed.
    taken: WeakSet,
    /// Elements already warned about.
    warned: WeakSet,
    /// What changes as the page and the choice do. No borrow of it is held
    /// across a call into the page (`focus`, `remove`, `console`, DOM
    /// events): a listener may call `window.cookiegate` from there, and a
    /// nested borrow would trap the whole module.
    state: RefCell<State>,
}

struct State {
    choice: Option<Choice>,
    queue: VecDeque<Element>,
    /// External scripts inserted and not yet loaded (or failed): an inline
    /// script waits for them, as it would behind them in the parser.
    loading: usize,
    /// The scripts that ran (marked, and the catalogue's own): they cannot
    /// be unloaded, so a withdrawal of these needs a reload.
    ran: Vec<Ran>,
    /// Frames and media the gate let in (also "Load this once"): unloaded
    /// when the choice no longer allows them.
    shown: Vec<Element>,
    /// Services whose catalogue scripts were injected.
    injected: Vec<String>,
    /// Queued scripts that may be fetched ahead of their turn, in queue
    /// order, each with its URL and its `<link rel=preload>` once put:
    /// dropped once the script is inserted or no longer admitted.
    preloads: Vec<(Element, String, Option<Element>)>,
    /// The choice changed since the preloads were judged.
    recheck_preloads: bool,
    observer: Option<(MutationObserver, JsValue)>,
}

/// What became of a queued element.
enum Step {
    /// It was let in.
    Done,
    /// It stayed blocked (and was warned about).
    Failed,
}

/// An inline script (no URL): it must wait for the external scripts before it.
fn is_inline_script(el: &Element) -> bool {
    el.tag_name() == "SCRIPT" && !el.has_attribute("data-src") && !el.has_attribute("src")
}

/// Frames and media keep talking to their host while shown: they are
/// unloaded on a withdrawal. (Images are done once loaded.)
fn keeps_loading(el: &Element) -> bool {
    matches!(el.tag_name().as_str(), "IFRAME" | "VIDEO" | "AUDIO")
}

/// A URL as the browser resolved it, and what the gate sets from it.
struct Resolved {
    protocol: String,
    hostname: String,
    origin: String,
}

impl Resolved {
    /// Stands for a URL that did not parse: the core refuses it.
    fn unreadable() -> Resolved {
        Resolved {
            protocol: String::new(),
            hostname: String::new(),
            origin: String::new(),
        }
    }

    fn of(url: &web_sys::Url) -> Resolved {
        Resolved {
            protocol: url_part(url, "protocol"),
            hostname: url_part(url, "hostname"),
            origin: url_part(url, "origin"),
        }
    }
}

/// What the gate read from a held element: its marks, its code and every
/// URL it would load. Activation sets exactly what was judged.
struct Reading {
    /// A `<script>`: it runs as a fresh copy.
    script: bool,
    /// An `<iframe>`: held behind a placeholder.
    frame: bool,
    category: String,
    service: Option<String>,
    nonce: String,
    inline_code: bool,
    script_type: Option<String>,
    urls: Vec<Resolved>,
    /// `(attribute, value)` the activation sets, in this order: a script's
    /// `src`, else `poster`, `srcset`, `src`, `href`.
    sets: Vec<(&'static str, String)>,
}

impl Reading {
    fn of(el: &Element) -> Reading {
        let tag = el.tag_name();
        let script = tag == "SCRIPT";
        let mut reading = Reading {
            script,
            frame: tag == "IFRAME",
            category: el.get_attribute("data-category").unwrap_or_default(),
            service: el.get_attribute("data-service").filter(|s| !s.is_empty()),
            // The property: under a CSP header the attribute reads back empty.
            nonce: get_string(el, "nonce").unwrap_or_default(),
            inline_code: el
                .get_attribute_names()
                .iter()
                .filter_map(|n| n.as_string())
                .any(|n| n.len() > 2 && n.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"))),
            script_type: None,
            urls: Vec::new(),
            sets: Vec::new(),
        };
        // `(read from, set as)`: a script's first URL; else every one of
        // these, in this order (`data-href` only on a `<link>`).
        let sources: &[(&str, &'static str)] = if script {
            &[("data-src", "src"), ("src", "src")]
        } else if tag == "LINK" {
            &MEDIA_URLS
        } else {
            MEDIA_URLS.get(..3).unwrap_or_default()
        };
        for (from, to) in sources {
            let Some(value) = el.get_attribute(from) else {
                continue;
            };
            if *to == "srcset" {
                reading.srcset(&value);
            } else {
                reading.url(to, &value);
            }
            if script {
                break;
            }
        }
        if script {
            reading.script_type = el.get_attribute("data-type");
            // Every URL read leaves an entry, readable or not: none, no `src`.
            reading.inline_code |= reading.urls.is_empty();
        }
        reading
    }

    fn url(&mut self, attr: &'static str, value: &str) {
        if let Some(href) = self.resolve(value) {
            self.sets.push((attr, href));
        }
    }

    /// Resolves `value`, leaves its entry (readable or not) and returns
    /// its `href`: one body for a single URL and each srcset candidate.
    fn resolve(&mut self, value: &str) -> Option<String> {
        let Some(url) = resolve(value) else {
            self.urls.push(Resolved::unreadable());
            return None;
        };
        self.urls.push(Resolved::of(&url));
        Some(url_part(&url, "href"))
    }

    /// Every candidate is checked and the attribute rebuilt from the
    /// resolved URLs, so the browser loads nothing the core did not see.
    fn srcset(&mut self, value: &str) {
        let Some(candidates) = srcset(value).filter(|c| !c.is_empty()) else {
            return self.urls.push(Resolved::unreadable());
        };
        let mut hrefs = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            if let Some(href) = self.resolve(candidate.url) {
                hrefs.push((href, candidate.descriptor));
            }
        }
        match srcset_text(&hrefs) {
            Some(text) => self.sets.push(("srcset", text)),
            None => self.urls.push(Resolved::unreadable()),
        }
    }

    fn targets(&self) -> Vec<Target<'_>> {
        self.urls
            .iter()
            .map(|u| Target {
                protocol: &u.protocol,
                hostname: &u.hostname,
                origin: &u.origin,
            })
            .collect()
    }

    /// What the core judges: the marks and code read, with `targets`.
    fn held<'r>(&'r self, targets: &'r [Target<'r>]) -> Held<'r> {
        Held {
            category: &self.category,
            service: self.service.as_deref(),
            nonce: &self.nonce,
            inline_code: self.inline_code,
            script_type: self.script_type.as_deref(),
            targets,
        }
    }

    fn set(&self, attr: &str) -> Option<&str> {
        self.sets
            .iter()
            .find(|(a, _)| *a == attr)
            .map(|(_, v)| v.as_str())
    }
}

fn warn_element(what: &str, el: &Element) {
    let tag = el.tag_name().to_ascii_lowercase();
    let category = el.get_attribute("data-category").unwrap_or_default();
    let service = el.get_attribute("data-service").unwrap_or_default();
    warn(&crate::text::concat(&[
        what,
        ", so it stays blocked: <",
        &tag,
        " data-category=\"",
        &category,
        "\" data-service=\"",
        &service,
        "\">",
    ]));
}

impl Gate {
    /// A gate for `catalogue`; `nonce` is the page's (from cookiegate's own
    /// tag): held inline code must carry it, and every script the gate
    /// creates gets it.
    pub fn new(
        catalogue: Rc<Catalogue>,
        nonce: String,
        placeholder: Option<Placeholder>,
    ) -> Rc<Gate> {
        Rc::new(Gate {
            catalogue,
            nonce,
            origin: page_origin(),
            placeholder,
            taken: WeakSet::new(),
            warned: WeakSet::new(),
            state: RefCell::new(State {
                choice: None,
                queue: VecDeque::new(),
                loading: 0,
                ran: Vec::new(),
                shown: Vec::new(),
                injected: Vec::new(),
                preloads: Vec::new(),
                recheck_preloads: false,
                observer: None,
            }),
        })
    }

    fn page(&self) -> PageTrust<'_> {
        PageTrust {
            origin: &self.origin,
            nonce: &self.nonce,
        }
    }

    /// The core's word on `el` under the current choice, and what was read.
    fn admission(&self, el: &Element) -> (Admit<'_>, Reading) {
        let reading = Reading::of(el);
        let targets = reading.targets();
        let admit = admit(
            &self.catalogue,
            self.state.borrow().choice.as_ref(),
            self.page(),
            &reading.held(&targets),
            reading.frame,
        );
        (admit, reading)
    }

    /// Lets in everything `choice` allows (`None`: no choice yet, only
    /// required categories), and unloads frames it no longer allows.
    pub fn apply(self: &Rc<Self>, choice: Option<&Choice>) {
        {
            let mut st = self.state.borrow_mut();
            st.choice = choice.cloned();
            st.recheck_preloads = true;
        }
        self.unload_withdrawn();
        if let Some(root) = root_element() {
            each_under(&root, HELD, &|el| self.consider(el));
        }
        self.inject_services();
        self.pump();
    }

    /// What ran on this page and cannot be unloaded, added to `into`.
    pub fn ran(&self, into: &mut Vec<Ran>) {
        into.extend(self.state.borrow().ran.iter().cloned());
    }

    /// Watches the document for elements added later.
    pub fn watch(self: &Rc<Self>) {
        let gate = Rc::downgrade(self);
        let observer = watch_added(move |added| {
            let Some(gate) = gate.upgrade() else { return };
            for el in added {
                gate.consider_tree(el);
            }
            gate.pump();
        });
        self.state.borrow_mut().observer = observer;
    }

    /// "Load this once": activates one blocked element the gate placed a
    /// placeholder for, whatever the choice, if its markup is trusted (its
    /// URL on its service's hosts). A later refusal unloads it again.
    pub fn load_once(self: &Rc<Self>, el: &Element) {
        let held = self.placeholder.as_ref().is_some_and(|p| p.shown(el)) && !self.taken.has(el);
        if !held {
            return;
        }
        let reading = Reading::of(el);
        let targets = reading.targets();
        // A placeholder stands only for a frame: no script type to judge.
        match markup_trusted(&self.catalogue, self.page(), &reading.held(&targets)) {
            Ok(()) => {
                self.taken.add(el);
                self.activate_src(el, &reading);
            }
            Err(why) => warn_element(why.says(), el),
        }
    }

    fn consider_tree(self: &Rc<Self>, el: Element) {
        if el.matches(HELD).unwrap_or(false) {
            self.consider(el.clone());
        }
        each_under(&el, HELD, &|el| self.consider(el));
    }

    fn consider(self: &Rc<Self>, el: Element) {
        if el.has_attribute(ACTIVATED) || self.taken.has(&el) {
            return;
        }
        let (admit, reading) = self.admission(&el);
        match admit {
            Admit::Activate => {
                let early = reading
                    .set("src")
                    .filter(|_| reading.script)
                    .filter(|_| fetch_early(&admit, true, reading.script_type.as_deref()))
                    .map(str::to_owned);
                self.taken.add(&el);
                let mut st = self.state.borrow_mut();
                if let Some(href) = early {
                    st.preloads.push((el.clone(), href, None));
                }
                st.queue.push_back(el);
            }
            Admit::Hold => {}
            Admit::Placeholder(service) => self.hold(&el, service),
            Admit::Refuse(why) => self.refuse(&el, why.says()),
        }
    }

    /// Warns once about an element that is never activated.
    fn refuse(&self, el: &Element, why: &str) {
        if !self.warned.has(el) {
            self.warned.add(el);
            warn_element(why, el);
        }
    }

    /// Puts the placeholder of `service` over a blocked frame, once.
    fn hold(&self, el: &Element, service: &Service) {
        let Some(placeholders) = &self.placeholder else {
            return;
        };
        if placeholders.shown(el) {
            return;
        }
        if placeholders.show(el, service) && !el.has_attribute("hidden") {
            let _ = el.set_attribute("hidden", "");
            let _ = el.set_attribute(HIDDEN, "");
            // Page CSS (`iframe { display: block }`) beats `hidden`: an
            // empty frame would show beside the placeholder.
            if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
                let _ = h
                    .style()
                    .set_property_with_priority("display", "none", "important");
            }
        }
    }

    /// Frames and media of a service the choice no longer allows (also
    /// those loaded once) go back to blank and behind their placeholder:
    /// they stop talking to their host now, not at the next reload.
    fn unload_withdrawn(&self) {
        let shown: Vec<Element> = std::mem::take(&mut self.state.borrow_mut().shown);
        let mut kept = Vec::with_capacity(shown.len());
        for el in shown {
            if !el.is_connected() {
                continue;
            }
            let (admit, reading) = self.admission(&el);
            if matches!(admit, Admit::Activate) {
                kept.push(el);
                continue;
            }
            if reading.frame {
                let _ = el.set_attribute("src", "about:blank");
            } else {
                let _ = el.remove_attribute("src");
                let _ = el.remove_attribute("poster");
                // A media element keeps its connection until told to reload.
                if let Some(load) =
                    super::page::get(&el, "load").and_then(|f| f.dyn_into::<Function>().ok())
                {
                    let _ = load.call0(&el);
                }
            }
            let _ = el.remove_attribute(ACTIVATED);
            self.taken.delete(&el);
            // Withdrawn or now refused, a frame stands behind its placeholder.
            let service = reading.service.as_deref();
            if let Some(service) = placeholder(&self.catalogue, service, reading.frame) {
                self.hold(&el, service);
            }
        }
        self.state.borrow_mut().shown.extend(kept);
    }

    /// Activates queued elements in order, each judged again under the
    /// current choice (it may have been withdrawn since it was queued).
    /// External scripts start loading at once, in parallel: non-`async`
    /// ones still run in their order (the browser's ordered list for
    /// `async = false`), `async` ones when they arrive. An inline script
    /// waits until every external script before it has loaded (or failed),
    /// so it finds what they define.
    fn pump(self: &Rc<Self>) {
        loop {
            let next = {
                let mut st = self.state.borrow_mut();
                match st.queue.front() {
                    Some(el) if st.loading > 0 && is_inline_script(el) => None,
                    _ => Some(st.queue.pop_front()),
                }
            };
            let Some(next) = next else {
                return self.preload_queued();
            };
            let Some(el) = next else { return };
            if !el.is_connected() {
                self.unpreload(&el);
                continue;
            }
            let (admit, reading) = self.admission(&el);
            if !matches!(admit, Admit::Activate) {
                self.unpreload(&el);
            }
            match admit {
                Admit::Activate => {}
                Admit::Hold | Admit::Placeholder(_) => {
                    self.taken.delete(&el);
                    if let Admit::Placeholder(service) = admit {
                        self.hold(&el, service);
                    }
                    continue;
                }
                Admit::Refuse(why) => {
                    self.refuse(&el, why.says());
                    continue;
                }
            }
            let script = reading.script;
            // A script counts as run before it is inserted: an inline one
            // runs inside the insertion and may withdraw the very choice
            // that let it in (`window.cookiegate.rejectAll()`), and the plan
            // for that must know it ran (to reload). Taken back if the
            // browser refused it.
            let ran = (script && !reading.category.starts_with("!")).then(|| Ran::Marked {
                category: reading.category.clone(),
                service: reading.service.clone(),
            });
            if let Some(ran) = &ran {
                self.state.borrow_mut().ran.push(ran.clone());
            }
            let step = if script {
                let step = self.activate_script(&el, &reading);
                // Inserted (its fetch found the preload) or failed.
                self.unpreload(&el);
                step
            } else if self.activate_src(&el, &reading) {
                Step::Done
            } else {
                Step::Failed
            };
            if let (Step::Failed, Some(ran)) = (step, ran) {
                let mut st = self.state.borrow_mut();
                if let Some(i) = st.ran.iter().rposition(|r| *r == ran) {
                    st.ran.remove(i);
                }
            }
        }
    }

    /// While an inline script waits for the external ones before it, the
    /// external scripts queued behind it that the core admits now start
    /// loading (a preload, with the nonce and the fetch attributes the
    /// script will have, so the browser reuses it); they still run in order,
    /// each judged again at its turn. One no longer admitted loses its link.
    fn preload_queued(&self) {
        // Taken out while links are put: `admission` and `preload_link` do
        // not touch the list, nothing is queued meanwhile.
        let (mut early, recheck) = {
            let mut st = self.state.borrow_mut();
            let early = std::mem::take(&mut st.preloads);
            (early, std::mem::take(&mut st.recheck_preloads))
        };
        early.retain_mut(|(el, href, link)| {
            if link.is_some() && !recheck {
                return true;
            }
            // Judged when queued; again only once the choice has changed.
            let admitted =
                el.is_connected() && (!recheck || matches!(self.admission(el).0, Admit::Activate));
            if !admitted {
                // Its judgement at queueing is stale: it loads at its turn, if then admitted.
                if let Some(link) = link {
                    link.remove();
                }
                return false;
            }
            if link.is_none() {
                // Without a link the script simply loads at its turn.
                *link = self.preload_link(el, href);
            }
            true
        });
        let mut st = self.state.borrow_mut();
        early.append(&mut st.preloads);
        st.preloads = early;
    }

    /// The link: the gate's nonce (`script-src` checks a preload too) and
    /// the script's own fetch attributes, so the fetch matches the script's.
    fn preload_link(&self, script: &Element, href: &str) -> Option<Element> {
        let link = create(None, "link").ok()?;
        let sets = [
            ("rel", "preload"),
            ("as", "script"),
            ("href", href),
            ("nonce", &self.nonce),
        ];
        for (attr, value) in sets.into_iter().filter(|(_, v)| !v.is_empty()) {
            link.set_attribute(attr, value).ok()?;
        }
        for attr in ["crossorigin", "integrity", "referrerpolicy"] {
            if let Some(value) = script.get_attribute(attr) {
                link.set_attribute(attr, &value).ok()?;
            }
        }
        let head = root_element()?.query_selector("head").ok()??;
        head.append_child(&link).ok()?;
        Some(link)
    }

    /// Drops the early fetch of `script` and removes its link, if it has one.
    fn unpreload(&self, script: &Element) {
        let link = {
            let mut st = self.state.borrow_mut();
            match st.preloads.iter().position(|(s, _, _)| s == script) {
                Some(i) => st.preloads.remove(i).2,
                None => None,
            }
        };
        if let Some(link) = link {
            link.remove();
        }
    }

    /// Sets what was judged (`poster`, `srcset`, `src`, `href`) on an
    /// iframe, image, video, link or the like.
    fn activate_src(&self, el: &Element, reading: &Reading) -> bool {
        if reading.sets.is_empty() {
            warn_element("it has no URL to load", el);
            return false;
        }
        for (attr, value) in &reading.sets {
            if el.set_attribute(attr, value).is_err() {
                warn_element("the browser refused its URL", el);
                return false;
            }
        }
        let _ = el.set_attribute(ACTIVATED, "");
        if el.has_attribute(HIDDEN) {
            let _ = el.remove_attribute(HIDDEN);
            let _ = el.remove_attribute("hidden");
            // `hold` hid it with an inline style too: show it.
            if let Some(style) = el.dyn_ref::<web_sys::HtmlElement>().map(|h| h.style()) {
                if style
                    .get_property_value("display")
                    .is_ok_and(|d| d == "none")
                {
                    let _ = style.remove_property("display");
                }
            }
        }
        let keep = keeps_loading(el);
        {
            let mut st = self.state.borrow_mut();
            if keep && !st.shown.contains(el) {
                st.shown.push(el.clone());
            }
        }
        // Last, with nothing borrowed: removing the placeholder may move
        // focus, and a focus listener may change the choice, which must
        // find this element among those shown (to unload it again).
        if let Some(p) = &self.placeholder {
            p.remove(el);
        }
        true
    }

    /// Replaces a held script by a fresh one, which the browser runs.
    fn activate_script(self: &Rc<Self>, old: &Element, reading: &Reading) -> Step {
        match self.fresh_script(old, reading) {
            Ok((fresh, external)) => {
                let Some(parent) = old.parent_node() else {
                    return Step::Failed;
                };
                if external {
                    let gate = Rc::downgrade(self);
                    let resume = once(move || {
                        if let Some(gate) = gate.upgrade() {
                            {
                                let mut st = gate.state.borrow_mut();
                                st.loading = st.loading.saturating_sub(1);
                            }
                            gate.pump();
                        }
                    });
                    // Only one of the two fires.
                    for kind in ["load", "error"] {
                        let _ = listen(&fresh, kind, &resume, false);
                    }
                }
                if parent.replace_child(&fresh, old).is_ok() {
                    if external {
                        self.state.borrow_mut().loading += 1;
                    }
                    return Step::Done;
                }
                warn_element("the browser refused to insert it", old);
                Step::Failed
            }
            Err(_) => {
                warn_element("the browser refused to copy it", old);
                Step::Failed
            }
        }
    }

    /// The running copy of a held script (judged: its URL and code are
    /// allowed) and whether it loads a URL.
    fn fresh_script(
        &self,
        old: &Element,
        reading: &Reading,
    ) -> Result<(HtmlScriptElement, bool), JsValue> {
        let fresh = self.new_script()?;
        let names = old.get_attribute_names();
        for name in names.iter().filter_map(|n| n.as_string()) {
            // `nonce` reads back empty under CSP (nonce hiding); set below.
            if matches!(
                name.as_str(),
                "type" | "src" | "data-src" | "data-type" | "nonce"
            ) {
                continue;
            }
            fresh.set_attribute(&name, &old.get_attribute(&name).unwrap_or_default())?;
        }
        if let Some(t) = &reading.script_type {
            fresh.set_attribute("type", t)?;
        }
        // A created script is async unless told otherwise; a non-`async`
        // one must keep its order among the others.
        fresh.set_async(old.has_attribute("async"));
        let external = match reading.set("src") {
            Some(href) => {
                js_sys::Reflect::set(&fresh, &"src".into(), &trusted::script_url(href))?;
                true
            }
            None => {
                let text = old.text_content().unwrap_or_default();
                js_sys::Reflect::set(&fresh, &"text".into(), &trusted::script_text(&text))?;
                false
            }
        };
        Ok((fresh, external))
    }

    /// A `<script>` the gate creates: marked as let in, with the page's
    /// nonce (every script the gate creates carries it).
    fn new_script(&self) -> Result<HtmlScriptElement, JsValue> {
        let script: HtmlScriptElement = create(None, "script")?.unchecked_into();
        script.set_attribute(ACTIVATED, "")?;
        if !self.nonce.is_empty() {
            script.set_attribute("nonce", &self.nonce)?;
        }
        Ok(script)
    }

    /// Injects, once each, the catalogue scripts of every allowed service.
    fn inject_services(&self) {
        let Some(root) = root_element() else {
            return;
        };
        let head = root.query_selector("head").ok().flatten();
        let parent = Node::from(head.unwrap_or(root));
        for (index, service) in self
            .catalogue
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.scripts.is_empty())
        {
            let allowed = {
                let st = self.state.borrow();
                !st.injected.contains(&service.id)
                    && decide(
                        &self.catalogue,
                        st.choice.as_ref(),
                        &service.category,
                        Some(&service.id),
                    ) == Decision::Allow
            };
            if !allowed {
                continue;
            }
            {
                let mut st = self.state.borrow_mut();
                st.injected.push(service.id.clone());
                st.ran.push(Ran::Service(index));
            }
            for spec in &service.scripts {
                let ok = loadable(&spec.src)
                    .filter(|u| {
                        let (protocol, host) = (url_part(u, "protocol"), url_part(u, "hostname"));
                        service_script_allowed(&protocol, &host, &service.hosts)
                    })
                    .and_then(|url| {
                        let href = url_part(&url, "href");
                        self.service_script(service, &href, spec).ok()
                    })
                    .and_then(|script| parent.append_child(&script).ok());
                if ok.is_none() {
                    warn(&crate::text::concat(&[
                        "could not inject ",
                        &spec.src,
                        " for service ",
                        &service.id,
                    ]));
                }
            }
        }
    }

    fn service_script(
        &self,
        service: &Service,
        href: &str,
        spec: &crate::catalogue::ScriptSpec,
    ) -> Result<HtmlScriptElement, JsValue> {
        let script = self.new_script()?;
        script.set_attribute("data-service", &service.id)?;
        if let Some(integrity) = &spec.integrity {
            script.set_attribute("integrity", integrity)?;
            script.set_attribute("crossorigin", "anonymous")?;
        }
        script.set_async(spec.is_async);
        js_sys::Reflect::set(&script, &"src".into(), &trusted::script_url(href))?;
        Ok(script)
    }
}
