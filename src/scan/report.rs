//! The scan's three reports: readable text grouped by severity, JSON in the
//! contract's shape (§8), and a self-contained HTML page with a screenshot
//! of each phase.

use super::compare::{storage_name, unjudged_services, Finding, Severity, Subject};
use super::observe::Phase;
use super::run::{Failure, Site, Unscannable};
use serde_json::{json, Map, Value};

/// Everything a report shows.
pub struct Outcome<'a> {
    /// The sites scanned.
    pub sites: &'a [Site],
    /// The start URLs that could not be scanned.
    pub failures: &'a [Failure],
    /// Every finding.
    pub findings: &'a [Finding],
    /// How long the scan took, in seconds.
    pub seconds: f64,
}

impl Outcome<'_> {
    fn page_loads(&self) -> usize {
        self.sites.iter().map(|s| s.visits.len()).sum()
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.kind.severity() == severity)
            .count()
    }
}

/// The failure's kind, as the JSON report names it.
fn failure_kind(why: &Unscannable) -> &'static str {
    match why {
        Unscannable::Unreachable(_) => "unreachable",
        Unscannable::NoBanner(_) => "no-banner",
        Unscannable::Catalogue(_) => "catalogue",
        Unscannable::Browser(_) => "browser",
    }
}

/// The JSON report.
pub fn json(outcome: &Outcome<'_>) -> Value {
    let findings: Vec<Value> = outcome.findings.iter().map(finding_json).collect();
    let pages: Vec<Value> = outcome
        .sites
        .iter()
        .map(|s| {
            let skipped: Vec<&str> = Phase::ALL
                .iter()
                .filter(|p| !s.phases.contains(p))
                .map(|p| p.as_str())
                .collect();
            json!({
                "url": s.url,
                "cookiegate": s.has_cookiegate,
                "phases": s.phases.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "skipped_phases": skipped,
                "pages": s.pages,
                "catalogue": s.catalogue_source,
                "notes": s.notes,
            })
        })
        .collect();
    let errors: Vec<Value> = outcome
        .failures
        .iter()
        .map(|f| json!({ "url": f.url, "kind": failure_kind(&f.why), "reason": f.why.to_string() }))
        .collect();
    json!({
        "findings": findings,
        "pages": pages,
        "errors": errors,
        "summary": {
            "findings": outcome.findings.len(),
            "high": outcome.count(Severity::High),
            "medium": outcome.count(Severity::Medium),
            "low": outcome.count(Severity::Low),
            "page_loads": outcome.page_loads(),
            "seconds": (outcome.seconds * 10.0).round() / 10.0,
        },
    })
}

fn finding_json(f: &Finding) -> Value {
    let mut o = Map::new();
    o.insert("kind".into(), json!(f.kind.as_str()));
    if let Some(phase) = f.phase {
        o.insert("phase".into(), json!(phase.as_str()));
    }
    match &f.subject {
        Subject::Cookie(name) => {
            o.insert("cookie".into(), json!(name));
        }
        Subject::Storage { key, kind } => {
            o.insert("storage".into(), json!(key));
            o.insert("storage_area".into(), json!(storage_name(*kind)));
        }
        Subject::Host(host) => {
            o.insert("host".into(), json!(host));
        }
        Subject::Element { element, host } => {
            o.insert("element".into(), json!(element));
            o.insert("host".into(), json!(host));
        }
    }
    o.insert("severity".into(), json!(f.kind.severity().as_str()));
    if let Some(service) = &f.service {
        o.insert("service".into(), json!(service));
    }
    o.insert("pages".into(), json!(f.pages));
    o.insert("message".into(), json!(f.message));
    if !f.evidence.is_empty() {
        o.insert("evidence".into(), json!(f.evidence));
    }
    if let Some((declared, stored)) = &f.lifetimes {
        o.insert("declared_lifetime".into(), json!(declared));
        o.insert("stored_lifetime".into(), json!(stored));
    }
    if let Some(s) = &f.suggestion {
        o.insert(
            "suggestion".into(),
            json!({
                "vendor": s.vendor,
                "category": s.category,
                "lifetime": s.lifetime,
                "matched": s.matched,
                "controller": s.controller,
                "privacy_url": s.privacy_url,
                "source": "Open Cookie Database",
            }),
        );
    }
    Value::Object(o)
}

fn severity_heading(s: Severity) -> &'static str {
    match s {
        Severity::High => "HIGH: data reaches someone without consent",
        Severity::Medium => "MEDIUM: the catalogue does not say what really happens",
        Severity::Low => "LOW: the catalogue declares what no page did",
    }
}

/// The readable report. Control characters from the pages (a storage key
/// may hold any) are shown as `\u{1b}`, never sent to the terminal.
pub fn text(outcome: &Outcome<'_>) -> String {
    printable(&text_raw(outcome))
}

/// `text` with control and bidi-override characters shown as `\u{…}`.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            // Controls, and the bidirectional overrides that reorder a line.
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

