//! What was wrong: the browser's observations held against the catalogue.
//! A pure function of the visits, the catalogue and the cookie database,
//! using the core's own matching (`Matcher`, `cookies_to_clear`,
//! `storage_to_clear`, `on_hosts`) so the scanner and the banner agree on
//! which service a cookie, key or host belongs to.

use super::domain::is_third_party;
use super::observe::{Phase, Visit};
use super::ocd::{CookieDatabase, Known};
use crate::catalogue::{Catalogue, Lifetime, Service, StorageKind};
use crate::consent::{cookies_to_clear, on_hosts, storage_to_clear, Choice};

/// Chromium keeps a cookie at most 400 days, whatever it was set for.
pub const CHROMIUM_MAX_COOKIE_SECS: u64 = 400 * 86_400;

/// Slack on a declared lifetime before a longer real one is reported: a
/// catalogue month is 30 days and a year 365, a real one up to 31 and 366.
const LIFETIME_SLACK_PERCENT: u64 = 4;

/// The kinds of finding (contract §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Something outside the required categories before a choice or after
    /// "Reject all".
    Leak,
    /// A script or iframe on a catalogue host without `data-category`.
    UnmarkedElement,
    /// A cookie the catalogue does not declare.
    UndeclaredCookie,
    /// A storage key the catalogue does not declare.
    UndeclaredStorage,
    /// A third-party host the catalogue does not declare.
    UndeclaredHost,
    /// A cookie kept longer than declared.
    Lifetime,
    /// A declared cookie or storage key never seen.
    Unseen,
}

impl Kind {
    /// The name in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Leak => "leak",
            Kind::UnmarkedElement => "unmarked-element",
            Kind::UndeclaredCookie => "undeclared-cookie",
            Kind::UndeclaredStorage => "undeclared-storage",
            Kind::UndeclaredHost => "undeclared-host",
            Kind::Lifetime => "lifetime",
            Kind::Unseen => "unseen",
        }
    }

    /// How bad it is.
    pub fn severity(self) -> Severity {
        match self {
            Kind::Leak | Kind::UnmarkedElement => Severity::High,
            Kind::UndeclaredCookie
            | Kind::UndeclaredStorage
            | Kind::UndeclaredHost
            | Kind::Lifetime => Severity::Medium,
            Kind::Unseen => Severity::Low,
        }
    }
}

/// How urgent a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Data reaches someone without consent.
    High,
    /// The catalogue does not tell visitors the truth.
    Medium,
    /// The catalogue declares more than the pages do.
    Low,
}

impl Severity {
    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// What a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A cookie, by name (a catalogue pattern such as `_ga_*` for `unseen`).
    Cookie(String),
    /// A web-storage key.
    Storage {
        /// The key (or catalogue pattern).
        key: String,
        /// Which storage.
        kind: StorageKind,
    },
    /// A host requests went to.
    Host(String),
    /// A script or iframe element, and the host it loads from.
    Element {
        /// `<script src="…">`.
        element: String,
        /// Its host.
        host: String,
    },
}

impl Subject {
    /// The subject as a person reads it: `cookie _ga`, `host x.example`.
    pub fn describe(&self) -> String {
        match self {
            Subject::Cookie(name) => format!("cookie {name}"),
            Subject::Storage { key, kind } => format!("{} key {key}", storage_name(*kind)),
            Subject::Host(host) => format!("host {host}"),
            Subject::Element { element, .. } => format!("element {element}"),
        }
    }
}

/// `localStorage` or `sessionStorage`.
pub fn storage_name(kind: StorageKind) -> &'static str {
    match kind {
        StorageKind::Local => "localStorage",
        StorageKind::Session => "sessionStorage",
    }
}

/// What the Open Cookie Database says about an undeclared name or host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Its Platform.
    pub vendor: String,
    /// The catalogue category its category maps to, when it maps to one.
    pub category: Option<String>,
    /// Its retention period, as the database writes it.
    pub lifetime: String,
    /// The database entry matched: a name, or a prefix ending in `*`.
    pub matched: String,
    /// The data controller.
    pub controller: String,
    /// The vendor's privacy page.
    pub privacy_url: String,
}

