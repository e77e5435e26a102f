//! One page in its own browser context (a fresh profile: no cookies, no
//! storage): navigation, and everything the browser reports while it runs —
//! requests (including failed ones) of the page and of its frames and
//! workers, cookie writes and who made them, console errors.

use super::cdp::{Cdp, CdpError};
use super::observe::{url_host, url_origin, CookieSeen, ElementSeen, RequestSeen, StorageSeen};
use crate::catalogue::StorageKind;
use crate::consent::cookie_names;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a page may take to load.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
/// A page has settled once no request was in flight for this long...
const QUIET: Duration = Duration::from_millis(500);
/// ...or after this long in any case (a tracker may poll for ever).
const SETTLE_MAX: Duration = Duration::from_secs(6);

/// Where the page's own scripts write cookies from: a `document.cookie`
/// setter (and `cookieStore.set`) that notes the name and the first script
/// URL on the stack, then does what the browser's own would. Installed
/// before any page script, in every frame.
const COOKIE_WRITE_HOOK: &str = r#"(() => {
  const KEY = '__cookiegateScanCookieWrites';
  if (Object.prototype.hasOwnProperty.call(window, KEY)) return;
  const writes = [];
  Object.defineProperty(window, KEY, { value: writes, enumerable: false });
  const writer = () => {
    const lines = String(new Error().stack || '').split('\n');
    for (const line of lines) {
      const m = /((?:https?|file):\/\/[^\s()]+?)(?::\d+){1,2}\)?\s*$/.exec(line);
      if (m) return m[1];
    }
    return String(location.href);
  };
  const note = (name) => { if (writes.length < 2000) writes.push([String(name), writer()]); };
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (desc && desc.set && desc.get) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: desc.enumerable, get: desc.get,
      set(value) {
        try { note(String(value).split(';')[0].split('=')[0].trim()); } catch (e) {}
        return desc.set.call(this, value);
      },
    });
  }
  if (window.CookieStore && CookieStore.prototype.set) {
    const set = CookieStore.prototype.set;
    CookieStore.prototype.set = function (a) {
      try { note(typeof a === 'string' ? a : a && a.name); } catch (e) {}
      return set.apply(this, arguments);
    };
  }
})();"#;

/// Why a page could not be scanned.
#[derive(Debug)]
pub enum PageError {
    /// The page could not be loaded.
    Unreachable {
        /// The URL.
        url: String,
        /// The browser's or the server's answer.
        reason: String,
    },
    /// The browser stopped answering.
    Browser(CdpError),
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Unreachable { url, reason } => write!(f, "{url} is unreachable: {reason}"),
            PageError::Browser(e) => e.fmt(f),
        }
    }
}

impl From<CdpError> for PageError {
    fn from(e: CdpError) -> Self {
        PageError::Browser(e)
    }
}

/// A page in a fresh browser context.
pub struct Tab<'a> {
    cdp: &'a mut Cdp,
    context: String,
    session: String,
    children: Vec<String>,
    /// Request ids still loading (unique across targets: a frame's document
    /// request starts in its parent's session and ends in its own).
    inflight: HashSet<String>,
    last_activity: Instant,
    requests: Vec<RequestSeen>,
    request_urls: HashMap<String, String>,
    http_writes: Vec<(String, String)>,
    main_frame: Option<String>,
    main_status: Option<(u16, String)>,
    loaded: bool,
    console: Vec<String>,
}

