//! The scan itself: for each start URL, the three phases, each in a fresh
//! browser context, through the banner's own hooks (contract §4); then the
//! same-origin pages linked from it.

use super::browser::Browser;
use super::cdp::CdpError;
use super::observe::{url_host, CookieSeen, Phase, StorageSeen, Visit};
use super::tab::{PageError, Tab};
use crate::catalogue::{self, Catalogue};
use serde_json::Value;
use std::fmt;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long cookiegate may take to start (`window.cookiegate.ready`).
const READY_TIMEOUT_MS: u64 = 15_000;
/// How long its banner may take to show once started.
const BANNER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a click on a banner button may take to record the choice.
const CHOICE_TIMEOUT: Duration = Duration::from_secs(5);

/// The banner and its buttons, found through the contract's hooks inside
/// the open shadow root. Returns `{banner, x, y}` (the centre of `BUTTON`,
/// scrolled into view), or `null` while there is no banner.
const FIND_BUTTON: &str = r#"(() => {
  // cookiegate's host, not page markup that carries the same hook.
  const host = [...document.querySelectorAll('[data-cookiegate="root"]')].find((h) => h.shadowRoot);
  const root = host && host.shadowRoot;
  const banner = root && root.querySelector('[data-cookiegate="banner"]');
  if (!banner || banner.hidden || banner.getClientRects().length === 0) return null;
  const button = banner.querySelector('[data-cookiegate="BUTTON"]');
  if (!button) return { banner: true };
  button.scrollIntoView({ block: 'center' });
  const r = button.getBoundingClientRect();
  return { banner: true, x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
})()"#;

/// Whether `cookiegate.js` ran on the page.
const HAS_COOKIEGATE: &str = "typeof window.cookiegate === 'object' && window.cookiegate !== null && typeof window.cookiegate.ready === 'object'";

/// The catalogue the page gives cookiegate: the `data-catalogue` URL, else
/// the inline `#cookiegate-catalogue`.
const PAGE_CATALOGUE: &str = r#"(async () => {
  const s = document.querySelector('script[data-catalogue]');
  if (s) {
    const url = new URL(s.getAttribute('data-catalogue'), document.baseURI).href;
    try {
      const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      return { source: url, text: r.ok ? await r.text() : null, error: r.ok ? null : 'HTTP ' + r.status };
    } catch (e) { return { source: url, text: null, error: String(e) }; }
  }
  const inline = document.getElementById('cookiegate-catalogue');
  return inline ? { source: location.href + '#cookiegate-catalogue', text: inline.textContent, error: null } : null;
})()"#;

/// What to scan and how.
pub struct Plan<'a> {
    /// The start URLs.
    pub urls: &'a [String],
    /// `--catalogue`, read; else each site's own.
    pub catalogue: Option<&'a Catalogue>,
    /// `--pages`: same-origin links to follow per start URL.
    pub pages: usize,
}

/// Why a start URL could not be scanned (exit 2).
#[derive(Debug)]
pub enum Unscannable {
    /// It did not load.
    Unreachable(String),
    /// It embeds cookiegate, but no banner appeared, or its buttons did not
    /// record a choice.
    NoBanner(String),
    /// The page's own catalogue could not be read or is invalid.
    Catalogue(String),
    /// The browser failed.
    Browser(String),
}

impl fmt::Display for Unscannable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unscannable::Unreachable(why) => write!(f, "unreachable: {why}"),
            Unscannable::NoBanner(why) => write!(f, "no banner where one is expected: {why}"),
            Unscannable::Catalogue(why) => write!(f, "no usable catalogue: {why}"),
            Unscannable::Browser(why) => write!(f, "the browser failed: {why}"),
        }
    }
}

impl From<CdpError> for Unscannable {
    fn from(e: CdpError) -> Self {
        Unscannable::Browser(e.to_string())
    }
}

impl From<PageError> for Unscannable {
    fn from(e: PageError) -> Self {
        match e {
            PageError::Unreachable { reason, .. } => Unscannable::Unreachable(reason),
            PageError::Browser(e) => e.into(),
        }
    }
}

