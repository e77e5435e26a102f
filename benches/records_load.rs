//! `cookiegate records serve` under load: sustained records per second and
//! p50/p99 latency of `POST /consent` for 100,000 records from 64 clients,
//! each on a keep-alive connection, loopback only, on SQLite and on
//! PostgreSQL (the throw-away cluster `./build.sh bench records` starts).
//! Prints figures; asserts nothing but that the records were stored.
//!
//!   cargo bench --bench records_load [-- --records N --clients N]
//!
//! With COOKIEGATE_BENCH_C15T=http://127.0.0.1:PORT (a running c15t backend,
//! see benches/c15t/), the same load goes to its `POST /subjects` too.

#[path = "../tests/records_support/mod.rs"]
mod records_support;

use cookiegate::consent::Method;
use records_support::load::{self, Outcome};
use records_support::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(what: &str, o: &Outcome) {
    println!(
        "{what:<34} {:>7} stored in {:>6.2} s  {:>8.0} records/s  p50 {:>6.2} ms  p99 {:>6.2} ms  (refused {}, lost {})",
        o.acked.len(),
        o.elapsed.as_secs_f64(),
        o.per_second(),
        o.percentile_ms(0.50),
        o.percentile_ms(0.99),
        o.refused,
        o.lost
    );
}

fn main() {
    let total = arg("--records", 100_000);
    let clients = arg("--clients", 64);
    let catalogue = storefront();
    let methods = [Method::AcceptAll, Method::RejectAll, Method::Custom];
    println!(
        "POST /consent: {total} records from {clients} concurrent keep-alive clients, loopback"
    );
    for db in engines() {
        let service = Service::start(&db, &[]);
        let bodies = |from: usize, n: usize| -> Arc<Vec<Vec<u8>>> {
            Arc::new(
                (from..from + n)
                    .map(|i| {
                        load::request(
                            "/consent",
                            &record(&catalogue, &consent_id(i as u64), methods[i % 3], false),
                        )
                    })
                    .collect(),
            )
        };
        // Warm-up (not counted): connections, caches, the first pages.
        block_on(load::run(
            service.port,
            clients,
            bodies(10_000_000, 2_000),
            Duration::from_secs(60),
        ));
        let run = block_on(load::run(
            service.port,
            clients,
            bodies(0, total),
            Duration::from_secs(900),
        ));
        report(&format!("cookiegate records, {}", db.engine()), &run);
        let started = Instant::now();
        let (code, out, _) = records(&["verify", "--database", &db.url()]);
        println!(
            "{:<34} {} in {:.2} s",
            "  then `records verify`",
            out.lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(60)
                .collect::<String>(),
            started.elapsed().as_secs_f64()
        );
        assert_eq!(code, 0, "{out}");
        assert_eq!(run.acked.len(), total, "every record stored");
    }
    if let Ok(base) = std::env::var("COOKIEGATE_BENCH_C15T") {
        c15t(&base, total, clients);
    } else {
        println!(
            "c15t backend: not run (set COOKIEGATE_BENCH_C15T; see benches/results-records.md)"
        );
    }
}

/// The same load against c15t's `POST /subjects` (its consent-recording
/// call), each body a fresh subject granting the same categories.
fn c15t(base: &str, total: usize, clients: usize) {
    let port: u16 = base
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("COOKIEGATE_BENCH_C15T=http://127.0.0.1:PORT");
    let path = std::env::var("COOKIEGATE_BENCH_C15T_PATH").unwrap_or_else(|_| "/subjects".into());
    let body = |i: usize| {
        format!(
            "{{\"type\":\"cookie_banner\",\"subjectId\":\"sub_{}\",\"domain\":\"shop.example\",\"preferences\":{{\"necessary\":true,\"measurement\":{},\"marketing\":false}},\"givenAt\":{}}}",
            base58(i as u64 + 1_000_000),
            i % 2 == 0,
            now_ms()
        )
    };
    let warm: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..2_000)
            .map(|i| load::request(&path, &body(50_000_000 + i)))
            .collect(),
    );
    block_on(load::run(port, clients, warm, Duration::from_secs(60)));
    let reqs: Arc<Vec<Vec<u8>>> =
        Arc::new((0..total).map(|i| load::request(&path, &body(i))).collect());
    let run = block_on(load::run(port, clients, reqs, Duration::from_secs(900)));
    report("c15t backend 2.x, SQLite", &run);
}

fn base58(mut n: u64) -> String {
    const A: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut out = Vec::new();
    while n > 0 {
        out.push(A[(n % 58) as usize]);
        n /= 58;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
