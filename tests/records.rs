//! `cookiegate records`, run as a shop would run it, on a real SQLite file
//! and (when `./build.sh test` started one) a real PostgreSQL database:
//! what is stored, what is refused, who may read what, and whether
//! `verify` notices a log edited by hand.
// The service is native only.
#![cfg(not(target_arch = "wasm32"))]

mod records_support;

use cookiegate::consent::Method;
use records_support::*;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn a_banner_record_is_stored_once_and_given_back_to_its_visitor() {
    let catalogue = storefront();
    for db in engines() {
        let service = Service::start(&db, &[]);
        let id = consent_id(1);
        let body = record(&catalogue, &id, Method::Custom, false);
        let headers = [
            ("Content-Type", "application/json"),
            ("Origin", "https://shop.example"),
            ("Referer", "https://shop.example/checkout?coupon=SECRET#pay"),
            ("User-Agent", "Mozilla/5.0 (test)"),
        ];
        let first = post(service.port, &headers, body.as_bytes());
        assert_eq!(first.status, 201, "{}: {}", db.engine(), first.body);
        let receipt = json(&first.body)["receipt"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert_eq!(receipt.len(), 64, "{}", first.body);
        // A retried beacon: answered 2xx again, stored once, same receipt.
        let again = post(service.port, &headers, body.as_bytes());
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(json(&again.body)["duplicate"], true);
        assert_eq!(
            json(&again.body)["receipt"].as_str(),
            Some(receipt.as_str())
        );

        let mine = get(service.port, &format!("/consent/{id}"), None);
        assert_eq!(mine.status, 200, "{}", mine.body);
        let v = json(&mine.body);
        let list = v["records"].as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), 1, "{}: stored once: {}", db.engine(), mine.body);
        let stored = &list[0];
        assert_eq!(
            stored["record"],
            json(&body),
            "the record as the banner sent it"
        );
        assert_eq!(
            stored["ip"], "127.0.0.0/24",
            "the address is masked to its /24"
        );
        assert_eq!(stored["user_agent"], "Mozilla/5.0 (test)");
        assert_eq!(stored["origin"], "https://shop.example");
        assert_eq!(stored["path"], "/checkout", "no query or fragment is kept");
        assert_eq!(stored["receipt"].as_str(), Some(receipt.as_str()));
        let received = stored["received"].as_str().unwrap_or("");
        let received_ms = cookiegate::consent::time::ms_from_iso(received).unwrap_or(0);
        assert!(
            (now_ms() - received_ms).abs() < 60_000,
            "server time: {received}"
        );

        assert_eq!(
            get(service.port, &format!("/consent/{}", consent_id(2)), None).status,
            404
        );
        assert_eq!(get(service.port, "/consent/'%20OR%201=1", None).status, 400);
        assert_eq!(exported_ids(&db), vec![id]);
    }
}

