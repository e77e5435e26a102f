//! The consent record: what is stored in the visitor's browser, sent as proof
//! of consent, and handed to the page by `getConsent()`.

use super::choice::{as_wishes, wish, Choice};
use super::time::{iso_from_ms, ms_from_iso};
use crate::catalogue::Catalogue;
use crate::json::{self, Kind, Pos};
use crate::text::push_decimal;

/// Longest stored record accepted; anything larger is not ours.
pub const MAX_STORED_LEN: usize = 64 * 1024;

/// How the choice was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// Saved from the preferences, or `accept(categories)`.
    Custom,
    /// Read back from storage on a later page load.
    Restored,
}

impl Method {
    /// The contract's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AcceptAll => "accept-all",
            Method::RejectAll => "reject-all",
            Method::Custom => "custom",
            Method::Restored => "restored",
        }
    }

    fn from_name(s: &str) -> Option<Method> {
        [
            Method::AcceptAll,
            Method::RejectAll,
            Method::Custom,
            Method::Restored,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// One consent decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    /// Random id, the only identifier in the record.
    pub id: String,
    /// When the choice was made, milliseconds since 1970 (UTC).
    pub timestamp_ms: i64,
    /// The catalogue revision it was made under.
    pub revision: u32,
    /// How it was made.
    pub method: Method,
    /// Whether the browser sent Global Privacy Control at the time.
    pub gpc: bool,
    /// What was granted.
    pub choice: Choice,
}

/// Why a stored record does not count as consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not a record at all (with where and why).
    Corrupt {
        /// Where in the stored text.
        pos: Pos,
        /// What is wrong.
        message: String,
    },
    /// Made under another catalogue revision.
    OtherRevision {
        /// The stored revision.
        stored: u32,
    },
    /// Older than the catalogue's consent lifetime.
    Expired,
    /// Dated in the future (clock games or tampering).
    FromFuture,
}

impl Invalid {
    /// The console's sentence for it ("the stored choice has expired").
    pub fn describe(&self) -> String {
        let mut out = String::from("the stored choice ");
        match self {
            Invalid::Corrupt { pos, message } => {
                out.push_str("is unreadable at ");
                pos.push_to(&mut out);
                out.push_str(": ");
                out.push_str(message);
            }
            Invalid::OtherRevision { stored } => {
                out.push_str("is for catalogue revision ");
                push_decimal(&mut out, u64::from(*stored));
            }
            Invalid::Expired => out.push_str("has expired"),
            Invalid::FromFuture => out.push_str("is dated in the future"),
        }
        out
    }
}

/// Clock skew tolerated before a record counts as from the future.
const FUTURE_SLACK_MS: i64 = 5 * 60 * 1000;

impl ConsentRecord {
    /// When the record stops counting as consent under `catalogue`.
    pub fn expires_ms(&self, catalogue: &Catalogue) -> i64 {
        self.timestamp_ms
            .saturating_add(i64::from(catalogue.consent_days).saturating_mul(86_400_000))
    }

    /// The record as the contract's JSON object (for `getConsent()`, events
    /// and the consent beacon).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_fields(&mut out);
        out.push('}');
        out
    }

    /// The stored form: the contract's fields plus `expires`, for a person
    /// reading their storage. Nothing reads a stored record before the core
    /// has judged it with [`ConsentRecord::restore`] (which recomputes the
    /// expiry from the catalogue), so it carries no Consent Mode state: a
    /// stale record must never reach Google tags as `granted`.
    pub fn to_stored_json(&self, catalogue: &Catalogue) -> String {
        let mut out = String::with_capacity(384);
        self.write_fields(&mut out);
        out.push_str(",\"expires\":");
        json::write_str(&mut out, &iso_from_ms(self.expires_ms(catalogue)));
        out.push('}');
        out
    }

    fn write_fields(&self, out: &mut String) {
        out.push_str("{\"id\":");
        json::write_str(out, &self.id);
        out.push_str(",\"timestamp\":");
        json::write_str(out, &iso_from_ms(self.timestamp_ms));
        out.push_str(",\"revision\":");
        push_decimal(out, u64::from(self.revision));
        out.push_str(",\"method\":");
        json::write_str(out, self.method.as_str());
        out.push_str(",\"gpc\":");
        out.push_str(if self.gpc { "true" } else { "false" });
        for (name, list) in [
            ("categories", &self.choice.categories),
            ("services", &self.choice.services),
        ] {
            out.push_str(",\"");
            out.push_str(name);
            out.push_str("\":{");
            for (i, (id, on)) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_str(out, id);
                out.push_str(if *on { ":true" } else { ":false" });
            }
            out.push('}');
        }
    }

    /// Reads a stored record and decides whether it still counts as consent
    /// under `catalogue` at `now_ms`. A valid record comes back normalised:
    /// it never grants a category or service the catalogue does not have, a
    /// service whose category was refused, or (when the browser sends GPC now
    /// but did not then) a category GPC opts out of.
    pub fn restore(
        stored: &str,
        catalogue: &Catalogue,
        now_ms: i64,
        gpc_now: bool,
    ) -> Result<ConsentRecord, Invalid> {
        let raw = parse_stored(stored)?;
        if raw.revision != catalogue.revision {
            return Err(Invalid::OtherRevision {
                stored: raw.revision,
            });
        }
        if raw.timestamp_ms > now_ms.saturating_add(FUTURE_SLACK_MS) {
            return Err(Invalid::FromFuture);
        }
        if now_ms >= raw.expires_ms(catalogue) {
            return Err(Invalid::Expired);
        }
        let strip_gpc = gpc_now && !raw.gpc;
        let mut category_wishes: Vec<(&str, bool)> =
            Vec::with_capacity(raw.choice.categories.len());
        for (id, on) in &raw.choice.categories {
            let opted_out = strip_gpc && catalogue.category(id).is_some_and(|c| c.gpc_opt_out);
            category_wishes.push((id.as_str(), *on && !opted_out));
        }
        // A service counts only if its category was granted too: a record
        // edited to turn on a service under a refused category grants nothing.
        let stored_services = as_wishes(&raw.choice.services);
        let mut service_wishes: Vec<(&str, bool)> = Vec::with_capacity(catalogue.services.len());
        for s in &catalogue.services {
            // The last of duplicate keys wins, as in JSON.parse and Choice::build.
            let stored_on = wish(&stored_services, &s.id).unwrap_or(false);
            let category_on = wish(&category_wishes, &s.category).unwrap_or(false);
            service_wishes.push((s.id.as_str(), stored_on && category_on));
        }
        let choice = Choice::build(catalogue, &category_wishes, &service_wishes);
        Ok(ConsentRecord {
            choice,
            gpc: raw.gpc || gpc_now,
            ..raw
        })
    }
}

