//! A load generator for `POST /consent`: N clients, each on one keep-alive
//! connection, sending prepared bodies until the list is used up or the
//! service goes away. Loopback only; bounded by the list and a deadline.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What a run saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Indexes of the bodies answered 2xx.
    pub acked: Vec<usize>,
    /// Latency of each 2xx answer, microseconds.
    pub latencies_us: Vec<u64>,
    /// Answers that were not 2xx.
    pub refused: usize,
    /// Requests that got no answer (connection lost).
    pub lost: usize,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut v = self.latencies_us.clone();
        v.sort_unstable();
        if v.is_empty() {
            return 0.0;
        }
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i] as f64 / 1000.0
    }

    pub fn per_second(&self) -> f64 {
        self.acked.len() as f64 / self.elapsed.as_secs_f64()
    }
}

/// One raw request for `body` (JSON) to `path` on `port`.
pub fn request(path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response; returns its status, or None when the connection ended.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<u16> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head.split(' ').nth(1)?.parse().ok()?;
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buf.len() < total {
                let mut chunk = [0u8; 8192];
                let n = s.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            buf.drain(..total);
            return Some(status);
        }
        let mut chunk = [0u8; 8192];
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends every request in `requests` from `clients` connections to `port`,
/// stopping at `deadline`. A client whose connection fails reconnects once
/// per request and gives up when it cannot.
pub async fn run(
    port: u16,
    clients: usize,
    requests: Arc<Vec<Vec<u8>>>,
    deadline: Duration,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, outcome, requests) = (next.clone(), outcome.clone(), requests.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn: Option<TcpStream> = None;
            let mut buf = Vec::new();
            loop {
                if started.elapsed() > deadline {
                    return;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(req) = requests.get(i) else { return };
                if conn.is_none() {
                    match TcpStream::connect(("127.0.0.1", port)).await {
                        Ok(s) => {
                            let _ = s.set_nodelay(true);
                            conn = Some(s);
                            buf.clear();
                        }
                        // The service is gone; this request was never sent.
                        Err(_) => return,
                    }
                }
                let Some(s) = conn.as_mut() else { return };
                let sent = Instant::now();
                let status = match s.write_all(req).await {
                    Ok(()) => read_response(s, &mut buf).await,
                    Err(_) => None,
                };
                let mut o = outcome.lock().unwrap();
                match status {
                    Some(code) if (200..300).contains(&code) => {
                        o.acked.push(i);
                        o.latencies_us.push(sent.elapsed().as_micros() as u64);
                    }
                    Some(_) => o.refused += 1,
                    None => {
                        o.lost += 1;
                        conn = None;
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut o = std::mem::take(&mut *outcome.lock().unwrap());
    o.elapsed = started.elapsed();
    o
}