/// One start URL, scanned.
pub struct Site {
    /// The start URL.
    pub url: String,
    /// Whether its start page embeds cookiegate.
    pub has_cookiegate: bool,
    /// The phases that ran.
    pub phases: Vec<Phase>,
    /// Every page visited (the start page first).
    pub pages: Vec<String>,
    /// A PNG (base64) of the start page in each phase that ran.
    pub screenshots: Vec<(Phase, String)>,
    /// Where its catalogue came from.
    pub catalogue_source: String,
    /// The catalogue it was compared with.
    pub catalogue: Catalogue,
    /// What each page showed in each phase.
    pub visits: Vec<Visit>,
    /// Things the reader should know (phases skipped, pages without
    /// cookiegate, pages that failed to load).
    pub notes: Vec<String>,
}

/// A start URL that could not be scanned, and why.
pub struct Failure {
    /// The start URL.
    pub url: String,
    /// Why.
    pub why: Unscannable,
}

/// Progress on standard error, only when it is a terminal.
struct Progress {
    shown: bool,
    done: usize,
    total: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            shown: std::io::stderr().is_terminal(),
            done: 0,
            total,
        }
    }

    fn step(&mut self, phase: Phase, url: &str) {
        if !self.shown {
            return;
        }
        let width = 24;
        let filled = (self.done * width)
            .checked_div(self.total)
            .unwrap_or(0)
            .min(width);
        let bar: String = "#".repeat(filled) + &"-".repeat(width - filled);
        let mut err = std::io::stderr().lock();
        let short: String = url.chars().take(60).collect();
        let _ = write!(
            err,
            "\r\x1b[2Kscan [{bar}] {}/{} {} {short}",
            self.done + 1,
            self.total,
            phase.as_str()
        );
        let _ = err.flush();
        self.done += 1;
    }

    fn finish(&self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// Scans every start URL of `plan`; a URL that cannot be scanned is a
/// failure and the others still run.
pub fn scan(browser: &mut Browser, plan: &Plan<'_>) -> (Vec<Site>, Vec<Failure>) {
    let mut sites = Vec::new();
    let mut failures = Vec::new();
    // Each start page in three phases; linked pages are added as they are found.
    let mut progress = Progress::new(plan.urls.len() * 3);
    for url in plan.urls {
        match scan_site(browser, plan, url, &mut progress) {
            Ok(site) => sites.push(site),
            Err(why) => failures.push(Failure {
                url: url.clone(),
                why,
            }),
        }
    }
    progress.finish();
    (sites, failures)
}

fn scan_site(
    browser: &mut Browser,
    plan: &Plan<'_>,
    url: &str,
    progress: &mut Progress,
) -> Result<Site, Unscannable> {
    let mut site = Site {
        url: url.to_string(),
        has_cookiegate: false,
        phases: Vec::new(),
        pages: vec![url.to_string()],
        screenshots: Vec::new(),
        catalogue_source: String::new(),
        catalogue: empty_catalogue(),
        visits: Vec::new(),
        notes: Vec::new(),
    };
    for phase in Phase::ALL {
        if phase != Phase::BeforeChoice && !site.has_cookiegate {
            site.notes.push(format!(
                "{url} does not embed cookiegate: only before-choice ran; after-reject and after-accept were skipped"
            ));
            progress.total = progress.total.saturating_sub(2);
            break;
        }
        run_phase(browser, plan, &mut site, phase, progress)?;
        site.phases.push(phase);
    }
    Ok(site)
}

/// The start page and its linked pages in one phase, in one fresh context.
fn run_phase(
    browser: &mut Browser,
    plan: &Plan<'_>,
    site: &mut Site,
    phase: Phase,
    progress: &mut Progress,
) -> Result<(), Unscannable> {
    let mut tab = Tab::open(&mut browser.cdp)?;
    let start = site.url.clone();
    progress.step(phase, &start);
    tab.navigate(&start)?;
    let has_cookiegate = tab.eval(HAS_COOKIEGATE)?.ok() == Some(Value::Bool(true));
    if phase == Phase::BeforeChoice {
        site.has_cookiegate = has_cookiegate;
        let (catalogue, source) = match plan.catalogue {
            Some(c) => (c.clone(), "--catalogue".to_string()),
            None if has_cookiegate => page_catalogue(&mut tab)?,
            None => (
                empty_catalogue(),
                "none (the page has no cookiegate and no --catalogue was given)".to_string(),
            ),
        };
        site.catalogue = catalogue;
        site.catalogue_source = source;
    }
    if has_cookiegate {
        wait_until_ready(&mut tab)?;
        let banner = find_button(&mut tab, "accept-all")?;
        if !banner.0 {
            return Err(no_banner(
                &tab,
                "cookiegate started but its banner [data-cookiegate=\"banner\"] did not show",
            ));
        }
        match phase {
            Phase::BeforeChoice => {}
            Phase::AfterReject => choose(&mut tab, "reject-all")?,
            Phase::AfterAccept => choose(&mut tab, "accept-all")?,
        }
    } else if phase != Phase::BeforeChoice {
        return Err(no_banner(&tab, "the page no longer embeds cookiegate"));
    }
    tab.settle()?;
    let mut seen = Seen::default();
    let first = record(&mut tab, &start, phase, has_cookiegate, &mut seen)?;
    site.visits.push(first.0);
    site.screenshots.push((phase, tab.screenshot()?));
    let mut queue = first.1;
    let mut visited = 0;
    // Before a choice the links are found; the other phases visit the same pages.
    let known: Vec<String> = site.pages.iter().skip(1).cloned().collect();
    let mut planned = known.into_iter();
    while visited < plan.pages {
        let next = if phase == Phase::BeforeChoice {
            let candidate = queue.iter().find(|l| !site.pages.contains(l)).cloned();
            let Some(next) = candidate else { break };
            site.pages.push(next.clone());
            progress.total += if has_cookiegate { 3 } else { 1 };
            next
        } else {
            let Some(next) = planned.next() else { break };
            next
        };
        visited += 1;
        progress.step(phase, &next);
        if let Err(e) = tab.navigate(&next) {
            match e {
                PageError::Unreachable { .. } => {
                    if phase == Phase::BeforeChoice {
                        site.notes.push(format!("linked page not scanned: {e}"));
                    }
                    continue;
                }
                PageError::Browser(e) => return Err(e.into()),
            }
        }
        let cookiegate_here = tab.eval(HAS_COOKIEGATE)?.ok() == Some(Value::Bool(true));
        if has_cookiegate && phase == Phase::BeforeChoice && !cookiegate_here {
            site.notes.push(format!("{next} does not embed cookiegate"));
        }
        if cookiegate_here {
            wait_until_ready(&mut tab)?;
        }
        tab.settle()?;
        let (visit, links) = record(&mut tab, &next, phase, cookiegate_here, &mut seen)?;
        site.visits.push(visit);
        for link in links {
            if !queue.contains(&link) {
                queue.push(link);
            }
        }
    }
    tab.close()?;
    Ok(())
}

/// Cookies and storage keys already recorded in this phase's context.
#[derive(Default)]
struct Seen {
    cookies: Vec<(String, String, String)>,
    storage: Vec<(String, String, bool)>,
}

/// What the page shows now, and its same-origin links.
fn record(
    tab: &mut Tab<'_>,
    url: &str,
    phase: Phase,
    has_cookiegate: bool,
    seen: &mut Seen,
) -> Result<(Visit, Vec<String>), CdpError> {
    let requests = tab.take_requests();
    let cookies: Vec<CookieSeen> = tab
        .cookies()?
        .into_iter()
        .filter(|c| {
            let key = (c.name.clone(), c.domain.clone(), c.path.clone());
            let new = !seen.cookies.contains(&key);
            if new {
                seen.cookies.push(key);
            }
            new
        })
        .collect();
    let storage: Vec<StorageSeen> = tab
        .storage()?
        .into_iter()
        .filter(|s| {
            let key = (
                s.origin.clone(),
                s.key.clone(),
                s.kind == crate::catalogue::StorageKind::Local,
            );
            let new = !seen.storage.contains(&key);
            if new {
                seen.storage.push(key);
            }
            new
        })
        .collect();
    let (elements, marked_services) = tab.elements()?;
    let links = tab.same_origin_links()?;
    let visit = Visit {
        url: url.to_string(),
        host: url_host(url).unwrap_or_default(),
        phase,
        has_cookiegate,
        requests,
        cookies,
        storage,
        elements,
        marked_services,
    };
    Ok((visit, links))
}

fn no_banner(tab: &Tab<'_>, what: &str) -> Unscannable {
    let console: Vec<&str> = tab.console().iter().map(String::as_str).take(5).collect();
    let said = match console.is_empty() {
        true => String::new(),
        false => format!("; the page's console said: {}", console.join(" | ")),
    };
    Unscannable::NoBanner(format!("{what}{said}"))
}

fn wait_until_ready(tab: &mut Tab<'_>) -> Result<(), Unscannable> {
    let expression = format!(
        "Promise.race([window.cookiegate.ready.then(() => 'ready', (e) => 'failed: ' + ((e && e.message) || e)), new Promise((r) => setTimeout(() => r('timeout'), {READY_TIMEOUT_MS}))])"
    );
    let answer = tab.eval(&expression)?;
    match answer.as_ref().ok().and_then(Value::as_str) {
        Some("ready") => Ok(()),
        Some("timeout") => Err(no_banner(
            tab,
            &format!(
                "window.cookiegate.ready did not resolve within {} s",
                READY_TIMEOUT_MS / 1000
            ),
        )),
        Some(other) => Err(no_banner(
            tab,
            &format!("cookiegate did not start ({other})"),
        )),
        None => Err(no_banner(tab, "window.cookiegate.ready could not be read")),
    }
}

/// Polls for the banner and `button` in it: `(banner shown, centre)`.
fn find_button(tab: &mut Tab<'_>, button: &str) -> Result<(bool, Option<(f64, f64)>), CdpError> {
    let expression = FIND_BUTTON.replace("BUTTON", button);
    let deadline = Instant::now() + BANNER_TIMEOUT;
    loop {
        let found = tab.eval(&expression)?.unwrap_or(Value::Null);
        if found.get("banner").is_some() {
            let x = found.get("x").and_then(Value::as_f64);
            let y = found.get("y").and_then(Value::as_f64);
            let w = found.get("w").and_then(Value::as_f64).unwrap_or(0.0);
            let point = match (x, y) {
                (Some(x), Some(y)) if w > 0.0 => Some((x, y)),
                _ => None,
            };
            return Ok((true, point));
        }
        if Instant::now() >= deadline {
            return Ok((false, None));
        }
        tab.wait(Duration::from_millis(100))?;
    }
}

/// Clicks the banner's `button` (`reject-all`, `accept-all`) and waits for
/// the choice to be recorded.
fn choose(tab: &mut Tab<'_>, button: &str) -> Result<(), Unscannable> {
    let (_, point) = find_button(tab, button)?;
    let Some((x, y)) = point else {
        return Err(no_banner(
            tab,
            &format!("the banner has no visible [data-cookiegate=\"{button}\"] button"),
        ));
    };
    tab.click(x, y)?;
    let deadline = Instant::now() + CHOICE_TIMEOUT;
    loop {
        let method = tab
            .eval("(() => { const c = window.cookiegate.getConsent(); return c ? c.method : null; })()")?
            .unwrap_or(Value::Null);
        if method.as_str().is_some() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(no_banner(
                tab,
                &format!("clicking [data-cookiegate=\"{button}\"] recorded no choice (getConsent() stayed null)"),
            ));
        }
        tab.wait(Duration::from_millis(100))?;
    }
}