impl<'a> Tab<'a> {
    /// A fresh context with one blank page, every domain the scan reads
    /// enabled and the cookie-write hook installed.
    pub fn open(cdp: &'a mut Cdp) -> Result<Tab<'a>, CdpError> {
        let created = cdp.call(
            None,
            "Target.createBrowserContext",
            json!({ "disposeOnDetach": true }),
        )?;
        let context = str_of(&created, "browserContextId");
        let target = cdp.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank", "browserContextId": context }),
        )?;
        let target_id = str_of(&target, "targetId");
        let attached = cdp.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session = str_of(&attached, "sessionId");
        let mut tab = Tab {
            cdp,
            context,
            session: session.clone(),
            children: Vec::new(),
            inflight: HashSet::new(),
            last_activity: Instant::now(),
            requests: Vec::new(),
            request_urls: HashMap::new(),
            http_writes: Vec::new(),
            main_frame: None,
            main_status: None,
            loaded: false,
            console: Vec::new(),
        };
        tab.prepare(&session, true)?;
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false }),
        )?;
        Ok(tab)
    }

    /// Enables what the scan reads on a page or frame session.
    fn prepare(&mut self, session: &str, is_page: bool) -> Result<(), CdpError> {
        let s = Some(session);
        self.cdp.call(s, "Network.enable", json!({}))?;
        self.cdp.call(s, "Page.enable", json!({}))?;
        self.cdp.call(
            s,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": COOKIE_WRITE_HOOK }),
        )?;
        if is_page {
            self.cdp.call(s, "Runtime.enable", json!({}))?;
            self.cdp.call(s, "DOMStorage.enable", json!({}))?;
        }
        self.cdp.call(
            s,
            "Target.setAutoAttach",
            json!({ "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true }),
        )?;
        Ok(())
    }

    /// Sends a command to the page and handles what arrived meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, CdpError> {
        let session = self.session.clone();
        let result = self.cdp.call(Some(&session), method, params);
        self.handle_events()?;
        result
    }

    /// Waits up to `wait` for events and handles them.
    fn pump(&mut self, wait: Duration) -> Result<(), CdpError> {
        self.cdp.poll(wait)?;
        self.handle_events()
    }

    fn ours(&self, session: Option<&str>) -> bool {
        session.is_some_and(|s| s == self.session || self.children.iter().any(|c| c == s))
    }

    fn handle_events(&mut self) -> Result<(), CdpError> {
        loop {
            let events = self.cdp.take_events();
            if events.is_empty() {
                return Ok(());
            }
            for event in events {
                if !self.ours(event.session.as_deref()) {
                    continue;
                }
                self.handle(
                    event.session.as_deref().unwrap_or(""),
                    &event.method,
                    &event.params,
                )?;
            }
        }
    }

    fn handle(&mut self, session: &str, method: &str, p: &Value) -> Result<(), CdpError> {
        let is_page = session == self.session;
        match method {
            "Target.attachedToTarget" => {
                let child = str_of(p, "sessionId");
                let kind = p
                    .pointer("/targetInfo/type")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                self.children.push(child.clone());
                let s = Some(child.as_str());
                // A frame or worker we cannot prepare (already gone) is not an error.
                match kind {
                    "iframe" => {
                        let _ = self.prepare(&child, false);
                    }
                    "worker" | "shared_worker" | "service_worker" => {
                        let _ = self.cdp.call(s, "Network.enable", json!({}));
                    }
                    _ => {}
                }
                let _ = self
                    .cdp
                    .call(s, "Runtime.runIfWaitingForDebugger", json!({}));
            }
            "Network.requestWillBeSent" => {
                let id = str_of(p, "requestId");
                let url = p
                    .pointer("/request/url")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                self.last_activity = Instant::now();
                if let Some(host) = url_host(url) {
                    self.inflight.insert(id.clone());
                    self.request_urls.insert(id, url.to_string());
                    self.requests.push(RequestSeen {
                        url: url.to_string(),
                        host,
                        initiator: initiator(p),
                    });
                }
            }
            "Network.loadingFinished" | "Network.loadingFailed" => {
                self.last_activity = Instant::now();
                self.inflight.remove(&str_of(p, "requestId"));
            }
            "Network.responseReceived" => {
                let document = p.get("type").and_then(Value::as_str) == Some("Document");
                let frame = p.get("frameId").and_then(Value::as_str);
                if is_page && document && frame.is_some() && frame == self.main_frame.as_deref() {
                    let status = p
                        .pointer("/response/status")
                        .and_then(Value::as_f64)
                        .unwrap_or(0.0);
                    let text = p
                        .pointer("/response/statusText")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    self.main_status = Some((status as u16, text.to_string()));
                }
            }
            "Network.responseReceivedExtraInfo" => {
                let url = self
                    .request_urls
                    .get(&str_of(p, "requestId"))
                    .cloned()
                    .unwrap_or_default();
                if let Some(headers) = p.get("headers").and_then(Value::as_object) {
                    for (name, value) in headers {
                        if !name.eq_ignore_ascii_case("set-cookie") {
                            continue;
                        }
                        for line in value.as_str().unwrap_or("").lines() {
                            if let Some(cookie) =
                                cookie_names(line.split(';').next().unwrap_or("")).first()
                            {
                                self.http_writes.push((cookie.to_string(), url.clone()));
                            }
                        }
                    }
                }
            }
            "Page.frameNavigated" if is_page && p.pointer("/frame/parentId").is_none() => {
                self.main_frame = p
                    .pointer("/frame/id")
                    .and_then(Value::as_str)
                    .map(String::from);
            }
            "Page.loadEventFired" if is_page => self.loaded = true,
            "Runtime.consoleAPICalled" if is_page => {
                let level = p.get("type").and_then(Value::as_str).unwrap_or("");
                if matches!(level, "error" | "warning") {
                    let text: Vec<String> = p
                        .get("args")
                        .and_then(Value::as_array)
                        .map(|args| args.iter().map(remote_text).collect())
                        .unwrap_or_default();
                    self.console
                        .push(format!("console.{level}: {}", text.join(" ")));
                }
            }
            "Runtime.exceptionThrown" if is_page => {
                let details = p.get("exceptionDetails").cloned().unwrap_or(Value::Null);
                let text = details
                    .pointer("/exception/description")
                    .and_then(Value::as_str)
                    .or_else(|| details.get("text").and_then(Value::as_str))
                    .unwrap_or("");
                self.console.push(format!("uncaught: {text}"));
            }
            _ => {}
        }
        Ok(())
    }

    /// Loads `url` and waits for its load event.
    pub fn navigate(&mut self, url: &str) -> Result<(), PageError> {
        self.loaded = false;
        self.main_status = None;
        let unreachable = |reason: String| PageError::Unreachable {
            url: url.to_string(),
            reason,
        };
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = nav
            .get("errorText")
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty())
        {
            return Err(unreachable(error.to_string()));
        }
        if let Some(frame) = nav.get("frameId").and_then(Value::as_str) {
            self.main_frame = Some(frame.to_string());
        }
        let deadline = Instant::now() + LOAD_TIMEOUT;
        while !self.loaded && Instant::now() < deadline {
            self.pump(Duration::from_millis(100))?;
        }
        match &self.main_status {
            Some((status, text)) if *status >= 400 => Err(unreachable(format!(
                "the server answered HTTP {status} {text}"
            ))),
            None if !self.loaded => Err(unreachable(format!(
                "no answer within {} s",
                LOAD_TIMEOUT.as_secs()
            ))),
            _ => Ok(()),
        }
    }

    /// Waits until the network has been quiet for a moment.
    pub fn settle(&mut self) -> Result<(), CdpError> {
        let start = Instant::now();
        self.last_activity = Instant::now();
        while start.elapsed() < SETTLE_MAX {
            self.pump(Duration::from_millis(100))?;
            if self.inflight.is_empty() && self.last_activity.elapsed() >= QUIET {
                break;
            }
        }
        Ok(())
    }

    /// Waits `wait` while handling events.
    pub fn wait(&mut self, wait: Duration) -> Result<(), CdpError> {
        let start = Instant::now();
        while start.elapsed() < wait {
            self.pump(Duration::from_millis(50))?;
        }
        Ok(())
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns
    /// its value; a thrown exception is returned as `Err` text.
    pub fn eval(&mut self, expression: &str) -> Result<Result<Value, String>, CdpError> {
        let reply = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        Ok(match reply.get("exceptionDetails") {
            Some(details) => Err(details
                .pointer("/exception/description")
                .and_then(Value::as_str)
                .or_else(|| details.get("text").and_then(Value::as_str))
                .unwrap_or("exception")
                .to_string()),
            None => Ok(reply
                .pointer("/result/value")
                .cloned()
                .unwrap_or(Value::Null)),
        })
    }

    /// Clicks at a point of the viewport as a mouse would.
    pub fn click(&mut self, x: f64, y: f64) -> Result<(), CdpError> {
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )?;
        }
        Ok(())
    }

    /// The requests attempted since the last call.
    pub fn take_requests(&mut self) -> Vec<RequestSeen> {
        std::mem::take(&mut self.requests)
    }

    /// The console errors and warnings so far.
    pub fn console(&self) -> &[String] {
        &self.console
    }

    /// Every cookie of this context, with who wrote it where known.
    pub fn cookies(&mut self) -> Result<Vec<CookieSeen>, CdpError> {
        let mut writers: Vec<(String, String)> = self.http_writes.clone();
        let sessions: Vec<String> = std::iter::once(self.session.clone())
            .chain(self.children.iter().cloned())
            .collect();
        for s in sessions {
            let reply = self.cdp.call(
                Some(&s),
                "Runtime.evaluate",
                json!({ "expression": "JSON.stringify(window.__cookiegateScanCookieWrites || [])", "returnByValue": true }),
            );
            let Ok(reply) = reply else { continue };
            let text = reply
                .pointer("/result/value")
                .and_then(Value::as_str)
                .unwrap_or("[]");
            if let Ok(Value::Array(list)) = serde_json::from_str::<Value>(text) {
                for pair in list {
                    if let (Some(name), Some(by)) = (
                        pair.get(0).and_then(Value::as_str),
                        pair.get(1).and_then(Value::as_str),
                    ) {
                        writers.push((name.to_string(), by.to_string()));
                    }
                }
            }
        }
        self.handle_events()?;
        let reply = self.cdp.call(
            None,
            "Storage.getCookies",
            json!({ "browserContextId": self.context }),
        )?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let list = reply
            .get("cookies")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(list
            .iter()
            .map(|c| {
                let name = str_of(c, "name");
                let session = c.get("session").and_then(Value::as_bool).unwrap_or(false);
                let expires = c.get("expires").and_then(Value::as_f64).unwrap_or(-1.0);
                let set_by = writers
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == name)
                    .map(|(_, by)| by.clone());
                CookieSeen {
                    lifetime_secs: (!session && expires > 0.0)
                        .then(|| (expires - now).max(0.0).round() as u64),
                    domain: str_of(c, "domain"),
                    path: str_of(c, "path"),
                    name,
                    set_by,
                }
            })
            .collect())
    }

    /// The `localStorage` and `sessionStorage` keys of every frame's storage
    /// (a third-party frame's storage is partitioned by the top-level site:
    /// it is read through the frame's storage key).
    pub fn storage(&mut self) -> Result<Vec<StorageSeen>, CdpError> {
        let mut frames: Vec<(String, String, String)> = Vec::new();
        let sessions: Vec<String> = std::iter::once(self.session.clone())
            .chain(self.children.iter().cloned())
            .collect();
        for s in &sessions {
            let Ok(tree) = self.cdp.call(Some(s), "Page.getFrameTree", json!({})) else {
                continue;
            };
            collect_frames(
                s,
                tree.get("frameTree").unwrap_or(&Value::Null),
                &mut frames,
            );
        }
        let mut read: Vec<Value> = Vec::new();
        let mut out = Vec::new();
        for (session, frame, origin) in frames {
            let key = self
                .cdp
                .call(
                    Some(&session),
                    "Storage.getStorageKeyForFrame",
                    json!({ "frameId": frame }),
                )
                .ok()
                .and_then(|r| {
                    r.get("storageKey")
                        .and_then(Value::as_str)
                        .map(String::from)
                });
            for (kind, local) in [(StorageKind::Local, true), (StorageKind::Session, false)] {
                let id = match &key {
                    Some(k) => json!({ "storageKey": k, "isLocalStorage": local }),
                    None => json!({ "securityOrigin": origin, "isLocalStorage": local }),
                };
                if read.contains(&id) {
                    continue;
                }
                read.push(id.clone());
                let _ = self
                    .cdp
                    .call(Some(&session), "DOMStorage.enable", json!({}));
                let reply = self.cdp.call(
                    Some(&session),
                    "DOMStorage.getDOMStorageItems",
                    json!({ "storageId": id }),
                );
                let Ok(reply) = reply else { continue };
                for entry in reply
                    .get("entries")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(key) = entry.get(0).and_then(Value::as_str) {
                        out.push(StorageSeen {
                            origin: origin.clone(),
                            kind,
                            key: key.to_string(),
                        });
                    }
                }
            }
        }
        self.handle_events()?;
        Ok(out)
    }

    /// The page's script and iframe elements that load from a URL, and the
    /// `data-service` ids its marked elements name.
    pub fn elements(&mut self) -> Result<(Vec<ElementSeen>, Vec<String>), CdpError> {
        const LIST: &str = r#"JSON.stringify({
          elements: Array.from(document.querySelectorAll('script[src], iframe[src]')).map((e) => [
            e.localName, e.src, e.getAttribute('data-category')]),
          services: Array.from(document.querySelectorAll('[data-service]')).map((e) => e.getAttribute('data-service')),
        })"#;
        let value = self.eval(LIST)?.unwrap_or(Value::Null);
        let parsed: Value = value
            .as_str()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null);
        let elements = parsed
            .get("elements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let src = e.get(1).and_then(Value::as_str)?.to_string();
                Some(ElementSeen {
                    tag: e.get(0).and_then(Value::as_str)?.to_string(),
                    host: url_host(&src)?,
                    src,
                    category: e.get(2).and_then(Value::as_str).map(String::from),
                })
            })
            .collect();
        let mut services: Vec<String> = Vec::new();
        for id in parsed
            .get("services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = id.as_str() {
                if !services.iter().any(|s| s == id) {
                    services.push(id.to_string());
                }
            }
        }
        Ok((elements, services))
    }

    /// The page's links to its own origin, without fragments, each once.
    pub fn same_origin_links(&mut self) -> Result<Vec<String>, CdpError> {
        const LINKS: &str = r#"JSON.stringify(Array.from(document.links).map((a) => {
          try { const u = new URL(a.href, document.baseURI); if (u.origin !== location.origin) return null;
                u.hash = ''; return u.href; } catch (e) { return null; } }).filter(Boolean))"#;
        let value = self.eval(LINKS)?.unwrap_or(Value::Null);
        let mut links: Vec<String> = Vec::new();
        let list: Value = value
            .as_str()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null);
        for link in list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !links.iter().any(|l| l == link) {
                links.push(link.to_string());
            }
        }
        Ok(links)
    }

    /// A PNG of the viewport, base64.
    pub fn screenshot(&mut self) -> Result<String, CdpError> {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }))?;
        Ok(str_of(&shot, "data"))
    }

    /// Closes the page and forgets its context (cookies, storage).
    pub fn close(self) -> Result<(), CdpError> {
        self.cdp.call(
            None,
            "Target.disposeBrowserContext",
            json!({ "browserContextId": self.context }),
        )?;
        Ok(())
    }
}

