//! `cookiegate scan` as QA runs it: the real binary drives the system's
//! Chromium through the demo storefront and the scan test pages
//! (www/scan-fixtures/), served with the built dist/ (COOKIEGATE_DIST
//! overrides) by tools/serve.mjs. Tracker hosts are mapped to that local
//! server with `--chromium-arg=--host-resolver-rules=…`; nothing reaches
//! the internet. Needs dist/ (`./build.sh build`) and Chromium; fails, never
//! skips, without them. Run by `./build.sh test` after the dist/ build.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

/// The local site, started once for the whole binary; it stops when this
/// process ends (its standard input closes).
struct Site {
    port: u16,
    _child: Mutex<(Child, ChildStdin)>,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dist = std::env::var_os("COOKIEGATE_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("dist"));
        for file in ["cookiegate.js", "catalogue.json", "cookiegate_core_bg.wasm"] {
            assert!(
                dist.join(file).is_file(),
                "{} has no {file}: build it with ./build.sh build (or set COOKIEGATE_DIST)",
                dist.display()
            );
        }
        let mut child = Command::new("node")
            .arg("tests/fixtures/scan/serve.mjs")
            .env("COOKIEGATE_DIST", &dist)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs tests/fixtures/scan/serve.mjs");
        let stdout = child.stdout.take().expect("its stdout");
        let stdin = child.stdin.take().expect("its stdin");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server says its port");
        let port = line
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected server output {line:?}"));
        Site {
            port,
            _child: Mutex::new((child, stdin)),
        }
    })
}

