//! What a posted consent record must be before it is stored: the banner's
//! record, read by the same code the browser uses, made under a catalogue
//! revision the service was started with, exactly as the banner would have
//! made it under that revision. Pure: no I/O, the same answer for the same
//! input, so the fuzz target drives it directly.

use super::chain::digest;
use crate::catalogue::Catalogue;
use crate::consent::{parse_stored, Choice, ConsentRecord, Invalid, Method, MAX_STORED_LEN};
use crate::json::Pos;
use std::net::IpAddr;

/// The largest body `POST /consent` reads: the record reader's own limit.
pub const MAX_BODY_BYTES: usize = MAX_STORED_LEN;
/// Longest user agent kept; the rest is cut.
pub const MAX_USER_AGENT_CHARS: usize = 512;
/// Longest page path kept; the rest is cut.
pub const MAX_PATH_CHARS: usize = 1024;
const MAX_ORIGIN_CHARS: usize = 256;

/// The catalogues the service accepts records for, one per revision.
#[derive(Clone, Debug)]
pub struct Catalogues(Vec<Catalogue>);

/// Two catalogues given to one service share a revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateRevision(pub u32);

impl std::fmt::Display for DuplicateRevision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "two catalogues have revision {}: a record could not tell them apart",
            self.0
        )
    }
}

impl Catalogues {
    /// The set, refusing two catalogues of one revision.
    pub fn new(mut list: Vec<Catalogue>) -> Result<Catalogues, DuplicateRevision> {
        list.sort_by_key(|c| c.revision);
        if let Some(pair) = list.windows(2).find(|w| w[0].revision == w[1].revision) {
            return Err(DuplicateRevision(pair[0].revision));
        }
        Ok(Catalogues(list))
    }

    /// The catalogue of `revision`.
    pub fn get(&self, revision: u32) -> Option<&Catalogue> {
        self.0.iter().find(|c| c.revision == revision)
    }

    /// Every catalogue, oldest revision first.
    pub fn all(&self) -> &[Catalogue] {
        &self.0
    }

    fn revisions(&self) -> String {
        let list: Vec<String> = self.0.iter().map(|c| c.revision.to_string()).collect();
        list.join(", ")
    }
}

/// What came with the request, as far as the record is concerned.
#[derive(Clone, Copy, Debug)]
pub struct Posted<'a> {
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `Sec-GPC` header the visitor's browser attached to the beacon.
    pub sec_gpc: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
    /// Server time, milliseconds since 1970.
    pub now_ms: i64,
}

/// A record fit to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admitted {
    /// The record as read.
    pub record: ConsentRecord,
    /// Its canonical JSON (the banner's own serialisation): what is stored.
    pub canonical: String,
    /// SHA-256 of `canonical`: a retried beacon has the same one.
    pub digest: String,
}

/// Why a request stores nothing; each maps to one 4xx status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Neither `application/json` nor `text/plain`.
    ContentType(Option<String>),
    /// Larger than [`MAX_BODY_BYTES`].
    TooLarge,
    /// The body did not arrive in time.
    Timeout {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// The body stopped before its declared end.
    Truncated,
    /// Not UTF-8 text.
    NotUtf8,
    /// Not a consent record (the reader's message and place).
    Malformed {
        /// Where in the body.
        pos: Pos,
        /// What is wrong.
        message: String,
    },
    /// The consent id has characters no banner makes.
    BadId,
    /// `restored` records are replays of an earlier choice, not choices.
    NotAChoice,
    /// No catalogue of that revision was given to the service.
    UnknownRevision {
        /// The record's revision.
        revision: u32,
        /// The revisions accepted.
        known: String,
    },
    /// Dated after the server's clock (beyond the tolerated skew).
    FromFuture,
    /// Older than the catalogue's consent lifetime.
    Expired,
    /// An id the catalogue revision lacks.
    UnknownId {
        /// `categories` or `services`.
        list: &'static str,
        /// The id.
        id: String,
    },
    /// The record says nothing about an id the catalogue has.
    Unanswered {
        /// `categories` or `services`.
        list: &'static str,
        /// The id.
        id: String,
    },
    /// The record contradicts the catalogue's rules (`why` says which).
    Contradiction {
        /// A sentence naming the field.
        why: String,
    },
    /// `gpc` disagrees with the `Sec-GPC` header of the same request.
    GpcMismatch {
        /// The record's `gpc`.
        record: bool,
    },
    /// The choice is not what its `method` makes.
    MethodMismatch {
        /// A sentence naming the field.
        why: String,
    },
}