impl Suggestion {
    fn from_known(known: &Known) -> Suggestion {
        Suggestion {
            vendor: known.platform.clone(),
            category: known.catalogue_category().map(String::from),
            lifetime: known.retention.clone(),
            matched: match known.wildcard {
                true => format!("{}*", known.name),
                false => known.name.clone(),
            },
            controller: known.controller.clone(),
            privacy_url: known.privacy_url.clone(),
        }
    }
}

/// How the browser kept a cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCookie {
    /// Its domain.
    pub domain: String,
    /// Whether that domain is another party than the page's.
    pub third_party: bool,
    /// Seconds it had left when read; `None` for a session cookie.
    pub lifetime_secs: Option<u64>,
}

/// One thing wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Which kind.
    pub kind: Kind,
    /// The phase it depends on (the first it was seen in, for kinds that
    /// do not depend on one); `None` for `unseen`.
    pub phase: Option<Phase>,
    /// What it is about.
    pub subject: Subject,
    /// The pages it was seen on, in scan order.
    pub pages: Vec<String>,
    /// The declared service concerned, if any.
    pub service: Option<String>,
    /// What the browser could tell about its cause: the scripts or
    /// responses that wrote a cookie, the initiators of a request.
    pub evidence: Vec<String>,
    /// For `lifetime`: the declared and the stored lifetime.
    pub lifetimes: Option<(String, String)>,
    /// For undeclared things the database knows.
    pub suggestion: Option<Suggestion>,
    /// For an undeclared cookie: where and how long the browser kept it.
    pub stored: Option<StoredCookie>,
    /// One line saying what is wrong.
    pub message: String,
}

/// Every finding, most severe first, then by kind, phase and subject.
pub fn compare(catalogue: &Catalogue, visits: &[Visit], db: &CookieDatabase) -> Vec<Finding> {
    let mut out = Findings::default();
    let required_only = Choice::build(catalogue, &[], &[]);
    for visit in visits {
        check_requests(catalogue, visit, &mut out);
        check_cookies(catalogue, &required_only, visit, db, &mut out);
        check_storage(catalogue, &required_only, visit, db, &mut out);
        if visit.phase == Phase::BeforeChoice {
            check_elements(catalogue, visit, &mut out);
        }
    }
    check_unseen(catalogue, visits, &mut out);
    sorted(out.list)
}

/// Findings of several comparisons as one list: the same finding found
/// twice is kept once, with the pages and evidence of both.
pub fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out = Findings::default();
    for f in findings {
        out.add(f);
    }
    sorted(out.list)
}

fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_cached_key(|f| (f.kind.severity(), f.kind, f.phase, f.subject.describe()));
    findings
}

/// Findings so far, merged: the same kind, phase (where it matters) and
/// subject seen again only adds its page and evidence.
#[derive(Default)]
struct Findings {
    list: Vec<Finding>,
}

impl Findings {
    fn add(&mut self, finding: Finding) {
        let phase_matters = finding.kind == Kind::Leak;
        let same = self.list.iter_mut().find(|f| {
            f.kind == finding.kind
                && f.subject == finding.subject
                && f.service == finding.service
                && (!phase_matters || f.phase == finding.phase)
        });
        match same {
            Some(f) => {
                for page in finding.pages {
                    if !f.pages.contains(&page) {
                        f.pages.push(page);
                    }
                }
                for e in finding.evidence {
                    if !f.evidence.contains(&e) {
                        f.evidence.push(e);
                    }
                }
            }
            None => self.list.push(finding),
        }
    }
}

fn finding(kind: Kind, phase: Option<Phase>, subject: Subject, page: &str) -> Finding {
    Finding {
        kind,
        phase,
        subject,
        pages: vec![page.to_string()],
        service: None,
        evidence: Vec::new(),
        lifetimes: None,
        suggestion: None,
        stored: None,
        message: String::new(),
    }
}

/// "before a choice" / "after \"Reject all\"" / "after \"Accept all\"".
fn when(phase: Phase) -> &'static str {
    match phase {
        Phase::BeforeChoice => "before a choice",
        Phase::AfterReject => "after \"Reject all\"",
        Phase::AfterAccept => "after \"Accept all\"",
    }
}

