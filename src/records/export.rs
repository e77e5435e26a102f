//! Stored records as JSON Lines or CSV, by range of server time; shared by
//! `cookiegate records export` and `GET /export`.

use super::chain::Row;
use super::store::{Range, Store, StoreError, PAGE_ROWS};
use crate::consent::parse_stored;
use crate::consent::time::{iso_from_ms, ms_from_iso};
use crate::json;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row, safe to open in a spreadsheet.
    Csv,
}

impl Format {
    /// `jsonl` or `csv`.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The media type of a whole export.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/jsonl; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8; header=present",
        }
    }

    /// What comes before the first row.
    pub fn preamble(self) -> &'static str {
        match self {
            Format::Jsonl => "",
            Format::Csv => "seq,received,consent_id,timestamp,revision,method,gpc,categories_granted,categories_refused,services_granted,ip,user_agent,origin,path,receipt\r\n",
        }
    }

    /// One row, with its line end.
    pub fn line(self, row: &Row) -> String {
        match self {
            Format::Jsonl => jsonl(row),
            Format::Csv => csv(row),
        }
    }
}

fn opt_str(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) => json::write_str(out, s),
        None => out.push_str("null"),
    }
}

/// A row as one JSON object: where and when it arrived, the record as
/// posted (canonical JSON), and its receipt (chain hash).
pub fn jsonl(row: &Row) -> String {
    let e = &row.entry;
    let mut out = String::with_capacity(row.entry.record.len() + 256);
    out.push_str("{\"seq\":");
    out.push_str(&row.seq.to_string());
    out.push_str(",\"received\":");
    json::write_str(&mut out, &iso_from_ms(e.received_ms));
    out.push_str(",\"record\":");
    if json::parse(&e.record).is_ok() {
        out.push_str(&e.record);
    } else {
        // Not JSON any more (edited by hand): exported as text, not spliced in.
        json::write_str(&mut out, &e.record);
    }
    for (key, value) in [
        ("ip", e.ip.as_deref()),
        ("user_agent", e.user_agent.as_deref()),
        ("origin", e.origin.as_deref()),
        ("path", e.path.as_deref()),
    ] {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        opt_str(&mut out, value);
    }
    out.push_str(",\"receipt\":");
    json::write_str(&mut out, &row.hash);
    out.push_str("}\n");
    out
}

/// A CSV cell: a value a spreadsheet would run as a formula (leading `=`,
/// `+`, `-`, `@`, tab or carriage return) gets a leading `'`; a cell with a
/// comma, quote or line break is quoted.
pub fn csv_cell(out: &mut String, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

fn csv(row: &Row) -> String {
    let e = &row.entry;
    let record = parse_stored(&e.record).ok();
    let list = |on: bool, services: bool| -> String {
        record
            .as_ref()
            .map(|r| {
                let list = if services {
                    &r.choice.services
                } else {
                    &r.choice.categories
                };
                let ids: Vec<&str> = list
                    .iter()
                    .filter(|(_, v)| *v == on)
                    .map(|(k, _)| k.as_str())
                    .collect();
                ids.join(" ")
            })
            .unwrap_or_default()
    };
    let cells: [String; 15] = [
        row.seq.to_string(),
        iso_from_ms(e.received_ms),
        e.consent_id.clone(),
        record
            .as_ref()
            .map(|r| iso_from_ms(r.timestamp_ms))
            .unwrap_or_default(),
        e.revision.to_string(),
        e.method.clone(),
        record
            .as_ref()
            .map(|r| r.gpc.to_string())
            .unwrap_or_default(),
        list(true, false),
        list(false, false),
        list(true, true),
        e.ip.clone().unwrap_or_default(),
        e.user_agent.clone().unwrap_or_default(),
        e.origin.clone().unwrap_or_default(),
        e.path.clone().unwrap_or_default(),
        row.hash.clone(),
    ];
    let mut out = String::with_capacity(512);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_cell(&mut out, cell);
    }
    out.push_str("\r\n");
    out
}

/// A `--since`/`--until` bound: `YYYY-MM-DD` (a UTC day; `until` takes
/// the whole day in) or a UTC time `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
fn bound(text: &str, end_of_day: bool) -> Option<i64> {
    if text.len() == 10 {
        let start = ms_from_iso(&format!("{text}T00:00:00Z"))?;
        return Some(if end_of_day {
            start + 86_400_000
        } else {
            start
        });
    }
    ms_from_iso(text)
}

/// The range from `since` (inclusive) to `until`, or why not.
pub fn range_of(since: Option<&str>, until: Option<&str>) -> Result<Range, String> {
    let read = |name: &str, text: Option<&str>, end: bool| -> Result<Option<i64>, String> {
        text.map(|t| {
            bound(t, end).ok_or_else(|| {
                format!("`{name}` must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, not `{t}`")
            })
        })
        .transpose()
    };
    Ok(Range {
        since_ms: read("since", since, false)?,
        until_ms: read("until", until, true)?,
    })
}

/// Hands every row in `range` to `each`, a page at a time, in seq order,
/// until `each` says stop (returns false).
pub async fn each_page<S: Store>(
    store: &S,
    range: Range,
    mut each: impl FnMut(&[Row]) -> bool,
) -> Result<(), StoreError> {
    let mut after = i64::MIN;
    loop {
        let rows = store.page(after, range, PAGE_ROWS).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.seq;
        if !each(&rows) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_separators_cannot_escape_their_cell() {
        let cell = |v: &str| {
            let mut out = String::new();
            csv_cell(&mut out, v);
            out
        };
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("a,b\nc"), "\"a,b\nc\"");
    }
}
