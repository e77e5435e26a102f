//! Durability: `kill -9` the service in the middle of a load run, start it
//! again, and check that every record answered 2xx is stored, none twice,
//! the chain verifies; then edit one stored row by hand and `verify` must
//! name it. On SQLite and on PostgreSQL. Bounded: 20,000 records at most,
//! 32 clients, 60 s, loopback only.
// The service is native only.
#![cfg(not(target_arch = "wasm32"))]

mod records_support;

use cookiegate::consent::Method;
use records_support::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const RECORDS: usize = 20_000;

#[test]
fn kill_9_mid_load_loses_no_answered_record_and_stores_none_twice() {
    let catalogue = storefront();
    for db in engines() {
        let ids: Vec<String> = (0..RECORDS)
            .map(|i| consent_id(1_000_000 + i as u64))
            .collect();
        let methods = [Method::AcceptAll, Method::RejectAll, Method::Custom];
        let requests: Arc<Vec<Vec<u8>>> = Arc::new(
            ids.iter()
                .enumerate()
                .map(|(i, id)| {
                    load::request("/consent", &record(&catalogue, id, methods[i % 3], false))
                })
                .collect(),
        );
        let mut service = Service::start(&db, &[]);
        let port = service.port;
        let load_requests = Arc::clone(&requests);
        let load = std::thread::spawn(move || {
            block_on(load::run(port, 32, load_requests, Duration::from_secs(60)))
        });
        // Kill once a good part is in, well before the end.
        let deadline = Instant::now() + Duration::from_secs(30);
        while db.count("SELECT COUNT(*) FROM consent_records") < 2_000 && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        service.kill();
        let outcome = load.join().expect("the load thread");
        let answered: HashSet<&str> = outcome.acked.iter().map(|&i| ids[i].as_str()).collect();
        // Rows are committed before their answers reach the clients, so the
        // answered count trails the 2,000 stored rows by what was in flight
        // (up to 32 clients); half of them is still "a good part".
        assert!(
            answered.len() >= 1_000 && answered.len() < RECORDS,
            "{}: killed mid-run ({} answered)",
            db.engine(),
            answered.len()
        );

        let restarted = Service::start(&db, &[]);
        let stored = exported_ids(&db);
        let unique: HashSet<&str> = stored.iter().map(String::as_str).collect();
        assert_eq!(
            unique.len(),
            stored.len(),
            "{}: no record stored twice",
            db.engine()
        );
        let missing: Vec<&&str> = answered
            .iter()
            .filter(|id| !unique.contains(**id))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: answered 2xx but lost: {missing:?}",
            db.engine()
        );
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        assert_eq!(code, 0, "{}: after kill -9: {out}", db.engine());
        println!(
            "{}: killed after {} answered 2xx ({} in flight got no answer); after restart {} stored, all answered ones among them, none twice; verify: {}",
            db.engine(),
            answered.len(),
            outcome.lost,
            stored.len(),
            out.lines().next().unwrap_or("")
        );

        // Beacons retried after the restart are answered and not stored again.
        let retried: Arc<Vec<Vec<u8>>> = Arc::new(
            outcome
                .acked
                .iter()
                .take(500)
                .map(|&i| requests[i].clone())
                .collect(),
        );
        let again = block_on(load::run(
            restarted.port,
            8,
            retried,
            Duration::from_secs(30),
        ));
        assert_eq!(
            again.acked.len(),
            500.min(outcome.acked.len()),
            "retries answered 2xx"
        );
        assert_eq!(
            exported_ids(&db).len(),
            stored.len(),
            "{}: retries stored nothing new",
            db.engine()
        );

        // Someone edits one row by hand: verify names it.
        let seq = db.count("SELECT MAX(seq) FROM consent_records") / 2;
        db.sql(&format!(
            "UPDATE consent_records SET record = replace(record, '\"gpc\":false', '\"gpc\":true') WHERE seq = {seq}"
        ));
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        assert_eq!(code, 1, "{}: {out}", db.engine());
        assert!(
            out.contains(&format!("record {seq} ")),
            "{}: names record {seq}: {out}",
            db.engine()
        );
    }
}