fn corrupt(pos: Pos, message: &str) -> Invalid {
    Invalid::Corrupt {
        pos,
        message: message.to_string(),
    }
}

/// "`name` what" at `pos`: one builder for every field's message.
fn wrong(pos: Pos, name: &str, what: &str) -> Invalid {
    let mut message = String::with_capacity(name.len() + what.len() + 3);
    message.push('`');
    message.push_str(name);
    message.push_str("` ");
    message.push_str(what);
    Invalid::Corrupt { pos, message }
}

/// Reads the stored JSON into a record without consulting any catalogue.
pub fn parse_stored(stored: &str) -> Result<ConsentRecord, Invalid> {
    if stored.len() > MAX_STORED_LEN {
        return Err(corrupt(
            Pos { line: 1, column: 1 },
            "it is larger than 64 KiB",
        ));
    }
    let v = json::parse(stored).map_err(|e| corrupt(e.pos, e.message))?;
    let Some(members) = v.as_object() else {
        return Err(corrupt(v.pos, "expected an object"));
    };
    // cookiegate never writes a key twice; readers disagree on which copy
    // wins (JSON.parse takes the last), so a repeated key is tampering.
    refuse_repeated_keys(members)?;
    let field = |name: &str| v.get(name).ok_or_else(|| wrong(v.pos, name, "is missing"));
    let string = |name: &str| -> Result<&str, Invalid> {
        let f = field(name)?;
        f.as_str()
            .ok_or_else(|| wrong(f.pos, name, "must be a string"))
    };
    let id = string("id")?;
    if id.is_empty() || crate::text::char_count(id) > 64 {
        return Err(wrong(v.pos, "id", "must be 1 to 64 characters"));
    }
    let ts = string("timestamp")?;
    let timestamp_ms =
        ms_from_iso(ts).ok_or_else(|| wrong(v.pos, "timestamp", "is not a UTC ISO 8601 time"))?;
    let rev = field("revision")?;
    let revision = rev
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| wrong(rev.pos, "revision", "must be a whole number"))?;
    let method = Method::from_name(string("method")?).ok_or_else(|| {
        wrong(
            v.pos,
            "method",
            "is not one of accept-all, reject-all, custom, restored",
        )
    })?;
    let gpc_v = field("gpc")?;
    let gpc = gpc_v
        .as_bool()
        .ok_or_else(|| wrong(gpc_v.pos, "gpc", "must be true or false"))?;
    let flags = |name: &str| -> Result<Vec<(String, bool)>, Invalid> {
        let f = field(name)?;
        let members = f
            .as_object()
            .ok_or_else(|| wrong(f.pos, name, "must be an object"))?;
        refuse_repeated_keys(members)?;
        let mut out = Vec::with_capacity(members.len());
        for m in members {
            let Kind::Bool(on) = m.value.kind else {
                let path = crate::text::concat(&[name, ".", &m.key]);
                return Err(wrong(m.value.pos, &path, "must be true or false"));
            };
            out.push((m.key.clone(), on));
        }
        Ok(out)
    };
    Ok(ConsentRecord {
        id: id.to_string(),
        timestamp_ms,
        revision,
        method,
        gpc,
        choice: Choice {
            categories: flags("categories")?,
            services: flags("services")?,
        },
    })
}

fn refuse_repeated_keys(members: &[json::Member]) -> Result<(), Invalid> {
    for (i, m) in members.iter().enumerate() {
        if members.iter().take(i).any(|earlier| earlier.key == m.key) {
            return Err(wrong(m.key_pos, &m.key, "appears twice"));
        }
    }
    Ok(())
}