#[test]
fn without_an_address_or_user_agent_when_told_so() {
    let catalogue = storefront();
    let db = sqlite_db();
    let service = Service::start(&db, &["--no-ip", "--no-user-agent"]);
    let id = consent_id(3);
    let r = post(
        service.port,
        &[
            ("Content-Type", "text/plain;charset=UTF-8"),
            ("User-Agent", "curl"),
        ],
        record(&catalogue, &id, Method::RejectAll, false).as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let v = json(&get(service.port, &format!("/consent/{id}"), None).body);
    assert_eq!(v["records"][0]["ip"], serde_json::Value::Null);
    assert_eq!(v["records"][0]["user_agent"], serde_json::Value::Null);

    // Behind a proxy: the address the proxy appended, masked (IPv6 to /48).
    let proxied = Service::start(&db, &["--client-ip-header", "X-Forwarded-For"]);
    let id = consent_id(4);
    let r = post(
        proxied.port,
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", "198.51.100.1, 2001:db8:abcd:12::7"),
        ],
        record(&catalogue, &id, Method::RejectAll, false).as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let v = json(&get(proxied.port, &format!("/consent/{id}"), None).body);
    assert_eq!(v["records"][0]["ip"], "2001:db8:abcd::/48");
}

/// Edits one field of a banner record.
fn edited(body: &str, f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = json(body);
    f(&mut v);
    v.to_string()
}

/// What, the status expected, the body, the headers, what the error must say.
type Case<'a> = (&'a str, u16, Vec<u8>, &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bad_input_gets_a_4xx_json_error_and_stores_nothing() {
    let catalogue = storefront();
    for db in engines() {
        let service = Service::start(&db, &["--read-timeout", "1"]);
        let port = service.port;
        // A control record first: bad input must not disturb what is stored.
        let kept = consent_id(10);
        assert_eq!(
            post_json(port, &record(&catalogue, &kept, Method::AcceptAll, false)).status,
            201
        );

        let id = consent_id(11);
        let good = record(&catalogue, &id, Method::Custom, false);
        let accept = record(&catalogue, &id, Method::AcceptAll, false);
        let json_h = [("Content-Type", "application/json")];
        let gpc_h = [("Content-Type", "application/json"), ("Sec-GPC", "1")];
        let cases: Vec<Case> = vec![
            (
                "malformed JSON",
                400,
                b"{\"id\": nope}".to_vec(),
                &json_h,
                "not a consent record",
            ),
            (
                "truncated JSON",
                400,
                good.as_bytes()[..good.len() / 2].to_vec(),
                &json_h,
                "not a consent record",
            ),
            (
                "not UTF-8",
                400,
                b"{\"id\":\"\xff\xfe\"}".to_vec(),
                &json_h,
                "UTF-8",
            ),
            (
                "an array",
                400,
                b"[1,2]".to_vec(),
                &json_h,
                "expected an object",
            ),
            (
                "form content type",
                415,
                good.clone().into_bytes(),
                &[("Content-Type", "application/x-www-form-urlencoded")],
                "application/json",
            ),
            (
                "no content type",
                415,
                good.clone().into_bytes(),
                &[],
                "application/json",
            ),
            (
                "unknown revision",
                422,
                edited(&good, |v| v["revision"] = 99.into()).into_bytes(),
                &json_h,
                "revision 99",
            ),
            (
                "category the catalogue lacks",
                422,
                edited(&good, |v| v["categories"]["telemetry"] = true.into()).into_bytes(),
                &json_h,
                "categories.telemetry",
            ),
            (
                "service the catalogue lacks",
                422,
                edited(&good, |v| v["services"]["hotjar"] = false.into()).into_bytes(),
                &json_h,
                "services.hotjar",
            ),
            (
                "category left out",
                422,
                edited(&good, |v| {
                    v["categories"].as_object_mut().map(|o| o.remove("social"));
                })
                .into_bytes(),
                &json_h,
                "social",
            ),
            (
                "required category refused",
                422,
                edited(&good, |v| v["categories"]["necessary"] = false.into()).into_bytes(),
                &json_h,
                "required",
            ),
            (
                "service on under a refused category",
                422,
                edited(&good, |v| v["services"]["facebook"] = true.into()).into_bytes(),
                &json_h,
                "services.facebook",
            ),
            (
                "reject-all that grants analytics",
                422,
                edited(&good, |v| v["method"] = "reject-all".into()).into_bytes(),
                &json_h,
                "reject-all",
            ),
            (
                "restored is not a choice",
                422,
                edited(&good, |v| v["method"] = "restored".into()).into_bytes(),
                &json_h,
                "restored",
            ),
            (
                "dated tomorrow",
                422,
                edited(&good, |v| {
                    v["timestamp"] =
                        cookiegate::consent::time::iso_from_ms(now_ms() + 86_400_000).into()
                })
                .into_bytes(),
                &json_h,
                "after the server's clock",
            ),
            (
                "gpc claimed, no Sec-GPC header",
                422,
                edited(&good, |v| v["gpc"] = true.into()).into_bytes(),
                &json_h,
                "Sec-GPC",
            ),
            (
                "gpc denied, Sec-GPC: 1 sent",
                422,
                good.clone().into_bytes(),
                &gpc_h,
                "Sec-GPC",
            ),
            (
                "accept-all under GPC granting marketing",
                422,
                edited(&accept, |v| v["gpc"] = true.into()).into_bytes(),
                &gpc_h,
                "Global Privacy Control",
            ),
            (
                "SQL in the consent id",
                422,
                edited(&good, |v| {
                    v["id"] = "x'); DROP TABLE consent_records; --".into()
                })
                .into_bytes(),
                &json_h,
                "`id`",
            ),
            (
                "spreadsheet formula in the consent id",
                422,
                edited(&good, |v| {
                    v["id"] = "=HYPERLINK(\"https://evil.example\")".into()
                })
                .into_bytes(),
                &json_h,
                "`id`",
            ),
            (
                "SQL in a category id",
                422,
                edited(&good, |v| {
                    v["categories"]["'; DELETE FROM consent_records; --"] = true.into()
                })
                .into_bytes(),
                &json_h,
                "not in the catalogue",
            ),
            (
                "repeated key",
                400,
                good.replacen("{\"id\":", "{\"gpc\":true,\"id\":", 1)
                    .into_bytes(),
                &json_h,
                "twice",
            ),
        ];
        let total = cases.len();
        for (what, status, body, headers, says) in cases {
            let r = post(port, headers, &body);
            assert_eq!(r.status, status, "{}: {what}: {}", db.engine(), r.body);
            let error = json(&r.body)["error"].as_str().unwrap_or("").to_string();
            assert!(
                error.contains(says),
                "{what}: the error names the problem: {error}"
            );
            assert_eq!(r.header("content-type"), Some("application/json"), "{what}");
        }

        // 10 MB, declared: refused from the header, before reading it.
        let mut big = format!(
            "POST /consent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            10 * 1024 * 1024
        )
        .into_bytes();
        big.extend(std::iter::repeat_n(b' ', 10 * 1024 * 1024));
        let r = exchange(port, &big);
        assert_eq!(r.status, 413, "10 MB declared: {}", r.body);
        // 10 MB chunked (no length given): refused once past the limit.
        let mut chunked =
            b"POST /consent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..160 {
            chunked.extend_from_slice(b"10000\r\n");
            chunked.extend(std::iter::repeat_n(b' ', 0x10000));
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let r = exchange(port, &chunked);
        assert_eq!(r.status, 413, "10 MB chunked: {}", r.body);

        // A client that sends half its body and then nothing.
        let started = Instant::now();
        let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        slow.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            slow,
            "POST /consent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            good.len(),
            &good[..good.len() / 2]
        )
        .expect("write");
        let mut answer = Vec::new();
        let _ = slow.read_to_end(&mut answer);
        let r = parse_reply(&answer);
        assert_eq!(r.status, 408, "slow body: {}", r.body);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "answered within the 1 s limit"
        );
        // One that never finishes its headers: the connection is closed.
        let started = Instant::now();
        let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        slow.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        slow.write_all(b"POST /consent HTTP/1.1\r\nHost: x\r\nContent-Ty")
            .expect("write");
        let mut answer = Vec::new();
        let _ = slow.read_to_end(&mut answer);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "dropped after the 1 s limit"
        );

        // Nothing of it was stored; the control is intact; the log verifies.
        assert_eq!(
            exported_ids(&db),
            vec![kept.clone()],
            "{}: {total} bad requests stored nothing",
            db.engine()
        );
        assert_eq!(get(port, &format!("/consent/{id}"), None).status, 404);
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        assert_eq!(code, 0, "{out}");
        // And the service still takes the good record.
        assert_eq!(post_json(port, &good).status, 201);
        assert_eq!(exported_ids(&db), vec![kept, id]);
        let metrics = get(port, "/metrics", None).body;
        assert!(
            metrics.contains("cookiegate_records_refused_total{reason=\"gpc\"} 2"),
            "{metrics}"
        );
    }
}

