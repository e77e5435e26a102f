//! The operator's report: choices per day (accept all, custom, reject all)
//! and the opt-in rate per category, as inline SVG rendered on the server.
//! No script at all; the one stylesheet is allowed by its hash, so the page
//! works under `default-src 'none'`.

use super::admit::Catalogues;
use super::base64;
use super::chain::Row;
use crate::consent::parse_stored;
use crate::consent::time::iso_from_ms;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const DAY_MS: i64 = 86_400_000;
/// Longest range the report draws.
pub const MAX_DAYS: u32 = 366;

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:62rem;padding:0 1rem;color:#1d1d1f}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}\
table{border-collapse:collapse;margin-top:.5rem}td,th{padding:.15rem .6rem;border-bottom:1px solid #ddd;text-align:right}\
td:first-child,th:first-child{text-align:left}.muted{color:#555}svg{max-width:100%;height:auto}\
svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}details{margin-top:1rem}";

/// Colours per method: accept all, custom, reject all.
const COLOURS: [&str; 3] = ["#1b7f3b", "#c77800", "#b3261e"];
const METHODS: [(&str, &str); 3] = [
    ("accept-all", "Accept all"),
    ("custom", "Custom"),
    ("reject-all", "Reject all"),
];

/// The `Content-Security-Policy` the report is served with.
pub fn content_security_policy() -> String {
    let hash = base64::encode(&Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// Counts over the rows of the report's range.
#[derive(Debug, Default)]
pub struct Tally {
    /// Per UTC day number: accept all, custom, reject all.
    days: BTreeMap<i64, [u64; 3]>,
    /// Per category id: (granted, answered).
    categories: BTreeMap<String, (u64, u64)>,
    records: u64,
}

impl Tally {
    /// Counts one row.
    pub fn add(&mut self, row: &Row) {
        let Some(m) = METHODS.iter().position(|(id, _)| *id == row.entry.method) else {
            return;
        };
        self.records += 1;
        let day = self
            .days
            .entry(row.entry.received_ms.div_euclid(DAY_MS))
            .or_insert([0; 3]);
        if let Some(n) = day.get_mut(m) {
            *n += 1;
        }
        if let Ok(record) = parse_stored(&row.entry.record) {
            for (id, on) in &record.choice.categories {
                let c = self.categories.entry(id.clone()).or_insert((0, 0));
                c.0 += u64::from(*on);
                c.1 += 1;
            }
        }
    }
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn day_label(day: i64) -> String {
    iso_from_ms(day * DAY_MS).chars().take(10).collect()
}

/// The page for the `days` UTC days ending with the day of `now_ms`.
pub fn render(tally: &Tally, catalogues: &Catalogues, now_ms: i64, days: u32) -> String {
    let last = now_ms.div_euclid(DAY_MS);
    let first = last - i64::from(days.clamp(1, MAX_DAYS)) + 1;
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">");
    out.push_str("<title>Consent records: report</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body><h1>Consent records</h1><p class=\"muted\">");
    out.push_str(&format!(
        "{} record{} from {} to {} (UTC), as stored by this service. ",
        tally.records,
        if tally.records == 1 { "" } else { "s" },
        day_label(first),
        day_label(last)
    ));
    out.push_str("</p><form method=\"get\" action=\"report\"><label>Days shown <input name=\"days\" type=\"number\" min=\"1\" max=\"366\" value=\"");
    out.push_str(&days.to_string());
    out.push_str("\"></label> <button>Show</button></form>");
    choices_chart(&mut out, tally, first, last);
    categories_chart(&mut out, tally, catalogues);
    out.push_str("</body></html>");
    out
}

fn choices_chart(out: &mut String, tally: &Tally, first: i64, last: i64) {
    let span = (last - first + 1).max(1);
    let per_day: Vec<(i64, [u64; 3])> = (first..=last)
        .map(|d| (d, tally.days.get(&d).copied().unwrap_or([0; 3])))
        .collect();
    let peak = per_day
        .iter()
        .map(|(_, c)| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, top, width, height) = (48.0, 16.0, 700.0, 200.0);
    let slot = width / span as f64;
    let bar = (slot * 0.8).max(1.0);
    out.push_str("<h2>Choices per day</h2>");
    out.push_str(&format!(
        "<svg role=\"img\" aria-labelledby=\"choices-title\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"choices-title\">Choices per day: accept all, custom, reject all</title>",
        left + width + 8.0,
        top + height + 56.0,
        left + width + 8.0,
        top + height + 56.0
    ));
    for frac in [0.0, 0.5, 1.0] {
        let y = top + height - frac * height;
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + width,
            left - 6.0,
            y + 4.0,
            (frac * peak as f64).round()
        ));
    }
    let label_every = (span as usize).div_ceil(8).max(1);
    for (i, (day, counts)) in per_day.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bar) / 2.0;
        let mut y = top + height;
        for (m, n) in counts.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let h = *n as f64 / peak as f64 * height;
            y -= h;
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {n} {}</title></rect>",
                COLOURS.get(m).unwrap_or(&"#999"),
                day_label(*day),
                METHODS.get(m).map_or("", |(_, l)| l)
            ));
        }
        if i % label_every == 0 {
            out.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                top + height + 16.0,
                day_label(*day).get(5..).unwrap_or("")
            ));
        }
    }
    for (m, (_, label)) in METHODS.iter().enumerate() {
        let x = left + m as f64 * 130.0;
        let y = top + height + 36.0;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{label}</text>",
            COLOURS.get(m).unwrap_or(&"#999"),
            x + 18.0,
            y + 11.0
        ));
    }
    out.push_str(
        "</svg><details><summary>The same as a table</summary><table><tr><th>Day (UTC)</th>",
    );
    for (_, label) in METHODS {
        out.push_str(&format!("<th>{label}</th>"));
    }
    out.push_str("</tr>");
    for (day, counts) in per_day
        .iter()
        .rev()
        .filter(|(_, c)| c.iter().any(|n| *n > 0))
    {
        out.push_str(&format!("<tr><td>{}</td>", day_label(*day)));
        for n in counts {
            out.push_str(&format!("<td>{n}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></details>");
}

fn categories_chart(out: &mut String, tally: &Tally, catalogues: &Catalogues) {
    // Newest revision first: its titles; required categories are always on.
    let newest_first: Vec<_> = catalogues.all().iter().rev().collect();
    let category = |id: &str| newest_first.iter().find_map(|c| c.category(id));
    let rows: Vec<(String, u64, u64)> = tally
        .categories
        .iter()
        .filter(|(id, _)| !category(id).is_some_and(|c| c.required))
        .map(|(id, (granted, asked))| {
            let title =
                category(id).map_or_else(|| id.clone(), |c| c.title.pick("en", "en").to_string());
            (title, *granted, *asked)
        })
        .collect();
    out.push_str("<h2>Opt-in rate per category</h2>");
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">No records in this range yet.</p>");
        return;
    }
    let (left, width, line) = (170.0, 480.0, 30.0);
    let height = rows.len() as f64 * line + 10.0;
    out.push_str(&format!(
        "<svg role=\"img\" aria-labelledby=\"rates-title\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"rates-title\">Share of records granting each category</title>",
        w = left + width + 120.0
    ));
    for (i, (title, granted, asked)) in rows.iter().enumerate() {
        let rate = if *asked == 0 {
            0.0
        } else {
            *granted as f64 / *asked as f64
        };
        let y = 5.0 + i as f64 * line;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">",
            left - 8.0,
            y + 15.0
        ));
        escape(out, title);
        out.push_str(&format!(
            "</text><rect x=\"{left}\" y=\"{y:.1}\" width=\"{width}\" height=\"20\" fill=\"#eee\"/><rect x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"20\" fill=\"#1b7f3b\"/><text x=\"{:.1}\" y=\"{:.1}\">{:.0}% ({granted} of {asked})</text>",
            rate * width,
            left + width + 8.0,
            y + 15.0,
            rate * 100.0
        ));
    }
    out.push_str("</svg>");
}