/// `(session, frame id, origin)` of every http(s) frame in `tree`.
fn collect_frames(session: &str, tree: &Value, out: &mut Vec<(String, String, String)>) {
    let frame = tree
        .pointer("/frame/id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let url = tree
        .pointer("/frame/url")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(origin) = url_origin(url) {
        out.push((session.to_string(), frame.to_string(), origin));
    }
    for child in tree
        .get("childFrames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_frames(session, child, out);
    }
}

/// What started a request: the script on top of the initiator's stack, its
/// URL, the document, or the browser's kind of initiator.
fn initiator(p: &Value) -> String {
    let init = p.get("initiator").unwrap_or(&Value::Null);
    let from_stack = init
        .pointer("/stack/callFrames")
        .and_then(Value::as_array)
        .and_then(|frames| {
            frames
                .iter()
                .filter_map(|f| f.get("url").and_then(Value::as_str))
                .find(|u| !u.is_empty())
        });
    from_stack
        .or_else(|| {
            init.get("url")
                .and_then(Value::as_str)
                .filter(|u| !u.is_empty())
        })
        .or_else(|| p.get("documentURL").and_then(Value::as_str))
        .map(String::from)
        .unwrap_or_else(|| {
            init.get("type")
                .and_then(Value::as_str)
                .unwrap_or("other")
                .to_string()
        })
}

/// A console argument as text.
fn remote_text(arg: &Value) -> String {
    match arg.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => arg
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}