/// Every host the pages use, mapped to the local site; anything else fails
/// to resolve (as it would offline), but is still recorded as attempted.
/// (Hosts on Chromium's HSTS preload list, such as www.facebook.com, cannot
/// stand in over http: the browser upgrades them to https.)
fn resolver_rules() -> String {
    let p = site().port;
    format!(
        "--host-resolver-rules=MAP www.shop.test 127.0.0.1:{p}, MAP www.googletagmanager.com 127.0.0.1:{p}, MAP in.hotjar.com 127.0.0.1:{p}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    )
}

struct Scan {
    out: Output,
    json: Option<Value>,
    html: Option<String>,
}

impl Scan {
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn report(&self) -> &Value {
        self.json
            .as_ref()
            .unwrap_or_else(|| panic!("no JSON report; stderr: {}", self.stderr()))
    }
    /// `(kind, phase, subject)` of every finding.
    fn findings(&self) -> Vec<(String, String, String)> {
        let list = self.report()["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        list.iter()
            .map(|f| {
                let subject = ["cookie", "storage", "element", "host"]
                    .iter()
                    .find_map(|k| f[*k].as_str())
                    .unwrap_or("")
                    .to_string();
                (
                    f["kind"].as_str().unwrap_or("").to_string(),
                    f["phase"].as_str().unwrap_or("").to_string(),
                    subject,
                )
            })
            .collect()
    }
    fn finding(&self, kind: &str, subject: &str) -> Value {
        let list = self.report()["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        list.into_iter()
            .find(|f| {
                f["kind"] == kind
                    && ["cookie", "storage", "element", "host"]
                        .iter()
                        .any(|k| f[*k] == subject)
            })
            .unwrap_or_else(|| panic!("no {kind} {subject}: {:?}", self.findings()))
    }
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cookiegate-scan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Runs `cookiegate scan URL extra… --json --html --chromium-arg RULES`.
fn scan(name: &str, url: &str, extra: &[&str]) -> Scan {
    let json = temp(&format!("{name}.json"));
    let html = temp(&format!("{name}.html"));
    let _ = std::fs::remove_file(&json);
    let _ = std::fs::remove_file(&html);
    let out = Command::new(env!("CARGO_BIN_EXE_cookiegate"))
        .arg("scan")
        .arg(url)
        .args(extra)
        .arg("--json")
        .arg(&json)
        .arg("--html")
        .arg(&html)
        .arg("--chromium-arg")
        .arg(resolver_rules())
        .output()
        .expect("cookiegate runs");
    let read_json = std::fs::read(&json).ok().map(|b| {
        serde_json::from_slice(&b)
            .unwrap_or_else(|e| panic!("{name}: the JSON report does not parse: {e}"))
    });
    Scan {
        json: read_json,
        html: std::fs::read_to_string(&html).ok(),
        out,
    }
}

fn page(name: &str) -> String {
    format!("http://www.shop.test/scan-fixtures/{name}")
}

fn triple(kind: &str, phase: &str, subject: &str) -> (String, String, String) {
    (kind.to_string(), phase.to_string(), subject.to_string())
}

/// Prints the scan's speed (a figure, not an assertion).
fn print_speed(name: &str, s: &Scan) {
    let summary = &s.report()["summary"];
    let loads = summary["page_loads"].as_f64().unwrap_or(0.0);
    let seconds = summary["seconds"].as_f64().unwrap_or(0.0);
    if seconds > 0.0 {
        eprintln!(
            "scan speed ({name}): {loads} page loads in {seconds} s = {:.0} page loads per minute",
            loads * 60.0 / seconds
        );
    }
}

#[test]
fn the_demo_storefront_is_clean_and_the_control_catalogue_shows_what_loaded() {
    let s = scan("demo", "http://www.shop.test/", &[]);
    assert_eq!(s.code(), Some(0), "{}\n{}", s.stdout(), s.stderr());
    assert_eq!(s.findings(), Vec::new());
    let pages = &s.report()["pages"][0];
    assert_eq!(pages["cookiegate"], true);
    assert_eq!(
        pages["phases"],
        serde_json::json!(["before-choice", "after-reject", "after-accept"])
    );
    assert!(s.stdout().contains("no findings"), "{}", s.stdout());
    print_speed("demo", &s);

    // Control: against a catalogue without Yandex, LinkedIn, live chat…, the
    // same scan sees their stand-ins' cookies once "Accept all" was clicked,
    // and only then.
    let c = scan(
        "demo-control",
        "http://www.shop.test/",
        &["--catalogue", "www/scan-fixtures/catalogue.json"],
    );
    assert_eq!(c.code(), Some(1), "{}", c.stderr());
    let found = c.findings();
    for cookie in ["_ym_uid", "li_fat_id", "__lc_cid", "_gcl_au"] {
        assert!(
            found.contains(&triple("undeclared-cookie", "after-accept", cookie)),
            "{cookie}: {found:?}"
        );
    }
    assert!(
        !found.iter().any(|(kind, _, _)| kind == "leak"),
        "the demo gates every tracker: {found:?}"
    );
}

#[test]
fn an_undeclared_tracker_is_reported_with_suggestions_and_the_linked_page_is_scanned() {
    let s = scan("undeclared", &page("undeclared.html"), &["--pages", "3"]);
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    assert_eq!(
        s.findings(),
        [
            triple("undeclared-cookie", "after-accept", "_hjSessionUser_1234567"),
            triple("undeclared-storage", "after-accept", "_hjLocalStorageTest"),
            triple("undeclared-host", "after-accept", "in.hotjar.com"),
        ],
        "gated by cookiegate, so nothing leaks; _ga (2 years, kept 400 days) is no lifetime finding"
    );
    let cookie = s.finding("undeclared-cookie", "_hjSessionUser_1234567");
    assert_eq!(
        cookie["suggestion"],
        serde_json::json!({
            "vendor": "Hotjar", "category": "preferences", "lifetime": "365 days",
            "matched": "_hjSessionUser_*", "controller": "Hotjar",
            "privacy_url": "https://www.hotjar.com/legal/policies/privacy/",
            "source": "Open Cookie Database"
        })
    );
    assert_eq!(
        cookie["evidence"],
        serde_json::json!([page("hotjar.js")]),
        "the script that wrote it"
    );
    assert_eq!(
        s.report()["pages"][0]["pages"],
        serde_json::json!([page("undeclared.html"), page("second.html")]),
        "the same-origin link is followed"
    );
    assert_eq!(
        s.report()["summary"]["page_loads"],
        6,
        "two pages in three phases"
    );
}

#[test]
fn an_unmarked_tracker_leaks_before_a_choice_and_after_reject_all() {
    let s = scan("leak", &page("leak.html"), &["--pages", "0"]);
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    let found = s.findings();
    let element = "<script src=\"http://www.googletagmanager.com/stand-ins/gtag.js?id=G-LEAK\">";
    let frame = "<iframe src=\"http://www.googletagmanager.com/scan-fixtures/tag-frame.html\">";
    for expected in [
        triple("leak", "before-choice", "www.googletagmanager.com"),
        triple("leak", "after-reject", "www.googletagmanager.com"),
        triple("unmarked-element", "before-choice", element),
        triple("unmarked-element", "before-choice", frame),
        // Read from the frame's partitioned storage.
        triple("leak", "before-choice", "_gtm_frame_state"),
        triple("leak", "after-reject", "_gtm_frame_state"),
        triple("undeclared-storage", "before-choice", "_gtm_frame_state"),
    ] {
        assert!(found.contains(&expected), "{expected:?} missing: {found:?}");
    }
    assert!(
        found
            .iter()
            .all(|(kind, phase, _)| kind != "leak" || phase != "after-accept"),
        "{found:?}"
    );
    // The unmarked tag itself loads (the parser inserted it), but cookiegate
    // holds the hits it sends to the analytics host until consent.
    assert!(
        !found.contains(&triple("leak", "before-choice", "www.google-analytics.com")),
        "{found:?}"
    );
    let unmarked = s.finding("unmarked-element", element);
    assert_eq!(unmarked["host"], "www.googletagmanager.com");
    assert_eq!(unmarked["service"], "google-analytics");
    assert_eq!(unmarked["severity"], "high");

    // The HTML report: one screenshot per phase, inline; page data escaped.
    let html = s.html.as_deref().expect("an HTML report");
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), 3);
    assert!(!html.contains("src=\"http"), "no outside resources");
    assert!(html.contains("&lt;script src=&quot;http://www.googletagmanager.com"));
    assert!(
        !html.contains("<script"),
        "the page's markup is never raised to HTML"
    );
    // The terminal report groups by severity.
    let text = s.stdout();
    assert!(
        text.contains("HIGH: data reaches someone without consent"),
        "{text}"
    );
}

#[test]
fn a_lifetime_longer_than_declared_is_reported() {
    let s = scan("lifetime", &page("lifetime.html"), &["--pages", "0"]);
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    assert_eq!(s.findings(), [triple("lifetime", "after-accept", "_gid")]);
    let f = s.finding("lifetime", "_gid");
    assert_eq!(f["declared_lifetime"], "24 hours");
    assert_eq!(f["stored_lifetime"], "30 days");
    assert_eq!(f["evidence"], serde_json::json!([page("long-gid.js")]));
}

#[test]
fn a_declared_service_never_used_leaves_its_cookies_unseen() {
    let s = scan("unused", &page("unused.html"), &["--pages", "0"]);
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    let expected: Vec<_> = ["_fbc", "_fbp", "c_user", "datr", "fr", "sb", "xs"]
        .iter()
        .map(|c| triple("unseen", "", c))
        .collect();
    assert_eq!(
        s.findings(),
        expected,
        "Google Analytics ran, so none of its cookies is unseen"
    );
    let f = s.finding("unseen", "_fbp");
    assert!(f.get("phase").is_none(), "unseen has no phase: {f}");
    assert_eq!(f["service"], "facebook");

    // Two start URLs of one shop (one catalogue) are judged together: the
    // second page runs nothing, yet Google Analytics ran on the first, and
    // each Facebook cookie is reported once.
    let both = scan(
        "unused-both",
        &page("second.html"),
        &["--pages", "0", &page("unused.html")],
    );
    assert_eq!(both.code(), Some(1), "{}", both.stderr());
    assert_eq!(both.findings(), expected);
}

#[test]
fn a_page_without_cookiegate_is_scanned_before_a_choice_only() {
    let s = scan(
        "no-cookiegate",
        &page("no-cookiegate.html"),
        &[
            "--pages",
            "0",
            "--catalogue",
            "www/scan-fixtures/catalogue.json",
        ],
    );
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    assert_eq!(
        s.findings(),
        [
            triple("leak", "before-choice", "_fbp"),
            triple("leak", "before-choice", "_ga"),
            triple("leak", "before-choice", "_ga_PLAIN"),
        ]
    );
    let p = &s.report()["pages"][0];
    assert_eq!(p["cookiegate"], false);
    assert_eq!(p["phases"], serde_json::json!(["before-choice"]));
    assert_eq!(
        p["skipped_phases"],
        serde_json::json!(["after-reject", "after-accept"])
    );
    assert!(
        s.stdout()
            .contains("does not embed cookiegate: only before-choice ran"),
        "{}",
        s.stdout()
    );
    assert_eq!(
        s.html
            .as_deref()
            .map(|h| h.matches("data:image/png").count()),
        Some(1)
    );
}

#[test]
fn no_banner_where_one_is_expected_exits_2_and_says_so() {
    let s = scan(
        "broken",
        &page("broken.html"),
        &["--catalogue", "www/scan-fixtures/catalogue.json"],
    );
    assert_eq!(s.code(), Some(2), "{}", s.stdout());
    let err = s.stderr();
    assert!(err.contains("no banner where one is expected"), "{err}");
    assert!(
        err.contains("missing-catalogue.json: HTTP 404"),
        "the page's console is quoted: {err}"
    );
    assert!(s.json.is_none(), "no page was scanned, so no JSON");
}

#[test]
fn an_unreachable_url_exits_2_and_says_so() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let url = format!("http://127.0.0.1:{port}/");
    let s = scan("unreachable", &url, &[]);
    assert_eq!(s.code(), Some(2), "{}", s.stdout());
    let err = s.stderr();
    assert!(
        err.contains(&format!("{url}: unreachable: net::ERR_CONNECTION_REFUSED")),
        "{err}"
    );
    assert!(s.json.is_none());

    // With a scannable URL beside it, the JSON is written and the exit is still 2.
    let both = Command::new(env!("CARGO_BIN_EXE_cookiegate"))
        .args(["scan", &url, &page("second.html"), "--pages", "0", "--json"])
        .arg(temp("both.json"))
        .arg(format!("--chromium-arg={}", resolver_rules()))
        .output()
        .expect("runs");
    assert_eq!(both.status.code(), Some(2));
    let report: Value =
        serde_json::from_slice(&std::fs::read(temp("both.json")).expect("written")).expect("json");
    assert_eq!(report["errors"][0]["kind"], "unreachable");
    assert_eq!(report["pages"][0]["url"], page("second.html"));
}

#[test]
fn suggested_entries_pass_check_once_filled_in_and_make_the_next_scan_clean() {
    let s = scan(
        "suggest",
        &page("undeclared.html"),
        &["--pages", "0", "--suggest"],
    );
    assert_eq!(s.code(), Some(1), "{}", s.stderr());
    assert!(
        s.stderr().contains("undeclared-cookie"),
        "the report moves to stderr"
    );
    let entries: Value = serde_json::from_str(&s.stdout()).expect("stdout is the entries' JSON");
    let mut catalogue: Value = serde_json::from_slice(
        &std::fs::read("www/scan-fixtures/catalogue.json").expect("the fixtures' catalogue"),
    )
    .expect("json");
    let services = entries["services"].as_array().cloned().expect("services");
    assert_eq!(services.len(), 1, "one service for Hotjar: {entries}");
    catalogue["services"]
        .as_array_mut()
        .expect("services")
        .extend(services);
    let check = |c: &Value, name: &str| {
        let path = temp(name);
        std::fs::write(&path, serde_json::to_string_pretty(c).expect("json")).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_cookiegate"))
            .arg("check")
            .arg(&path)
            .output()
            .expect("check runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            path,
        )
    };
    let (code, said, _) = check(&catalogue, "unfilled.json");
    assert_eq!(
        code,
        Some(1),
        "the empty texts must be written first: {said}"
    );
    assert!(said.contains("purpose.en: this text is empty"), "{said}");
    fill_texts(&mut catalogue);
    let (code, said, filled) = check(&catalogue, "filled.json");
    assert_eq!(code, Some(0), "{said}");

    let again = scan(
        "suggest-again",
        &page("undeclared.html"),
        &["--pages", "0", "--catalogue", &filled.to_string_lossy()],
    );
    assert_eq!(again.code(), Some(0), "{}", again.stdout());
    assert_eq!(again.findings(), Vec::new());
}

/// What a catalogue editor does: writes every empty text.
fn fill_texts(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for value in o.values_mut() {
                if value.as_str() == Some("") {
                    *value = "Written by the catalogue editor.".into();
                } else {
                    fill_texts(value);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(fill_texts),
        _ => {}
    }
}