fn text_raw(outcome: &Outcome<'_>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "cookiegate scan: {} start URL(s), {} page loads in {:.1} s\n",
        outcome.sites.len() + outcome.failures.len(),
        outcome.page_loads(),
        outcome.seconds
    ));
    for site in outcome.sites {
        let phases: Vec<&str> = site.phases.iter().map(|p| p.as_str()).collect();
        out.push_str(&format!("\n{}\n", site.url));
        out.push_str(&format!(
            "  cookiegate: {}; phases: {}; pages: {}\n",
            if site.has_cookiegate { "yes" } else { "no" },
            phases.join(", "),
            site.pages.len()
        ));
        out.push_str(&format!("  catalogue: {}\n", site.catalogue_source));
        let unjudged = unjudged_services(&site.catalogue);
        if !unjudged.is_empty() {
            out.push_str(&format!(
                "  not judged for unseen (no hosts: set by the shop's own server or scripts): {}\n",
                unjudged.join(", ")
            ));
        }
        for note in &site.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    for failure in outcome.failures {
        out.push_str(&format!(
            "\n{}\n  NOT SCANNED: {}\n",
            failure.url, failure.why
        ));
    }
    for severity in [Severity::High, Severity::Medium, Severity::Low] {
        let group: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| f.kind.severity() == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({})\n",
            severity_heading(severity),
            group.len()
        ));
        for f in group {
            let phase = f
                .phase
                .map(|p| format!(" [{}]", p.as_str()))
                .unwrap_or_default();
            out.push_str(&format!("  {}{phase}: {}\n", f.kind.as_str(), f.message));
            if !f.pages.is_empty() {
                out.push_str(&format!("      on: {}\n", f.pages.join(", ")));
            }
            if !f.evidence.is_empty() {
                out.push_str(&format!("      by: {}\n", f.evidence.join(", ")));
            }
            if let Some(s) = &f.suggestion {
                out.push_str(&format!(
                    "      suggestion: {}, {}, {} (Open Cookie Database: {})\n",
                    s.vendor,
                    s.category.as_deref().unwrap_or("no matching category"),
                    if s.lifetime.is_empty() {
                        "lifetime unknown"
                    } else {
                        &s.lifetime
                    },
                    s.matched
                ));
            }
        }
    }
    out.push('\n');
    if outcome.findings.is_empty() && !outcome.failures.is_empty() {
        out.push_str(&format!(
            "no findings on the pages scanned; {} URL(s) could not be scanned\n",
            outcome.failures.len()
        ));
    } else if outcome.findings.is_empty() {
        out.push_str("no findings: the pages did what the catalogue says\n");
    } else {
        out.push_str(&format!(
            "{} findings: {} high, {} medium, {} low\n",
            outcome.findings.len(),
            outcome.count(Severity::High),
            outcome.count(Severity::Medium),
            outcome.count(Severity::Low)
        ));
    }
    out
}

/// Text made safe inside HTML elements and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HTML_STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2433}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #d5dae3;padding:.35rem .5rem;text-align:left;vertical-align:top}\
.high{color:#a4161a}.medium{color:#8a5a00}.low{color:#44546a}code{font-size:.9em}\
figure{display:inline-block;margin:0 1rem 1rem 0;width:31%;vertical-align:top}figure img{width:100%;border:1px solid #d5dae3}\
.clean{color:#1b6e3a;font-weight:600}";

/// The HTML report: one file, no outside resources (screenshots inline).
pub fn html(outcome: &Outcome<'_>) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">");
    out.push_str("<title>cookiegate scan</title><style>");
    out.push_str(HTML_STYLE);
    out.push_str("</style></head><body><h1>cookiegate scan</h1>");
    out.push_str(&format!(
        "<p>{} page loads in {:.1} s. {} findings: {} high, {} medium, {} low.</p>",
        outcome.page_loads(),
        outcome.seconds,
        outcome.findings.len(),
        outcome.count(Severity::High),
        outcome.count(Severity::Medium),
        outcome.count(Severity::Low)
    ));
    for failure in outcome.failures {
        out.push_str(&format!(
            "<p class=\"high\">Not scanned: <code>{}</code>: {}</p>",
            esc(&failure.url),
            esc(&failure.why.to_string())
        ));
    }
    for site in outcome.sites {
        out.push_str(&format!("<h2><code>{}</code></h2><p>", esc(&site.url)));
        out.push_str(&format!(
            "cookiegate: {}. Catalogue: {}. Pages: {}.</p>",
            if site.has_cookiegate { "yes" } else { "no" },
            esc(&site.catalogue_source),
            site.pages.len()
        ));
        for note in &site.notes {
            out.push_str(&format!("<p>{}</p>", esc(note)));
        }
        for (phase, png) in &site.screenshots {
            out.push_str(&format!(
                "<figure><img alt=\"{0} screenshot\" src=\"data:image/png;base64,{1}\"><figcaption>{0}</figcaption></figure>",
                phase.as_str(),
                esc(png)
            ));
        }
    }
    out.push_str("<h2>Findings</h2>");
    if outcome.findings.is_empty() {
        out.push_str("<p class=\"clean\">No findings: the pages did what the catalogue says.</p>");
    } else {
        out.push_str("<table><thead><tr><th>severity</th><th>kind</th><th>phase</th><th>what</th><th>pages</th><th>suggestion</th></tr></thead><tbody>");
        for f in outcome.findings {
            let severity = f.kind.severity().as_str();
            let suggestion = f
                .suggestion
                .as_ref()
                .map(|s| {
                    format!(
                        "{}, {}, {}",
                        s.vendor,
                        s.category.as_deref().unwrap_or("?"),
                        s.lifetime
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "<tr><td class=\"{severity}\">{severity}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                f.kind.as_str(),
                f.phase.map(|p| p.as_str()).unwrap_or(""),
                esc(&f.message),
                esc(&f.pages.join(" ")),
                esc(&suggestion)
            ));
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</body></html>\n");
    out
}