impl Refusal {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::ContentType(_) => 415,
            Refusal::TooLarge => 413,
            Refusal::Timeout { .. } => 408,
            Refusal::Truncated | Refusal::NotUtf8 | Refusal::Malformed { .. } => 400,
            _ => 422,
        }
    }

    /// A short stable name, for metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::ContentType(_) => "content_type",
            Refusal::TooLarge => "too_large",
            Refusal::Timeout { .. } => "timeout",
            Refusal::Truncated => "truncated",
            Refusal::NotUtf8 => "not_utf8",
            Refusal::Malformed { .. } => "malformed",
            Refusal::BadId => "bad_id",
            Refusal::NotAChoice => "not_a_choice",
            Refusal::UnknownRevision { .. } => "unknown_revision",
            Refusal::FromFuture | Refusal::Expired => "time",
            Refusal::UnknownId { .. } => "unknown_id",
            Refusal::Unanswered { .. } => "unanswered",
            Refusal::Contradiction { .. } => "contradiction",
            Refusal::GpcMismatch { .. } => "gpc",
            Refusal::MethodMismatch { .. } => "method",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ContentType(got) => write!(
                f,
                "the body must be sent as application/json or text/plain, not {}",
                got.as_deref().unwrap_or("without a Content-Type")
            ),
            Refusal::TooLarge => write!(
                f,
                "the body is larger than {MAX_BODY_BYTES} bytes; a consent record is far smaller"
            ),
            Refusal::Timeout { seconds } => {
                write!(f, "the request did not arrive within {seconds} s")
            }
            Refusal::Truncated => write!(f, "the body ended before its declared length"),
            Refusal::NotUtf8 => write!(f, "the body is not UTF-8 text"),
            Refusal::Malformed { pos, message } => {
                write!(f, "not a consent record: at {pos}: {message}")
            }
            Refusal::BadId => write!(
                f,
                "`id` must be 1 to 64 letters, digits, `-` or `_` (the banner makes 32 hex digits)"
            ),
            Refusal::NotAChoice => write!(
                f,
                "`method` is `restored`: a choice read back from storage is not a new choice; \
                 the banner sends accept-all, reject-all and custom"
            ),
            Refusal::UnknownRevision { revision, known } => write!(
                f,
                "catalogue revision {revision} is unknown here; this service accepts revision {known}"
            ),
            Refusal::FromFuture => write!(
                f,
                "`timestamp` is more than 5 minutes after the server's clock"
            ),
            Refusal::Expired => write!(
                f,
                "`timestamp` is older than the catalogue's consent lifetime"
            ),
            Refusal::UnknownId { list, id } => {
                write!(f, "`{list}.{id}` is not in the catalogue revision")
            }
            Refusal::Unanswered { list, id } => write!(
                f,
                "`{list}` says nothing about `{id}`; the banner answers for every one"
            ),
            Refusal::Contradiction { why } | Refusal::MethodMismatch { why } => f.write_str(why),
            Refusal::GpcMismatch { record } => write!(
                f,
                "`gpc` is {record} but the request {} `Sec-GPC: 1` header: \
                 the browser that made the choice sends the signal with the record",
                if *record { "has no" } else { "carries a" }
            ),
        }
    }
}

