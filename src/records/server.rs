//! The HTTP service (hyper, HTTP/1.1):
//!
//! | route | who | answer |
//! | --- | --- | --- |
//! | `POST /consent` | anyone | 201 stored, 200 already stored, 4xx refused |
//! | `GET /consent/{id}` | anyone with the id | that visitor's records |
//! | `GET /healthz` | anyone | 200 while the database answers, else 503 |
//! | `GET /metrics` | anyone | Prometheus text |
//! | `GET /report` | operator token | the report page |
//! | `GET /export` | operator token | JSON Lines or CSV |
//!
//! Accepted records go to one writer task that appends whatever has queued
//! up in one transaction (a batch) and answers each sender only once its
//! transaction has committed: a 2xx means the record is on disk.

use super::admit::{self, admit, mask_ip, page_of, Catalogues, Posted, Refusal, MAX_BODY_BYTES};
use super::base64;
use super::chain::Entry;
use super::export::{self, Format};
use super::metrics::Metrics;
use super::report::{self, Tally};
use super::store::{Appended, Range, Store, StoreError, PAGE_ROWS};
use crate::consent::time::iso_from_ms;
use crate::json;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch, Semaphore};

/// Most records one append transaction takes.
const MAX_BATCH: usize = 512;
/// Records waiting for the writer before senders wait too.
const QUEUE: usize = 8192;
/// Connections served at once; more wait in the listen backlog.
const MAX_CONNECTIONS: usize = 4096;
/// How often retention runs.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 86_400_000;

/// Where the client address comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientIp {
    /// Keep none (`--no-ip`).
    None,
    /// The TCP peer.
    Peer,
    /// The last address in this header, set by a proxy in front.
    Header(String),
}

/// How the service runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The catalogues whose records are accepted.
    pub catalogues: Catalogues,
    /// Where the address comes from.
    pub client_ip: ClientIp,
    /// Keep the `User-Agent`.
    pub keep_user_agent: bool,
    /// The operator token for `/report` and `/export`.
    pub token: String,
    /// Limit for a request's headers, and again for its body.
    pub read_timeout: Duration,
    /// Remove records older than this many days.
    pub retain_days: Option<u32>,
}

/// Milliseconds since 1970 by the server's clock.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A line on standard error; a closed stderr is not worth a panic.
pub fn log(line: &str) {
    let _ = writeln!(std::io::stderr(), "cookiegate records: {line}");
}

type Body = BoxBody<Bytes, Infallible>;

