//! What the browser saw on one page in one phase: the plain data the driver
//! records and the comparison reads. No browser types here.

use crate::catalogue::StorageKind;

/// The three situations a page is scanned in, each in a fresh profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The banner is showing; nothing was chosen.
    BeforeChoice,
    /// "Reject all" was clicked.
    AfterReject,
    /// "Accept all" was clicked.
    AfterAccept,
}

impl Phase {
    /// All three, in scan order.
    pub const ALL: [Phase; 3] = [Phase::BeforeChoice, Phase::AfterReject, Phase::AfterAccept];

    /// The name used in reports (contract §8).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::BeforeChoice => "before-choice",
            Phase::AfterReject => "after-reject",
            Phase::AfterAccept => "after-accept",
        }
    }

    /// Whether only required categories may be at work in this phase.
    pub fn allows_only_required(self) -> bool {
        self != Phase::AfterAccept
    }
}

/// A request the page attempted (whether or not it succeeded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestSeen {
    /// The URL asked for.
    pub url: String,
    /// Its host, lower case.
    pub host: String,
    /// What started it: a script URL, the document, or the browser's kind of
    /// initiator (`parser`, `script`, `other`).
    pub initiator: String,
}

/// A cookie as the browser stored it.
#[derive(Clone, Debug, PartialEq)]
pub struct CookieSeen {
    /// Its name.
    pub name: String,
    /// Its domain (a leading dot for domain cookies).
    pub domain: String,
    /// Its path.
    pub path: String,
    /// Seconds it still had to live when read; `None` for a session cookie.
    pub lifetime_secs: Option<u64>,
    /// The script or response that wrote it, where the browser could tell.
    pub set_by: Option<String>,
}

/// A web-storage key of one origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageSeen {
    /// The origin whose storage holds it.
    pub origin: String,
    /// `localStorage` or `sessionStorage`.
    pub kind: StorageKind,
    /// The key.
    pub key: String,
}

/// A script or iframe element that loads from a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementSeen {
    /// `script` or `iframe`.
    pub tag: String,
    /// The URL it loads.
    pub src: String,
    /// Its host, lower case.
    pub host: String,
    /// Its `data-category`, if any.
    pub category: Option<String>,
}

impl ElementSeen {
    /// How the element reads in a report: `<script src="…">`.
    pub fn describe(&self) -> String {
        format!("<{} src=\"{}\">", self.tag, self.src)
    }
}

/// Everything recorded on one page in one phase.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    /// The page's URL.
    pub url: String,
    /// The page's host, lower case.
    pub host: String,
    /// Which phase.
    pub phase: Phase,
    /// Whether the page embeds cookiegate (defines `window.cookiegate`).
    pub has_cookiegate: bool,
    /// Requests attempted.
    pub requests: Vec<RequestSeen>,
    /// Cookies first seen on this page (in this phase's profile).
    pub cookies: Vec<CookieSeen>,
    /// Storage keys first seen on this page.
    pub storage: Vec<StorageSeen>,
    /// Script and iframe elements with a URL.
    pub elements: Vec<ElementSeen>,
    /// `data-service` ids of the page's marked elements.
    pub marked_services: Vec<String>,
}

/// The host of an `http(s):` or `ws(s):` URL, lower case; `None` for other
/// schemes (`data:`, `blob:`, `about:`, …), which reach no host.
pub fn url_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ws" | "wss"
    ) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The origin (`scheme://host[:port]`) of an `http(s):` URL.
pub fn url_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(scheme, "http" | "https").then(|| format!("{scheme}://{authority}"))
}