/// Who a leaked thing belongs to, for a finding's message: its services, or
/// that the catalogue does not know it.
fn whose(catalogue: &Catalogue, services: &[&Service]) -> String {
    if services.is_empty() {
        "not in the catalogue".to_string()
    } else {
        owners(catalogue, services)
    }
}

/// "Google Analytics (analytics)" for the services in `services`.
fn owners(catalogue: &Catalogue, services: &[&Service]) -> String {
    let names: Vec<String> = services
        .iter()
        .map(|s| {
            let required = catalogue.category(&s.category).is_some_and(|c| c.required);
            let note = if required { ", required" } else { "" };
            format!(
                "{} ({}{note})",
                s.name.pick("", catalogue.default_language()),
                s.category
            )
        })
        .collect();
    names.join(", ")
}

fn is_required(catalogue: &Catalogue, service: &Service) -> bool {
    catalogue
        .category(&service.category)
        .is_some_and(|c| c.required)
}

fn hosts_services<'a>(catalogue: &'a Catalogue, host: &str) -> Vec<&'a Service> {
    catalogue
        .services
        .iter()
        .filter(|s| on_hosts(host, &s.hosts))
        .collect()
}

fn cookie_services<'a>(catalogue: &'a Catalogue, name: &str) -> Vec<&'a Service> {
    catalogue
        .services
        .iter()
        .filter(|s| s.cookies.iter().any(|c| c.matcher.matches(name)))
        .collect()
}

fn storage_services<'a>(
    catalogue: &'a Catalogue,
    kind: StorageKind,
    key: &str,
) -> Vec<&'a Service> {
    catalogue
        .services
        .iter()
        .filter(|s| {
            s.storage
                .iter()
                .any(|k| k.kind == kind && k.matcher.matches(key))
        })
        .collect()
}

fn check_requests(catalogue: &Catalogue, visit: &Visit, out: &mut Findings) {
    for request in &visit.requests {
        if !is_third_party(&request.host, &visit.host) {
            continue;
        }
        let services = hosts_services(catalogue, &request.host);
        let subject = Subject::Host(request.host.clone());
        if visit.phase.allows_only_required() && !services.iter().any(|s| is_required(catalogue, s))
        {
            let mut f = finding(Kind::Leak, Some(visit.phase), subject.clone(), &visit.url);
            let whose = whose(catalogue, &services);
            f.message = format!(
                "request to the third-party host {} ({whose}) {}",
                request.host,
                when(visit.phase)
            );
            f.service = services.first().map(|s| s.id.clone());
            f.evidence.push(request.initiator.clone());
            out.add(f);
        }
        if services.is_empty() {
            let mut f = finding(Kind::UndeclaredHost, Some(visit.phase), subject, &visit.url);
            f.message = format!(
                "requests go to the third-party host {}, which no service of the catalogue lists",
                request.host
            );
            f.evidence.push(request.initiator.clone());
            out.add(f);
        }
    }
}

fn check_cookies(
    catalogue: &Catalogue,
    required_only: &Choice,
    visit: &Visit,
    db: &CookieDatabase,
    out: &mut Findings,
) {
    for cookie in &visit.cookies {
        let services = cookie_services(catalogue, &cookie.name);
        let subject = Subject::Cookie(cookie.name.clone());
        let evidence: Vec<String> = cookie.set_by.iter().cloned().collect();
        let refused =
            !cookies_to_clear(catalogue, required_only, &[cookie.name.as_str()]).is_empty();
        if visit.phase.allows_only_required() && (refused || services.is_empty()) {
            let mut f = finding(Kind::Leak, Some(visit.phase), subject.clone(), &visit.url);
            let whose = whose(catalogue, &services);
            f.message = format!(
                "cookie {} on {} ({whose}) was set {}",
                cookie.name,
                cookie.domain,
                when(visit.phase)
            );
            f.service = services.first().map(|s| s.id.clone());
            f.evidence.clone_from(&evidence);
            out.add(f);
        }
        if services.is_empty() {
            let mut f = finding(
                Kind::UndeclaredCookie,
                Some(visit.phase),
                subject,
                &visit.url,
            );
            f.message = format!(
                "cookie {} on {} is not in the catalogue",
                cookie.name, cookie.domain
            );
            f.evidence = evidence;
            f.suggestion = db.lookup(&cookie.name).map(Suggestion::from_known);
            f.stored = Some(StoredCookie {
                domain: cookie.domain.clone(),
                third_party: is_third_party(cookie.domain.trim_start_matches('.'), &visit.host),
                lifetime_secs: cookie.lifetime_secs,
            });
            out.add(f);
            continue;
        }
        check_lifetime(catalogue, visit, cookie, &services, evidence, out);
    }
}

