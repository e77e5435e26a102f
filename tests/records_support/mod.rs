//! Shared by the records suites: the real `cookiegate records` binary on a
//! real SQLite file or PostgreSQL database, a plain HTTP/1.1 client that can
//! also send what no browser would, and banner-made records.
#![allow(dead_code)]

pub mod load;

use cookiegate::catalogue::{self, Catalogue};
use cookiegate::consent::{Choice, ConsentRecord, Method};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const TOKEN: &str = "test-operator-token-0123456789";
pub const STOREFRONT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/storefront.json");
pub const BIN: &str = env!("CARGO_BIN_EXE_cookiegate");
/// Where the suite finds the throw-away PostgreSQL that `./build.sh test` starts.
pub const POSTGRES_ENV: &str = "COOKIEGATE_TEST_POSTGRES";

pub fn storefront() -> Catalogue {
    let bytes = std::fs::read(STOREFRONT).expect("policies/storefront.json");
    catalogue::load(&bytes).expect("the storefront catalogue loads")
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

static UNIQUE: AtomicU32 = AtomicU32::new(0);

/// A name no other test of this run uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        now_ms() % 1_000_000,
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    )
}

/// A consent id as the banner makes them (32 hex digits).
pub fn consent_id(n: u64) -> String {
    format!("{:016x}{:016x}", std::process::id() as u64 ^ 0x5eed, n)
}

/// The record the banner sends for `method` (custom: analytics only).
pub fn record(catalogue: &Catalogue, id: &str, method: Method, gpc: bool) -> String {
    let choice = match method {
        Method::AcceptAll => Choice::accept_all(catalogue, gpc),
        Method::RejectAll => Choice::reject_all(catalogue),
        _ => Choice::only_categories(catalogue, &["analytics"]),
    };
    ConsentRecord {
        id: id.into(),
        timestamp_ms: now_ms(),
        revision: catalogue.revision,
        method,
        gpc,
        choice,
    }
    .to_json()
}

/// A database to run the service on; dropped, it is removed.
pub enum Db {
    Sqlite(PathBuf),
    Postgres {
        admin: String,
        url: String,
        name: String,
    },
}

impl Db {
    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(p) => format!("sqlite:{}", p.join("records.sqlite3").display()),
            Db::Postgres { url, .. } => url.clone(),
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Runs SQL by hand, as someone editing the log would.
    pub fn sql(&self, statements: &str) {
        match self {
            Db::Sqlite(p) => {
                let c = rusqlite::Connection::open(p.join("records.sqlite3")).expect("open");
                c.execute_batch(statements).expect("sql");
            }
            Db::Postgres { url, .. } => block_on(async {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("connect");
                tokio::spawn(conn);
                client.batch_execute(statements).await.expect("sql");
            }),
        }
    }

    /// One number from SQL.
    pub fn count(&self, query: &str) -> i64 {
        match self {
            Db::Sqlite(p) => {
                let c = rusqlite::Connection::open(p.join("records.sqlite3")).expect("open");
                c.query_row(query, [], |r| r.get(0)).expect("query")
            }
            Db::Postgres { url, .. } => block_on(async {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("connect");
                tokio::spawn(conn);
                client.query_one(query, &[]).await.expect("query").get(0)
            }),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        match self {
            Db::Sqlite(p) => {
                let _ = std::fs::remove_dir_all(p);
            }
            Db::Postgres { admin, name, .. } => {
                let (admin, name) = (admin.clone(), name.clone());
                block_on(async move {
                    if let Ok((client, conn)) =
                        tokio_postgres::connect(&admin, tokio_postgres::NoTls).await
                    {
                        tokio::spawn(conn);
                        let _ = client
                            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .await;
                    }
                });
            }
        }
    }
}

/// Runs `f` to completion on a runtime of its own thread (callable from
/// inside another runtime too).
pub fn block_on<F>(f: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(f)
        })
        .join()
        .expect("the async helper panicked")
    })
}

pub fn sqlite_db() -> Db {
    let dir = std::env::temp_dir().join(unique("cookiegate-records"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    Db::Sqlite(dir)
}

/// A fresh database on the test cluster; `None` when no cluster is given
/// on a developer machine (said loudly). Under CI a missing cluster fails.
pub fn postgres_db() -> Option<Db> {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_ENV} is not set under CI: ./build.sh test starts PostgreSQL and sets it"
        );
        eprintln!("NOTE: {POSTGRES_ENV} is not set: the PostgreSQL half of this test did not run (./build.sh test runs it)");
        return None;
    };
    let name = unique("cg_test");
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("{POSTGRES_ENV} must be a postgres://…/database URL"),
    };
    let create = format!("CREATE DATABASE {name}");
    block_on(async {
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .expect("connect to the test cluster");
        tokio::spawn(conn);
        client
            .batch_execute(&create)
            .await
            .expect("create database");
    });
    Some(Db::Postgres { admin, url, name })
}

/// SQLite, and PostgreSQL when the cluster is there.
pub fn engines() -> Vec<Db> {
    let mut dbs = vec![sqlite_db()];
    dbs.extend(postgres_db());
    dbs
}

/// A running `cookiegate records serve`; killed when dropped.
pub struct Service {
    pub port: u16,
    pub child: Child,
}

impl Service {
    pub fn start(db: &Db, extra: &[&str]) -> Service {
        let mut child = Command::new(BIN)
            .args([
                "records",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database",
                &db.url(),
            ])
            .args(["--catalogue", STOREFRONT])
            .args(extra)
            .env("COOKIEGATE_RECORDS_TOKEN", TOKEN)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn cookiegate records serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in the first line: {line:?}"));
        Service { port, child }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `raw` on a fresh connection and reads the whole answer.
pub fn exchange(port: u16, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    // The server may answer (413) and close before taking all of a large body.
    let _ = s.write_all(raw);
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    parse_reply(&bytes)
}

pub fn parse_reply(bytes: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut reply = Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    };
    if reply
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        reply.body = dechunk(body);
    }
    reply
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

pub fn post(port: u16, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut raw = format!(
        "POST /consent HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    let mut bytes = raw.into_bytes();
    bytes.extend_from_slice(body);
    exchange(port, &bytes)
}

pub fn post_json(port: u16, body: &str) -> Reply {
    post(
        port,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

pub fn get(port: u16, path: &str, authorization: Option<&str>) -> Reply {
    let auth = authorization
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{auth}\r\n")
            .as_bytes(),
    )
}

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// `cookiegate records ARGS…`: exit code, standard output, standard error.
pub fn records(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("records")
        .args(args)
        .output()
        .expect("run cookiegate records");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The consent ids of a JSON Lines export, in order.
pub fn exported_ids(db: &Db) -> Vec<String> {
    let (code, out, err) = records(&["export", "--database", &db.url()]);
    assert_eq!(code, 0, "export failed: {err}");
    out.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            v["record"]["id"].as_str().expect("record.id").to_string()
        })
        .collect()
}