/// Whether `id` is a consent id the service stores or looks up: 1 to 64
/// ASCII letters, digits, `-` or `_`, so it can never carry SQL, markup or a
/// spreadsheet formula.
pub fn valid_consent_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks one posted record against the catalogues; see the module doc.
pub fn admit(posted: &Posted, catalogues: &Catalogues) -> Result<Admitted, Refusal> {
    let media = posted.content_type.map(|t| {
        t.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if !matches!(media.as_deref(), Some("application/json" | "text/plain")) {
        return Err(Refusal::ContentType(
            posted.content_type.map(str::to_string),
        ));
    }
    if posted.body.len() > MAX_BODY_BYTES {
        return Err(Refusal::TooLarge);
    }
    let text = std::str::from_utf8(posted.body).map_err(|_| Refusal::NotUtf8)?;
    let raw = parse_stored(text).map_err(refusal_of)?;
    if !valid_consent_id(&raw.id) {
        return Err(Refusal::BadId);
    }
    if raw.method == Method::Restored {
        return Err(Refusal::NotAChoice);
    }
    let catalogue = catalogues
        .get(raw.revision)
        .ok_or_else(|| Refusal::UnknownRevision {
            revision: raw.revision,
            known: catalogues.revisions(),
        })?;
    answers_exactly(catalogue, &raw.choice)?;
    // `restore` with the record's own GPC strips nothing: it only
    // normalises, so any difference is a record the banner never makes.
    let normal =
        ConsentRecord::restore(text, catalogue, posted.now_ms, raw.gpc).map_err(refusal_of)?;
    agrees(catalogue, &raw.choice, &normal.choice)?;
    let header_gpc = posted.sec_gpc.is_some_and(|v| v.trim() == "1");
    if raw.gpc != header_gpc {
        return Err(Refusal::GpcMismatch { record: raw.gpc });
    }
    fits_method(catalogue, &normal)?;
    let canonical = normal.to_json();
    Ok(Admitted {
        digest: digest(&canonical),
        canonical,
        record: normal,
    })
}

fn refusal_of(invalid: Invalid) -> Refusal {
    match invalid {
        Invalid::Corrupt { pos, message } => Refusal::Malformed { pos, message },
        Invalid::FromFuture => Refusal::FromFuture,
        Invalid::Expired => Refusal::Expired,
        // `admit` picks the catalogue by the record's revision.
        Invalid::OtherRevision { stored } => Refusal::UnknownRevision {
            revision: stored,
            known: String::new(),
        },
    }
}

/// A list's name, the record's answers, the catalogue's ids.
type IdList<'a> = (&'static str, &'a [(String, bool)], Vec<&'a str>);

/// Every id in the record is the catalogue's, and every catalogue id is answered.
fn answers_exactly(catalogue: &Catalogue, choice: &Choice) -> Result<(), Refusal> {
    let lists: [IdList; 2] = [
        (
            "categories",
            &choice.categories,
            catalogue.categories.iter().map(|c| c.id.as_str()).collect(),
        ),
        (
            "services",
            &choice.services,
            catalogue.services.iter().map(|s| s.id.as_str()).collect(),
        ),
    ];
    for (list, given, known) in lists {
        if let Some((id, _)) = given.iter().find(|(id, _)| !known.contains(&id.as_str())) {
            return Err(Refusal::UnknownId {
                list,
                id: id.clone(),
            });
        }
        if let Some(id) = known.iter().find(|k| !given.iter().any(|(id, _)| id == *k)) {
            return Err(Refusal::Unanswered {
                list,
                id: (*id).to_string(),
            });
        }
    }
    Ok(())
}

/// The record says what its normalised form says, or the first field that
/// differs is named with the rule it breaks.
fn agrees(catalogue: &Catalogue, raw: &Choice, normal: &Choice) -> Result<(), Refusal> {
    for (id, on) in &raw.categories {
        if normal.category(id) == *on {
            continue;
        }
        let category = catalogue.category(id);
        let why = if category.is_some_and(|c| c.required) {
            format!("`categories.{id}` is required and cannot be refused")
        } else if *on {
            format!("`categories.{id}` is on but none of its services are")
        } else {
            let service = catalogue
                .services_of(id)
                .find(|s| raw.service(&s.id))
                .map(|s| s.id.as_str())
                .unwrap_or("");
            format!("`categories.{id}` is off but its service `{service}` is on")
        };
        return Err(Refusal::Contradiction { why });
    }
    for (id, on) in &raw.services {
        if normal.service(id) == *on {
            continue;
        }
        let category = catalogue
            .service(id)
            .map(|s| s.category.as_str())
            .unwrap_or("");
        let why = if *on {
            format!("`services.{id}` is on but its category `{category}` is off")
        } else {
            format!("`services.{id}` belongs to the required category `{category}` and cannot be refused")
        };
        return Err(Refusal::Contradiction { why });
    }
    Ok(())
}

/// Accept all and reject all each make exactly one choice.
fn fits_method(catalogue: &Catalogue, record: &ConsentRecord) -> Result<(), Refusal> {
    let expected = match record.method {
        Method::AcceptAll => Choice::accept_all(catalogue, record.gpc),
        Method::RejectAll => Choice::reject_all(catalogue),
        Method::Custom | Method::Restored => return Ok(()),
    };
    let Some((id, on)) = record
        .choice
        .categories
        .iter()
        .find(|(id, on)| expected.category(id) != *on)
    else {
        return if record.choice == expected {
            Ok(())
        } else {
            Err(Refusal::MethodMismatch {
                why: format!(
                    "`method` is {} but the services are not what it grants",
                    record.method.as_str()
                ),
            })
        };
    };
    let why = match record.method {
        Method::AcceptAll if *on => format!(
            "`gpc` is true, yet this accept-all grants `{id}`, which Global Privacy Control \
             opts out of: the banner never makes such a record"
        ),
        Method::AcceptAll => format!("`method` is accept-all but `categories.{id}` is off"),
        _ => format!("`method` is reject-all but `categories.{id}` is on"),
    };
    Err(Refusal::MethodMismatch { why })
}

/// Who sent it, as far as it is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The masked client address, such as `203.0.113.0/24`.
    pub ip: Option<String>,
    /// The `User-Agent`, cut to [`MAX_USER_AGENT_CHARS`].
    pub user_agent: Option<String>,
    /// The page's origin, such as `https://shop.example`.
    pub origin: Option<String>,
    /// The page's path, without query or fragment.
    pub path: Option<String>,
}