/// The page's own catalogue, read and checked as the banner reads it.
fn page_catalogue(tab: &mut Tab<'_>) -> Result<(Catalogue, String), Unscannable> {
    let found = tab.eval(PAGE_CATALOGUE)?.unwrap_or(Value::Null);
    let source = found
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(text) = found.get("text").and_then(Value::as_str) else {
        let why = found
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("the page names no catalogue");
        return Err(Unscannable::Catalogue(format!(
            "{}: {why}; give one with --catalogue FILE",
            if source.is_empty() {
                "cookiegate"
            } else {
                &source
            }
        )));
    };
    match catalogue::load(text.as_bytes()) {
        Ok(c) => Ok((c, source)),
        Err(problems) => {
            let first: Vec<String> = problems.iter().take(3).map(|p| p.to_string()).collect();
            Err(Unscannable::Catalogue(format!(
                "{source} is not a valid catalogue: {}",
                first.join("; ")
            )))
        }
    }
}

/// A catalogue that declares nothing: everything seen is undeclared.
fn empty_catalogue() -> Catalogue {
    Catalogue {
        revision: 0,
        consent_days: 0,
        policy_url: String::new(),
        languages: Vec::new(),
        texts: Vec::new(),
        categories: Vec::new(),
        services: Vec::new(),
    }
}
