//! The Open Cookie Database (Apache-2.0, shipped in `data/`): who sets a
//! cookie or storage key of a given name, for which purpose, for how long.
//! Looked up by exact name first, else by the longest wildcard prefix.

use crate::catalogue::{Lifetime, Unit};

/// The shipped snapshot (jkwakman/Open-Cookie-Database, 2026-01-21).
const SHIPPED_CSV: &str = include_str!("../../data/open-cookie-database.csv");

/// One row of the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// The platform (vendor), such as `Google Analytics`.
    pub platform: String,
    /// Its category: Functional, Personalization, Analytics, Marketing,
    /// Security or Necessary.
    pub category: String,
    /// The cookie or storage key name (a prefix when `wildcard`).
    pub name: String,
    /// The domain it is set on, as the database writes it (may be empty).
    pub domain: String,
    /// Its retention period, as the database writes it (`2 years`, `Session`).
    pub retention: String,
    /// Who controls the data.
    pub controller: String,
    /// The vendor's privacy page.
    pub privacy_url: String,
    /// Whether `name` is a prefix.
    pub wildcard: bool,
}

impl Known {
    /// The catalogue category its database category maps to (contract §8).
    pub fn catalogue_category(&self) -> Option<&'static str> {
        catalogue_category(&self.category)
    }

    /// Its retention as a catalogue lifetime, when the database's wording
    /// can be read as one.
    pub fn lifetime(&self) -> Option<Lifetime> {
        retention_lifetime(&self.retention)
    }
}

/// The catalogue category of an Open Cookie Database category: Functional
/// and Personalization → `preferences`, Analytics → `analytics`, Marketing →
/// `marketing`, Security (and Necessary) → `necessary`.
pub fn catalogue_category(ocd: &str) -> Option<&'static str> {
    match ocd.trim().to_ascii_lowercase().as_str() {
        "functional" | "personalization" => Some("preferences"),
        "analytics" => Some("analytics"),
        "marketing" => Some("marketing"),
        "security" | "necessary" => Some("necessary"),
        _ => None,
    }
}

/// A retention period (`1 Year`, `365 days`, `Session`, `End of session
/// (browser)`) as a lifetime; `None` for `Unknown`, `forever` and the like.
pub fn retention_lifetime(retention: &str) -> Option<Lifetime> {
    let text = retention.trim().to_ascii_lowercase();
    if text == "session" || text.starts_with("end of session") || text == "browser session" {
        return Some(Lifetime::Session);
    }
    let (number, unit) = text.split_once(' ')?;
    let count: u32 = number.parse().ok().filter(|n| *n > 0)?;
    let (unit, factor) = match unit.trim() {
        "minute" | "minutes" | "min" | "mins" => (Unit::Minute, 1),
        "hour" | "hours" => (Unit::Hour, 1),
        "day" | "days" => (Unit::Day, 1),
        "week" | "weeks" => (Unit::Day, 7),
        "month" | "months" => (Unit::Month, 1),
        "year" | "years" => (Unit::Year, 1),
        _ => return None,
    };
    Some(Lifetime::Span {
        count: count.checked_mul(factor)?,
        unit,
    })
}

/// The database, read.
pub struct CookieDatabase {
    rows: Vec<Known>,
}

impl CookieDatabase {
    /// The snapshot compiled into the binary.
    pub fn shipped() -> CookieDatabase {
        CookieDatabase::parse(SHIPPED_CSV)
    }

    /// Reads the database's CSV (header row first); rows with too few
    /// fields are skipped.
    pub fn parse(csv: &str) -> CookieDatabase {
        let mut records = csv_records(csv).into_iter();
        let header = records.next().unwrap_or_default();
        let column = |name: &str| header.iter().position(|h| h.trim() == name);
        let columns = (
            column("Platform"),
            column("Category"),
            column("Cookie / Data Key name"),
            column("Domain"),
            column("Retention period"),
            column("Data Controller"),
            column("User Privacy & GDPR Rights Portals"),
            column("Wildcard match"),
        );
        let (
            Some(platform),
            Some(category),
            Some(name),
            Some(domain),
            Some(retention),
            Some(controller),
            Some(privacy),
            Some(wildcard),
        ) = columns
        else {
            return CookieDatabase { rows: Vec::new() };
        };
        let rows = records
            .filter_map(|r| {
                let field = |i: usize| r.get(i).map(|s| s.trim().to_string());
                Some(Known {
                    platform: field(platform)?,
                    category: field(category)?,
                    name: field(name).filter(|n| !n.is_empty())?,
                    domain: field(domain)?,
                    retention: field(retention)?,
                    controller: field(controller)?,
                    privacy_url: field(privacy)?,
                    wildcard: field(wildcard)? == "1",
                })
            })
            .collect();
        CookieDatabase { rows }
    }

    /// How many rows it has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row for `name`: an exact entry, else the wildcard entry with the
    /// longest prefix of `name`.
    pub fn lookup(&self, name: &str) -> Option<&Known> {
        self.rows
            .iter()
            .find(|r| !r.wildcard && r.name == name)
            .or_else(|| {
                self.rows
                    .iter()
                    .filter(|r| r.wildcard && name.starts_with(r.name.as_str()))
                    .max_by_key(|r| r.name.len())
            })
    }
}

/// The records of a CSV text: comma-separated fields, `"…"` quoting with
/// `""` for a quote, CRLF or LF line ends.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}