#[test]
fn strings_from_headers_are_kept_but_cannot_break_the_export() {
    let catalogue = storefront();
    for db in engines() {
        let service = Service::start(&db, &[]);
        let id = consent_id(20);
        let r = post(
            service.port,
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "=cmd|' /C calc'!A0, \"quoted\""),
                (
                    "Referer",
                    "https://shop.example/a';DROP TABLE consent_records;--",
                ),
            ],
            record(&catalogue, &id, Method::RejectAll, false).as_bytes(),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let (code, csv, err) = records(&["export", "--database", &db.url(), "--format", "csv"]);
        assert_eq!(code, 0, "{err}");
        let mut lines = csv.lines();
        assert!(lines
            .next()
            .unwrap_or("")
            .starts_with("seq,received,consent_id"));
        let row = lines.next().unwrap_or("");
        assert!(
            row.contains(",\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\","),
            "the formula is neutralised and quoted: {row}"
        );
        assert!(row.contains("/a';DROP TABLE consent_records;--"), "{row}");
        assert_eq!(lines.next(), None);
        // The table survived the string meant to drop it.
        assert_eq!(db.count("SELECT COUNT(*) FROM consent_records"), 1);
    }
}

#[test]
fn export_and_report_need_the_operator_token_and_the_visitor_routes_do_not() {
    let catalogue = storefront();
    for db in engines() {
        let service = Service::start(&db, &[]);
        let port = service.port;
        for (n, method) in [
            Method::AcceptAll,
            Method::RejectAll,
            Method::RejectAll,
            Method::Custom,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(
                post_json(
                    port,
                    &record(&catalogue, &consent_id(30 + n as u64), method, false)
                )
                .status,
                201
            );
        }
        for path in ["/export", "/export?format=csv", "/report"] {
            let r = get(port, path, None);
            assert_eq!(r.status, 401, "{path}");
            assert!(r
                .header("www-authenticate")
                .is_some_and(|v| v.starts_with("Basic")));
            assert!(
                !r.body.contains(&consent_id(30)),
                "{path} leaks nothing without the token"
            );
            assert_eq!(
                get(port, path, Some("Bearer wrong-token-wrong-token!")).status,
                401,
                "{path}"
            );
        }
        assert_eq!(get(port, "/healthz", None).status, 200);
        let export = get(port, "/export", Some(&bearer()));
        assert_eq!(export.status, 200);
        assert_eq!(export.body.lines().count(), 4, "{}", export.body);
        let csv = get(port, "/export?format=csv", Some(&bearer()));
        assert_eq!(csv.body.lines().count(), 5, "header and four rows");

        // The browser's login prompt sends Basic credentials.
        let basic = format!("Basic {}", base64(&format!("operator:{TOKEN}")));
        let report = get(port, "/report?days=7", Some(&basic));
        assert_eq!(report.status, 200, "{}", report.body);
        let html = &report.body;
        assert!(html.contains("<svg"), "a chart");
        assert!(html.contains("4 records"), "{html}");
        assert!(
            html.contains(">1 Accept all<") || html.contains(": 1 Accept all<"),
            "accept all counted"
        );
        assert!(
            html.contains(": 2 Reject all<"),
            "reject all counted: {html}"
        );
        assert!(
            html.contains("50% (2 of 4)"),
            "analytics: accept all and custom: {html}"
        );
        assert!(html.contains("25% (1 of 4)"), "marketing: accept all only");
        assert!(!html.contains("<script"), "no script at all");
        // The policy allows exactly the page's one stylesheet, nothing inline else.
        let csp = report
            .header("content-security-policy")
            .unwrap_or("")
            .to_string();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        let style = html
            .split("<style>")
            .nth(1)
            .and_then(|s| s.split("</style>").next())
            .unwrap_or("");
        let hash = base64_bytes(&Sha256::digest(style.as_bytes()));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(
            !html.contains(" style="),
            "no style attributes (blocked by the CSP)"
        );
        assert_eq!(get(port, "/report?days=0", Some(&bearer())).status, 400);
    }
}