/// The address with its host part zeroed: IPv4 to its /24, IPv6 to its /48
/// (an IPv4-mapped IPv6 address counts as IPv4).
pub fn mask_ip(ip: IpAddr) -> String {
    let v4 = |v4: std::net::Ipv4Addr| {
        let [a, b, c, _] = v4.octets();
        format!("{a}.{b}.{c}.0/24")
    };
    match ip {
        IpAddr::V4(ip) => v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(mapped) => v4(mapped),
            None => {
                let s = ip.segments();
                let kept = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
                format!("{kept}/48")
            }
        },
    }
}

/// The page a beacon came from: the origin from `Origin` (else from
/// `Referer`), the path from `Referer` when it is on that origin. Query and
/// fragment are dropped: they may carry what is not ours to keep.
pub fn page_of(origin: Option<&str>, referer: Option<&str>) -> (Option<String>, Option<String>) {
    let from_referer = referer.and_then(split_url);
    let origin = origin
        .filter(|o| *o != "null")
        .and_then(|o| split_url(o).map(|(origin, _)| origin))
        .or_else(|| from_referer.as_ref().map(|(o, _)| o.clone()));
    let path = match (&origin, from_referer) {
        (Some(o), Some((ro, path))) if *o == ro => Some(cut(&path, MAX_PATH_CHARS)),
        _ => None,
    };
    (origin, path)
}

/// `scheme://authority` (lowercase) and the path of an http(s) URL.
fn split_url(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority_ok = !authority.is_empty()
        && authority.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'_')
        });
    let origin = format!("{scheme}://{}", authority.to_ascii_lowercase());
    if !authority_ok || origin.len() > MAX_ORIGIN_CHARS {
        return None;
    }
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = tail.get(..path_end).unwrap_or("");
    Some((
        origin,
        if path.is_empty() {
            "/".into()
        } else {
            path.into()
        },
    ))
}

/// At most `max` characters of `s`.
pub fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses_to_their_network() {
        let ip = |s: &str| s.parse::<IpAddr>().map(mask_ip);
        assert_eq!(ip("203.0.113.77"), Ok("203.0.113.0/24".into()));
        assert_eq!(ip("2001:db8:abcd:12::1"), Ok("2001:db8:abcd::/48".into()));
        assert_eq!(ip("::ffff:198.51.100.9"), Ok("198.51.100.0/24".into()));
    }

    #[test]
    fn page_keeps_origin_and_path_but_not_query() {
        assert_eq!(
            page_of(
                Some("https://Shop.example"),
                Some("https://shop.example/cart?token=secret#x")
            ),
            (Some("https://shop.example".into()), Some("/cart".into()))
        );
        // A referer from elsewhere says nothing about the page.
        assert_eq!(
            page_of(
                Some("https://shop.example"),
                Some("https://other.example/a")
            ),
            (Some("https://shop.example".into()), None)
        );
        assert_eq!(
            page_of(None, Some("http://127.0.0.1:8080/")),
            (Some("http://127.0.0.1:8080".into()), Some("/".into()))
        );
        assert_eq!(
            page_of(Some("null"), Some("javascript:alert(1)")),
            (None, None)
        );
    }

    #[test]
    fn consent_ids_are_plain() {
        assert!(valid_consent_id("0123456789abcdef0123456789abcdef"));
        for bad in [
            "",
            "a'; DROP TABLE consent_records; --",
            "=1+1",
            "é",
            &"a".repeat(65),
        ] {
            assert!(!valid_consent_id(bad), "{bad}");
        }
    }
}