/// The longest lifetime the matching declarations allow, in seconds
/// (`None`: every one says "session").
fn declared_secs(catalogue: &Catalogue, name: &str) -> (Option<u64>, String) {
    let mut longest: Option<(u64, Lifetime)> = None;
    for s in &catalogue.services {
        for c in s.cookies.iter().filter(|c| c.matcher.matches(name)) {
            if let Some(minutes) = c.lifetime.minutes() {
                if longest.map_or(true, |(m, _)| minutes > m) {
                    longest = Some((minutes, c.lifetime));
                }
            }
        }
    }
    match longest {
        Some((minutes, lifetime)) => (Some(minutes * 60), lifetime_text(lifetime)),
        None => (None, "session".to_string()),
    }
}

/// A lifetime as the catalogue writes it: `session`, `1 day`, `13 months`.
pub fn lifetime_text(lifetime: Lifetime) -> String {
    use crate::catalogue::Unit;
    match lifetime {
        Lifetime::Session => "session".to_string(),
        Lifetime::Span { count, unit } => {
            let word = match unit {
                Unit::Minute => "minute",
                Unit::Hour => "hour",
                Unit::Day => "day",
                Unit::Month => "month",
                Unit::Year => "year",
            };
            let plural = if count == 1 { "" } else { "s" };
            format!("{count} {word}{plural}")
        }
    }
}

/// A stored lifetime for a report: `400 days`, `3 hours`, `12 minutes`.
pub fn secs_text(secs: u64) -> String {
    let plural = |n: u64, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    match secs {
        s if s >= 2 * 86_400 => plural(s.div_ceil(86_400), "day"),
        s if s >= 2 * 3_600 => plural(s.div_ceil(3_600), "hour"),
        s => plural(s.div_ceil(60).max(1), "minute"),
    }
}

fn check_lifetime(
    catalogue: &Catalogue,
    visit: &Visit,
    cookie: &super::observe::CookieSeen,
    services: &[&Service],
    evidence: Vec<String>,
    out: &mut Findings,
) {
    let Some(stored) = cookie.lifetime_secs else {
        return;
    };
    let (declared, declared_text) = declared_secs(catalogue, &cookie.name);
    let too_long = match declared {
        None => true,
        Some(d) => {
            let allowed = d + d * LIFETIME_SLACK_PERCENT / 100 + 60;
            stored > allowed.min(CHROMIUM_MAX_COOKIE_SECS)
        }
    };
    if !too_long {
        return;
    }
    let subject = Subject::Cookie(cookie.name.clone());
    let mut f = finding(Kind::Lifetime, Some(visit.phase), subject, &visit.url);
    f.service = services.first().map(|s| s.id.clone());
    f.lifetimes = Some((declared_text.clone(), secs_text(stored)));
    f.message = format!(
        "cookie {} on {} is kept for {}, the catalogue says {declared_text}",
        cookie.name,
        cookie.domain,
        secs_text(stored)
    );
    f.evidence = evidence;
    out.add(f);
}