fn base64(s: &str) -> String {
    base64_bytes(s.as_bytes())
}

fn base64_bytes(b: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn export_by_date_range_in_both_formats() {
    let catalogue = storefront();
    let db = sqlite_db();
    let service = Service::start(&db, &[]);
    for n in 0..3 {
        assert_eq!(
            post_json(
                service.port,
                &record(&catalogue, &consent_id(40 + n), Method::RejectAll, false)
            )
            .status,
            201
        );
    }
    let today = cookiegate::consent::time::iso_from_ms(now_ms())[..10].to_string();
    let tomorrow = cookiegate::consent::time::iso_from_ms(now_ms() + 86_400_000)[..10].to_string();
    let yesterday = cookiegate::consent::time::iso_from_ms(now_ms() - 86_400_000)[..10].to_string();
    let count = |args: &[&str]| {
        let mut all = vec!["export", "--database"];
        let url = db.url();
        all.push(&url);
        all.extend_from_slice(args);
        let (code, out, err) = records(&all);
        assert_eq!(code, 0, "{err}");
        out.lines().count()
    };
    assert_eq!(
        count(&["--since", &today, "--until", &today]),
        3,
        "until takes the whole day"
    );
    assert_eq!(count(&["--since", &tomorrow]), 0);
    assert_eq!(count(&["--until", &yesterday]), 0);
    assert_eq!(
        count(&["--since", &format!("{today}T00:00:00Z"), "--format", "csv"]),
        4
    );
    let (code, _, err) = records(&["export", "--database", &db.url(), "--since", "last tuesday"]);
    assert_eq!(code, 2, "a usage mistake: {err}");
    assert!(err.contains("--since") || err.contains("since"), "{err}");
    let r = get(
        service.port,
        &format!("/export?since={tomorrow}"),
        Some(&bearer()),
    );
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    assert_eq!(
        get(service.port, "/export?format=xlsx", Some(&bearer())).status,
        400
    );
}

/// A log of five records; `tamper` edits it by hand; verify must name `names`.
fn tampered(db: &Db, tamper: &str, names: &str) {
    let catalogue = storefront();
    {
        let service = Service::start(db, &[]);
        for n in 0..5 {
            assert_eq!(
                post_json(
                    service.port,
                    &record(&catalogue, &consent_id(50 + n), Method::RejectAll, false)
                )
                .status,
                201
            );
        }
    }
    let (code, out, _) = records(&["verify", "--database", &db.url()]);
    assert_eq!(code, 0, "intact before: {out}");
    assert!(out.contains("5 records intact"), "{out}");
    db.sql(tamper);
    let (code, out, _) = records(&["verify", "--database", &db.url()]);
    assert_eq!(code, 1, "{}: {tamper}: {out}", db.engine());
    assert!(
        out.contains(names),
        "{}: {tamper}: expected `{names}` in {out}",
        db.engine()
    );
}

#[test]
fn verify_names_an_edited_moved_or_removed_record() {
    let cases = [
        ("UPDATE consent_records SET record = replace(record, 'reject-all', 'accept-all'), method = 'accept-all' WHERE seq = 3", "record 3 "),
        ("UPDATE consent_records SET received_ms = received_ms - 86400000 WHERE seq = 2", "record 2 "),
        ("UPDATE consent_records SET ip = NULL WHERE seq = 1", "record 1 "),
        // Reordered: rows 2 and 4 trade places, hashes and all.
        ("UPDATE consent_records SET seq = -1 WHERE seq = 2; UPDATE consent_records SET seq = 2 WHERE seq = 4; UPDATE consent_records SET seq = 4 WHERE seq = -1", "record 2 "),
        ("DELETE FROM consent_records WHERE seq = 4", "record 4 was removed"),
        ("DELETE FROM consent_records WHERE seq >= 4", "records 4 to 5 were removed"),
        ("DELETE FROM consent_records WHERE seq = 1", "record 1 was removed"),
        ("INSERT INTO consent_records SELECT 6, received_ms, consent_id, revision, method, record, 'x' || digest, ip, user_agent, origin, path, hash FROM consent_records WHERE seq = 5", "record 6 lies past the chain head"),
    ];
    for (tamper, names) in cases {
        for db in engines() {
            tampered(&db, tamper, names);
        }
    }
    let (code, _, err) = records(&["verify", "--database", "postgres://nobody@127.0.0.1:9/none"]);
    assert_eq!(code, 3, "an unreachable database is not a verdict: {err}");
}

#[test]
fn a_retention_purge_keeps_what_remains_verifiable_and_launders_nothing() {
    use cookiegate::records::chain::{digest, Entry};
    use cookiegate::records::store::{PostgresStore, SqliteStore, Store};
    const DAY: i64 = 86_400_000;
    let entry = |n: i64, age_days: i64| {
        let record = format!("{{\"n\":{n}}}");
        Entry {
            received_ms: now_ms() - age_days * DAY,
            consent_id: consent_id(60 + n as u64),
            revision: 2,
            method: "reject-all".into(),
            digest: digest(&record),
            record,
            ip: None,
            user_agent: None,
            origin: None,
            path: None,
        }
    };
    async fn scenario<S: Store>(store: S, db: &Db, entry: impl Fn(i64, i64) -> Entry) {
        let batch: Vec<Entry> = [(1, 400), (2, 380), (3, 20), (4, 1), (5, 0)]
            .map(|(n, d)| entry(n, d))
            .to_vec();
        let appended = store.append(batch).await.expect("append");
        assert_eq!(
            appended.iter().map(|a| a.seq).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
        // Nothing is older than 500 days: nothing goes.
        assert_eq!(store.purge(now_ms() - 500 * DAY).await.expect("purge"), 0);
        assert_eq!(store.purge(now_ms() - 365 * DAY).await.expect("purge"), 2);
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        assert_eq!(code, 0, "{}: after the purge: {out}", db.engine());
        assert!(out.contains("3 records intact (records 3 to 5)"), "{out}");
        // Removing the oldest kept record as well is still noticed.
        db.sql("UPDATE consent_records SET user_agent = 'edited' WHERE seq = 3");
        let refused = store.purge(now_ms() - 10 * DAY).await;
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.to_string().contains("record 3")),
            "a purge of an edited record is refused: {refused:?}"
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM consent_records"),
            3,
            "nothing went"
        );
        db.sql("DELETE FROM consent_records WHERE seq = 3");
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("record 3 was removed"), "{out}");
    }
    for db in engines() {
        match &db {
            Db::Sqlite(_) => {
                let path = db.url().trim_start_matches("sqlite:").to_string();
                let store = SqliteStore::open(std::path::Path::new(&path)).expect("open");
                block_on(scenario(store, &db, entry));
            }
            Db::Postgres { url, .. } => block_on(async {
                let store = PostgresStore::open(url).await.expect("open");
                scenario(store, &db, entry).await;
            }),
        }
    }
}

