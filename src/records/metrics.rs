//! Counters for `GET /metrics`, in the Prometheus text format.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds (seconds) of the `POST /consent` latency histogram.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Everything counted since start.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    refused: Mutex<BTreeMap<&'static str, u64>>,
    stored: AtomicU64,
    duplicates: AtomicU64,
    store_errors: AtomicU64,
    purged: AtomicU64,
    batches: AtomicU64,
    batched: AtomicU64,
    latency_buckets: [AtomicU64; 12],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    if let Ok(mut m) = map.lock() {
        *m.entry(key).or_insert(0) += 1;
    }
}

impl Metrics {
    /// One answered request.
    pub fn request(&self, route: &'static str, status: u16) {
        bump(&self.requests, (route, status));
    }

    /// One refused record, by reason.
    pub fn refused(&self, reason: &'static str) {
        bump(&self.refused, reason);
    }

    /// One record stored, or found already stored.
    pub fn stored(&self, duplicate: bool) {
        let counter = if duplicate {
            &self.duplicates
        } else {
            &self.stored
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// One failed append or purge.
    pub fn store_error(&self) {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Rows removed by retention.
    pub fn purged(&self, n: u64) {
        self.purged.fetch_add(n, Ordering::Relaxed);
    }

    /// One append transaction of `n` records.
    pub fn batch(&self, n: usize) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.batched.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// How long one `POST /consent` took.
    pub fn latency(&self, seconds: f64) {
        for (bound, counter) in BUCKETS.iter().zip(&self.latency_buckets) {
            if seconds <= *bound {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let family = |out: &mut String, name: &str, kind: &str, help: &str, value: Option<u64>| {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            if let Some(v) = value {
                out.push_str(&format!("{name} {v}\n"));
            }
        };
        family(
            &mut out,
            "cookiegate_records_http_requests_total",
            "counter",
            "HTTP requests answered, by route and status.",
            None,
        );
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                out.push_str(&format!(
                    "cookiegate_records_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"
                ));
            }
        }
        family(
            &mut out,
            "cookiegate_records_refused_total",
            "counter",
            "Posted records refused (nothing stored), by reason.",
            None,
        );
        if let Ok(m) = self.refused.lock() {
            for (reason, n) in m.iter() {
                out.push_str(&format!(
                    "cookiegate_records_refused_total{{reason=\"{reason}\"}} {n}\n"
                ));
            }
        }
        for (name, help, value) in [
            (
                "cookiegate_records_stored_total",
                "Records stored.",
                get(&self.stored),
            ),
            (
                "cookiegate_records_duplicates_total",
                "Records posted again and not stored twice.",
                get(&self.duplicates),
            ),
            (
                "cookiegate_records_store_errors_total",
                "Append or purge transactions that failed.",
                get(&self.store_errors),
            ),
            (
                "cookiegate_records_purged_total",
                "Records removed by --retain-days.",
                get(&self.purged),
            ),
            (
                "cookiegate_records_append_batches_total",
                "Append transactions.",
                get(&self.batches),
            ),
            (
                "cookiegate_records_append_batched_total",
                "Records handed to append transactions.",
                get(&self.batched),
            ),
        ] {
            family(&mut out, name, "counter", help, Some(value));
        }
        let name = "cookiegate_records_post_seconds";
        family(
            &mut out,
            name,
            "histogram",
            "POST /consent time from the end of the body to the answer.",
            None,
        );
        for (bound, counter) in BUCKETS.iter().zip(&self.latency_buckets) {
            out.push_str(&format!(
                "{name}_bucket{{le=\"{bound}\"}} {}\n",
                get(counter)
            ));
        }
        let count = get(&self.latency_count);
        out.push_str(&format!("{name}_bucket{{le=\"+Inf\"}} {count}\n"));
        out.push_str(&format!(
            "{name}_sum {}\n{name}_count {count}\n",
            get(&self.latency_micros) as f64 / 1e6
        ));
        out
    }
}