fn check_storage(
    catalogue: &Catalogue,
    required_only: &Choice,
    visit: &Visit,
    db: &CookieDatabase,
    out: &mut Findings,
) {
    for item in &visit.storage {
        let services = storage_services(catalogue, item.kind, &item.key);
        let subject = Subject::Storage {
            key: item.key.clone(),
            kind: item.kind,
        };
        let store = storage_name(item.kind);
        let refused =
            !storage_to_clear(catalogue, required_only, item.kind, &[item.key.as_str()]).is_empty();
        if visit.phase.allows_only_required() && (refused || services.is_empty()) {
            let mut f = finding(Kind::Leak, Some(visit.phase), subject.clone(), &visit.url);
            let whose = whose(catalogue, &services);
            f.message = format!(
                "{store} key {} of {} ({whose}) was written {}",
                item.key,
                item.origin,
                when(visit.phase)
            );
            f.service = services.first().map(|s| s.id.clone());
            out.add(f);
        }
        if services.is_empty() {
            let mut f = finding(
                Kind::UndeclaredStorage,
                Some(visit.phase),
                subject,
                &visit.url,
            );
            f.message = format!(
                "{store} key {} of {} is not in the catalogue",
                item.key, item.origin
            );
            f.suggestion = db.lookup(&item.key).map(Suggestion::from_known);
            out.add(f);
        }
    }
}

fn check_elements(catalogue: &Catalogue, visit: &Visit, out: &mut Findings) {
    for element in visit.elements.iter().filter(|e| e.category.is_none()) {
        let services = hosts_services(catalogue, &element.host);
        let needs_consent =
            !services.is_empty() && !services.iter().any(|s| is_required(catalogue, s));
        if !needs_consent {
            continue;
        }
        let subject = Subject::Element {
            element: element.describe(),
            host: element.host.clone(),
        };
        let mut f = finding(
            Kind::UnmarkedElement,
            Some(visit.phase),
            subject,
            &visit.url,
        );
        f.service = services.first().map(|s| s.id.clone());
        f.message = format!(
            "{} loads from {} ({}) without data-category, so it runs whatever the visitor chooses",
            element.describe(),
            element.host,
            owners(catalogue, &services)
        );
        out.add(f);
    }
}

/// Whether any page showed `service` at work: one of its cookies or keys,
/// a request to or an element on one of its hosts, or markup naming it.
fn was_used(service: &Service, visits: &[Visit]) -> bool {
    visits.iter().any(|v| {
        v.marked_services.contains(&service.id)
            || v.requests.iter().any(|r| on_hosts(&r.host, &service.hosts))
            || v.elements.iter().any(|e| on_hosts(&e.host, &service.hosts))
            || v.cookies
                .iter()
                .any(|c| service.cookies.iter().any(|s| s.matcher.matches(&c.name)))
            || v.storage.iter().any(|k| {
                service
                    .storage
                    .iter()
                    .any(|s| s.kind == k.kind && s.matcher.matches(&k.key))
            })
    })
}

/// `unseen`, for services that load from a host (they list `hosts`) and
/// that no page showed at work: each of their cookies and storage keys.
/// Services without hosts are the shop's own, set by its server or
/// scripts on sign-in, cart or settings, which a scan does not perform.
fn check_unseen(catalogue: &Catalogue, visits: &[Visit], out: &mut Findings) {
    for service in catalogue.services.iter().filter(|s| !s.hosts.is_empty()) {
        if was_used(service, visits) {
            continue;
        }
        let note = format!(
            "declared by {} ({}), which no scanned page used: no request to {}, no element or markup for it",
            service.name.pick("", catalogue.default_language()),
            service.id,
            service.hosts.join(", ")
        );
        for cookie in &service.cookies {
            let mut f = finding(
                Kind::Unseen,
                None,
                Subject::Cookie(cookie.matcher.display()),
                "",
            );
            f.pages.clear();
            f.service = Some(service.id.clone());
            f.message = format!("cookie {} is {note}", cookie.matcher.display());
            out.add(f);
        }
        for key in &service.storage {
            let subject = Subject::Storage {
                key: key.matcher.display(),
                kind: key.kind,
            };
            let mut f = finding(Kind::Unseen, None, subject, "");
            f.pages.clear();
            f.service = Some(service.id.clone());
            f.message = format!(
                "{} key {} is {note}",
                storage_name(key.kind),
                key.matcher.display()
            );
            out.add(f);
        }
    }
}

/// The services that `unseen` does not judge (no hosts), for the report.
pub fn unjudged_services(catalogue: &Catalogue) -> Vec<&str> {
    catalogue
        .services
        .iter()
        .filter(|s| s.hosts.is_empty())
        .map(|s| s.id.as_str())
        .collect()
}