#[test]
fn the_service_purges_by_itself_with_retain_days() {
    use cookiegate::records::chain::{digest, Entry};
    use cookiegate::records::store::{SqliteStore, Store};
    let db = sqlite_db();
    let path = db.url().trim_start_matches("sqlite:").to_string();
    let old = |n: u64| {
        let record = format!("{{\"old\":{n}}}");
        Entry {
            received_ms: now_ms() - 40 * 86_400_000,
            consent_id: consent_id(70 + n),
            revision: 2,
            method: "custom".into(),
            digest: digest(&record),
            record,
            ip: None,
            user_agent: None,
            origin: None,
            path: None,
        }
    };
    block_on(async {
        let store = SqliteStore::open(std::path::Path::new(&path)).expect("open");
        store.append(vec![old(1), old(2)]).await.expect("append");
    });
    let service = Service::start(&db, &["--retain-days", "30"]);
    let catalogue = storefront();
    assert_eq!(
        post_json(
            service.port,
            &record(&catalogue, &consent_id(79), Method::RejectAll, false)
        )
        .status,
        201
    );
    // Retention runs at start, then hourly.
    let deadline = Instant::now() + Duration::from_secs(10);
    while exported_ids(&db).len() > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        exported_ids(&db),
        vec![consent_id(79)],
        "the 40-day-old records are gone"
    );
    let (code, out, _) = records(&["verify", "--database", &db.url()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("records 3 to 3"), "{out}");
}

