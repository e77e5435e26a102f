//! Native parse + validate time of catalogues (`cookiegate::catalogue::load`,
//! the same code the browser runs), for the benchmark's scale table.
//!
//!     cargo bench --bench catalogue_scale -- FILE...
//!
//! With no FILE it times `policies/storefront.json`. `benches/run.mjs` passes
//! the shipped catalogue and the generated 10/100/1,000-service ones. Prints
//! one line per file:
//!
//!     native FILE bytes=N services=N iterations=N median_us=X min_us=X max_us=X
//!
//! Plain `std::time::Instant` timing (no criterion): each file is loaded
//! repeatedly for about half a second after a warm-up, in batches so that
//! every sample lasts at least ~2 ms, and the median per load is reported.

use std::hint::black_box;
use std::time::{Duration, Instant};

const WARM_UP: Duration = Duration::from_millis(100);
const BUDGET: Duration = Duration::from_millis(500);
const MIN_SAMPLE: Duration = Duration::from_millis(2);

fn main() {
    // cargo passes `--bench` (and filters) to harness = false benches.
    let mut files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if files.is_empty() {
        files.push(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/storefront.json").to_string());
    }
    let mut failed = false;
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                failed = true;
                continue;
            }
        };
        let services = match cookiegate::catalogue::load(&bytes) {
            Ok(c) => c.services.len(),
            Err(problems) => {
                eprintln!(
                    "{file}: not a valid catalogue ({} problems):",
                    problems.len()
                );
                for p in problems.iter().take(10) {
                    eprintln!("  {p}");
                }
                failed = true;
                continue;
            }
        };

        // Batch size so that one sample takes at least MIN_SAMPLE.
        let warm = Instant::now();
        let mut loads = 0u32;
        while warm.elapsed() < WARM_UP {
            black_box(cookiegate::catalogue::load(black_box(&bytes)).is_ok());
            loads += 1;
        }
        let per_load = WARM_UP.as_secs_f64() / f64::from(loads.max(1));
        let batch = ((MIN_SAMPLE.as_secs_f64() / per_load).ceil() as u32).max(1);

        let mut samples = Vec::new();
        let start = Instant::now();
        while start.elapsed() < BUDGET || samples.len() < 20 {
            let t = Instant::now();
            for _ in 0..batch {
                black_box(cookiegate::catalogue::load(black_box(&bytes)).is_ok());
            }
            samples.push(t.elapsed().as_secs_f64() * 1e6 / f64::from(batch));
        }
        samples.sort_by(|a, b| a.total_cmp(b));
        let median = samples[samples.len() / 2];
        println!(
            "native {file} bytes={} services={services} iterations={} median_us={median:.2} min_us={:.2} max_us={:.2}",
            bytes.len(),
            samples.len() as u64 * u64::from(batch),
            samples[0],
            samples[samples.len() - 1],
        );
    }
    if failed {
        std::process::exit(1);
    }
}