struct Pending {
    entry: Entry,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

struct App<S> {
    store: Arc<S>,
    config: Config,
    metrics: Metrics,
    queue: mpsc::Sender<Pending>,
}

/// Serves on `listener` until SIGINT or SIGTERM, then lets open requests
/// finish (at most 10 s).
pub async fn serve<S: Store>(
    store: S,
    config: Config,
    listener: TcpListener,
) -> std::io::Result<()> {
    let store = Arc::new(store);
    let (queue, pending) = mpsc::channel(QUEUE);
    let app = Arc::new(App {
        store: Arc::clone(&store),
        config,
        metrics: Metrics::default(),
        queue,
    });
    tokio::spawn(write_batches(Arc::clone(&app), pending));
    if let Some(days) = app.config.retain_days {
        tokio::spawn(purge_forever(Arc::clone(&app), days));
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let stop = poll_fn(|cx| match (term.poll_recv(cx), int.poll_recv(cx)) {
            (Poll::Pending, Poll::Pending) => Poll::Pending,
            _ => Poll::Ready(()),
        });
        let Some(accepted) = race(listener.accept(), stop).await else {
            break;
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // Out of file descriptors and the like: wait, don't spin.
                log(&format!("accepting a connection failed: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let app = Arc::clone(&app);
        let mut stop_rx = stop_rx.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let timeout = app.config.read_timeout;
            let service = service_fn(move |req| {
                let app = Arc::clone(&app);
                async move { Ok::<_, Infallible>(handle(app, req, peer).await) }
            });
            let mut conn = pin!(http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .serve_connection(TokioIo::new(stream), service));
            let stopping = pin!(stop_rx.changed());
            if race(conn.as_mut(), stopping).await.is_none() {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        });
    }
    let _ = stop_tx.send(true);
    // Open connections finish their request and close.
    let _ = tokio::time::timeout(
        Duration::from_secs(10),
        slots.acquire_many(MAX_CONNECTIONS as u32),
    )
    .await;
    Ok(())
}

/// `Some` of `a`'s output if it finishes first, `None` if `b` does.
async fn race<A: Future, B: Future>(a: A, b: B) -> Option<A::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if b.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

async fn write_batches<S: Store>(app: Arc<App<S>>, mut pending: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (entries, replies): (Vec<Entry>, Vec<_>) =
            batch.drain(..).map(|p| (p.entry, p.reply)).unzip();
        app.metrics.batch(entries.len());
        match app.store.append(entries).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                app.metrics.store_error();
                log(&e.to_string());
                for reply in replies {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}

async fn purge_forever<S: Store>(app: Arc<App<S>>, days: u32) {
    loop {
        let before = now_ms().saturating_sub(i64::from(days) * DAY_MS);
        match app.store.purge(before).await {
            Ok(n) => {
                app.metrics.purged(n);
                if n > 0 {
                    log(&format!(
                        "retention: removed {n} records older than {days} days"
                    ));
                }
            }
            Err(e) => {
                app.metrics.store_error();
                log(&e.to_string());
            }
        }
        tokio::time::sleep(PURGE_EVERY).await;
    }
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

fn respond(status: u16, content_type: &'static str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static(content_type));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn json_reply(status: u16, body: String) -> Response<Body> {
    respond(status, "application/json", full(body))
}

fn error_reply(status: u16, message: &str) -> Response<Body> {
    let mut body = String::from("{\"error\":");
    json::write_str(&mut body, message);
    body.push('}');
    json_reply(status, body)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The route's name for metrics, and the answer.
async fn handle<S: Store>(
    app: Arc<App<S>>,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let method = req.method().clone();
    let (route, response) = match (method, path.as_str()) {
        (Method::POST, "/consent") => ("post_consent", post_consent(&app, req, peer).await),
        (Method::GET, p) if p.starts_with("/consent/") => (
            "get_consent",
            lookup(&app, p.get("/consent/".len()..).unwrap_or("")).await,
        ),
        (Method::GET, "/healthz") => ("healthz", healthz(&app).await),
        (Method::GET, "/metrics") => (
            "metrics",
            respond(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                full(app.metrics.render()),
            ),
        ),
        (Method::GET, "/report") => (
            "report",
            guarded(&app, req.headers(), || report_page(&app, &query)).await,
        ),
        (Method::GET, "/export") => (
            "export",
            guarded(&app, req.headers(), || export_rows(&app, &query)).await,
        ),
        (_, "/consent" | "/healthz" | "/metrics" | "/report" | "/export") => {
            ("other", error_reply(405, "method not allowed"))
        }
        (_, p) if p.starts_with("/consent/") => ("other", error_reply(405, "method not allowed")),
        _ => ("other", error_reply(404, "no such endpoint")),
    };
    app.metrics.request(route, response.status().as_u16());
    response
}

async fn post_consent<S: Store>(
    app: &App<S>,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let refuse = |r: Refusal| {
        app.metrics.refused(r.reason());
        let mut reply = error_reply(r.status(), &r.to_string());
        if matches!(
            r,
            Refusal::TooLarge | Refusal::Timeout { .. } | Refusal::Truncated
        ) {
            // The rest of the body is not read: this connection is done.
            reply
                .headers_mut()
                .insert("connection", HeaderValue::from_static("close"));
        }
        reply
    };
    let declared = header(&parts.headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    let bytes = match read_body(body, declared, app.config.read_timeout).await {
        Ok(b) => b,
        Err(r) => return refuse(r),
    };
    let started = Instant::now();
    let now = now_ms();
    let posted = Posted {
        content_type: header(&parts.headers, "content-type"),
        sec_gpc: header(&parts.headers, "sec-gpc"),
        body: &bytes,
        now_ms: now,
    };
    let admitted = match admit(&posted, &app.config.catalogues) {
        Ok(a) => a,
        Err(r) => return refuse(r),
    };
    let (origin, page) = page_of(
        header(&parts.headers, "origin"),
        header(&parts.headers, "referer"),
    );
    let entry = Entry {
        received_ms: now,
        consent_id: admitted.record.id.clone(),
        revision: i64::from(admitted.record.revision),
        method: admitted.record.method.as_str().to_string(),
        record: admitted.canonical,
        digest: admitted.digest,
        ip: client_ip(&app.config.client_ip, &parts.headers, peer),
        user_agent: app
            .config
            .keep_user_agent
            .then(|| header(&parts.headers, "user-agent"))
            .flatten()
            .map(|ua| admit::cut(ua, admit::MAX_USER_AGENT_CHARS)),
        origin,
        path: page,
    };
    let (reply, answer) = oneshot::channel();
    if app.queue.send(Pending { entry, reply }).await.is_err() {
        return error_reply(503, "the record store is shutting down; nothing was stored");
    }
    let outcome = answer.await;
    app.metrics.latency(started.elapsed().as_secs_f64());
    match outcome {
        Ok(Ok(appended)) => {
            app.metrics.stored(appended.duplicate);
            let mut body = String::from("{\"stored\":true,\"duplicate\":");
            body.push_str(if appended.duplicate { "true" } else { "false" });
            body.push_str(",\"receipt\":");
            json::write_str(&mut body, &appended.hash);
            if !appended.duplicate {
                body.push_str(",\"received\":");
                json::write_str(&mut body, &iso_from_ms(now));
            }
            body.push('}');
            json_reply(if appended.duplicate { 200 } else { 201 }, body)
        }
        Ok(Err(e)) => error_reply(503, &format!("nothing was stored: {e}")),
        Err(_) => error_reply(503, "the record store stopped; nothing was stored"),
    }
}

async fn read_body(
    body: Incoming,
    declared: Option<u64>,
    timeout: Duration,
) -> Result<Bytes, Refusal> {
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(Refusal::TooLarge);
    }
    match tokio::time::timeout(timeout, Limited::new(body, MAX_BODY_BYTES).collect()).await {
        Err(_) => Err(Refusal::Timeout {
            seconds: timeout.as_secs().max(1),
        }),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(Refusal::TooLarge),
        Ok(Err(_)) => Err(Refusal::Truncated),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

fn client_ip(policy: &ClientIp, headers: &HeaderMap, peer: SocketAddr) -> Option<String> {
    let ip: Option<IpAddr> = match policy {
        ClientIp::None => None,
        ClientIp::Peer => Some(peer.ip()),
        ClientIp::Header(name) => header(headers, name)
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok()),
    };
    ip.map(mask_ip)
}

async fn lookup<S: Store>(app: &App<S>, id: &str) -> Response<Body> {
    if !admit::valid_consent_id(id) {
        return error_reply(400, &Refusal::BadId.to_string());
    }
    match app.store.by_consent_id(id).await {
        Err(e) => error_reply(503, &e.to_string()),
        Ok(rows) if rows.is_empty() => {
            error_reply(404, "no records are stored for this consent id")
        }
        Ok(rows) => {
            let mut body = String::from("{\"id\":");
            json::write_str(&mut body, id);
            body.push_str(",\"records\":[");
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(export::jsonl(row).trim_end());
            }
            body.push_str("]}");
            json_reply(200, body)
        }
    }
}

async fn healthz<S: Store>(app: &App<S>) -> Response<Body> {
    match app.store.ping().await {
        Ok(()) => json_reply(200, "{\"status\":\"ok\"}".into()),
        Err(e) => error_reply(503, &e.to_string()),
    }
}

/// Whether the request carries the operator token, as `Bearer TOKEN` or as
/// the password of `Basic` credentials (what a browser's login prompt sends).
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = header(headers, "authorization") else {
        return false;
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let given = if scheme.eq_ignore_ascii_case("bearer") {
        rest.trim().as_bytes().to_vec()
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::decode(rest.trim()).unwrap_or_default();
        match decoded.iter().position(|&b| b == b':') {
            Some(colon) => decoded.get(colon + 1..).unwrap_or_default().to_vec(),
            None => return false,
        }
    } else {
        return false;
    };
    same_secret(&given, token.as_bytes())
}

/// Compares without stopping at the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn guarded<S: Store, F, Fut>(app: &App<S>, headers: &HeaderMap, then: F) -> Response<Body>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response<Body>>,
{
    if authorised(headers, &app.config.token) {
        return then().await;
    }
    let mut reply = error_reply(
        401,
        "the operator token is required (Authorization: Bearer TOKEN)",
    );
    reply.headers_mut().insert(
        "www-authenticate",
        HeaderValue::from_static("Basic realm=\"cookiegate records\", charset=\"UTF-8\""),
    );
    reply
}

/// `key=value` pairs of a query string, percent-decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn report_page<S: Store>(app: &App<S>, query: &str) -> Response<Body> {
    let pairs = query_pairs(query);
    let days = match param(&pairs, "days").map(str::parse::<u32>) {
        None => 30,
        Some(Ok(d)) if (1..=report::MAX_DAYS).contains(&d) => d,
        Some(_) => return error_reply(400, "`days` must be a whole number from 1 to 366"),
    };
    let now = now_ms();
    let since = (now.div_euclid(DAY_MS) - i64::from(days) + 1) * DAY_MS;
    let mut tally = Tally::default();
    let range = Range {
        since_ms: Some(since),
        until_ms: None,
    };
    if let Err(e) = export::each_page(app.store.as_ref(), range, |rows| {
        rows.iter().for_each(|r| tally.add(r));
        true
    })
    .await
    {
        return error_reply(503, &e.to_string());
    }
    let html = report::render(&tally, &app.config.catalogues, now, days);
    let mut reply = respond(200, "text/html; charset=utf-8", full(html));
    let h = reply.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&report::content_security_policy()) {
        h.insert("content-security-policy", csp);
    }
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    reply
}

/// A response body fed by a channel: an export streams page by page.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b))))
    }
}

async fn export_rows<S: Store>(app: &App<S>, query: &str) -> Response<Body> {
    let pairs = query_pairs(query);
    let format = match param(&pairs, "format").map(Format::parse) {
        None => Format::Jsonl,
        Some(Some(f)) => f,
        Some(None) => return error_reply(400, "`format` must be jsonl or csv"),
    };
    let range = match export::range_of(param(&pairs, "since"), param(&pairs, "until")) {
        Ok(r) => r,
        Err(why) => return error_reply(400, &why),
    };
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let store = Arc::clone(&app.store);
    tokio::spawn(async move {
        if tx
            .send(Bytes::from_static(format.preamble().as_bytes()))
            .await
            .is_err()
        {
            return;
        }
        let mut after = i64::MIN;
        loop {
            let rows = match store.page(after, range, PAGE_ROWS).await {
                Ok(rows) => rows,
                Err(e) => {
                    // The status is sent already: the export ends short.
                    log(&format!("export stopped: {e}"));
                    return;
                }
            };
            let Some(last) = rows.last() else { return };
            after = last.seq;
            let text: String = rows.iter().map(|r| format.line(r)).collect();
            if tx.send(Bytes::from(text)).await.is_err() {
                return;
            }
        }
    });
    let mut reply = respond(200, format.content_type(), ChannelBody(rx).boxed());
    let name = match format {
        Format::Jsonl => "attachment; filename=\"consent-records.jsonl\"",
        Format::Csv => "attachment; filename=\"consent-records.csv\"",
    };
    reply
        .headers_mut()
        .insert("content-disposition", HeaderValue::from_static(name));
    reply
}