#[test]
fn health_and_metrics_are_open_and_say_what_happened() {
    let catalogue = storefront();
    let db = sqlite_db();
    let service = Service::start(&db, &[]);
    assert_eq!(
        post_json(
            service.port,
            &record(&catalogue, &consent_id(80), Method::RejectAll, false)
        )
        .status,
        201
    );
    assert_eq!(
        post_json(
            service.port,
            &record(&catalogue, &consent_id(80), Method::RejectAll, false)
        )
        .status,
        201,
        "another timestamp: another record"
    );
    assert_eq!(post_json(service.port, "{").status, 400);
    let health = get(service.port, "/healthz", None);
    assert_eq!(
        (health.status, health.body.as_str()),
        (200, "{\"status\":\"ok\"}")
    );
    let m = get(service.port, "/metrics", None);
    assert_eq!(m.status, 200);
    assert!(m
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
    for line in [
        "cookiegate_records_stored_total 2",
        "cookiegate_records_refused_total{reason=\"malformed\"} 1",
        "cookiegate_records_http_requests_total{route=\"post_consent\",status=\"400\"} 1",
        "cookiegate_records_post_seconds_count 2",
    ] {
        assert!(m.body.lines().any(|l| l == line), "{line} in\n{}", m.body);
    }
    assert_eq!(get(service.port, "/nope", None).status, 404);
    assert_eq!(get(service.port, "/consent", None).status, 405);
}

#[test]
fn serve_refuses_to_start_on_a_bad_catalogue_or_database() {
    let db = sqlite_db();
    let dir = db
        .url()
        .trim_start_matches("sqlite:")
        .replace("records.sqlite3", "");
    let bad = format!("{dir}bad.json");
    std::fs::write(&bad, "{\"revision\": \"two\"}").expect("write");
    let (code, _, err) = records(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database",
        &db.url(),
        "--catalogue",
        &bad,
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("bad.json"), "{err}");
    let (code, _, err) = records(&[
        "serve",
        "--catalogue",
        STOREFRONT,
        "--catalogue",
        STOREFRONT,
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("revision 2"), "{err}");
    let (code, _, err) = records(&["serve", "--frobnicate"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = records(&["verify", "--database", "mysql://x"]);
    assert_eq!(code, 2, "{err}");
}
