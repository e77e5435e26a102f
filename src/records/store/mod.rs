//! One storage interface ([`Store`]), two engines: SQLite (a file, nothing
//! to install) and PostgreSQL (one database behind any number of service
//! replicas). Both keep the same two tables:
//!
//! - `consent_records`: the rows, append-only, keyed by `seq`;
//! - `consent_chain`: one row holding the chain's anchor and head.
//!
//! An append locks the chain row, so writers (threads, processes, replicas)
//! take turns and the chain stays one line.

mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use super::chain::{Break, Verifier};
use super::chain::{Entry, Link, Row, Summary};
use std::future::Future;
use std::path::PathBuf;

/// The file `records` uses when no `--database` is given.
pub const DEFAULT_SQLITE_FILE: &str = "cookiegate-records.sqlite3";

/// Which engine, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// `sqlite:PATH`
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`
    Postgres(String),
}

impl Database {
    /// Reads a `--database` URL.
    pub fn parse(url: &str) -> Result<Database, String> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("`sqlite:` needs a file path, as in sqlite:records.sqlite3".into());
            }
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Database::Postgres(url.to_string()));
        }
        Err(format!("`{url}` is neither sqlite:PATH nor postgres://…"))
    }

    /// The default: a SQLite file in the working directory.
    pub fn default_sqlite() -> Database {
        Database::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE))
    }
}

/// A storage failure, with the engine and what it was doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError {
    /// `SQLite` or `PostgreSQL`.
    pub engine: &'static str,
    /// What was being done, such as "appending records".
    pub during: &'static str,
    /// The engine's message.
    pub message: String,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} failed {}: {}",
            self.engine, self.during, self.message
        )
    }
}

/// Where an appended entry landed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Its seq (the earlier one for a duplicate).
    pub seq: i64,
    /// Its chain hash: the receipt.
    pub hash: String,
    /// The same record was already stored; nothing was added.
    pub duplicate: bool,
}

/// A range of server time, milliseconds since 1970: `since <= t < until`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// Inclusive start.
    pub since_ms: Option<i64>,
    /// Exclusive end.
    pub until_ms: Option<i64>,
}

impl Range {
    fn bounds(self) -> (i64, i64) {
        (
            self.since_ms.unwrap_or(i64::MIN),
            self.until_ms.unwrap_or(i64::MAX),
        )
    }
}

/// The outcome of `verify`: the store could be read, and the log is clean
/// or broken at the named place.
pub type Verdict = Result<Summary, Break>;

/// Rows read per page by scans.
pub const PAGE_ROWS: u32 = 1000;

/// What the service and the `records` commands need from an engine.
pub trait Store: Send + Sync + 'static {
    /// Appends in order, in one transaction; a record whose digest is
    /// already stored (also earlier in the same batch) is not added again.
    fn append(
        &self,
        entries: Vec<Entry>,
    ) -> impl Future<Output = Result<Vec<Appended>, StoreError>> + Send;

    /// Every row of a consent id, oldest first.
    fn by_consent_id(&self, id: &str) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// Up to `limit` rows after `after_seq` in `range`, by seq.
    fn page(
        &self,
        after_seq: i64,
        range: Range,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// Removes rows received before `before_ms`, moving the anchor to the
    /// last one removed. Returns how many went.
    fn purge(&self, before_ms: i64) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Walks the whole chain in one consistent snapshot.
    fn verify(&self) -> impl Future<Output = Result<Verdict, StoreError>> + Send;

    /// Whether the database answers.
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Runs a verifier over rows as they are read, stopping at the first break.
pub(crate) struct Walk {
    verifier: Verifier,
    broken: Option<Break>,
}

impl Walk {
    pub(crate) fn new(anchor: Link, head: Link) -> Walk {
        Walk {
            verifier: Verifier::new(anchor, head),
            broken: None,
        }
    }

    /// Feeds one row; false once the walk has found a break.
    pub(crate) fn feed(&mut self, row: &Row) -> bool {
        if self.broken.is_some() {
            return false;
        }
        match self.verifier.check(row) {
            Ok(()) => true,
            Err(b) => {
                self.broken = Some(b);
                false
            }
        }
    }

    pub(crate) fn verdict(self) -> Verdict {
        match self.broken {
            Some(b) => Err(b),
            None => self.verifier.finish(),
        }
    }
}

/// A purge that would remove rows which do not verify.
pub(crate) fn refuse_purge(engine: &'static str, b: Break) -> StoreError {
    StoreError {
        engine,
        during: "purging (refused: the rows it would remove do not verify)",
        message: b.to_string(),
    }
}

/// The tables and indexes, in SQL both engines read.
pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS consent_records (
  seq BIGINT PRIMARY KEY,
  received_ms BIGINT NOT NULL,
  consent_id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  method TEXT NOT NULL,
  record TEXT NOT NULL,
  digest TEXT NOT NULL UNIQUE,
  ip TEXT,
  user_agent TEXT,
  origin TEXT,
  path TEXT,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_records_consent_id ON consent_records (consent_id);
CREATE INDEX IF NOT EXISTS consent_records_received ON consent_records (received_ms);
CREATE TABLE IF NOT EXISTS consent_chain (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  anchor_seq BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL,
  head_seq BIGINT NOT NULL,
  head_hash TEXT NOT NULL
);
";

/// The columns of a row, in the order both engines select them.
pub(crate) const COLUMNS: &str =
    "seq, received_ms, consent_id, revision, method, record, digest, ip, user_agent, origin, path, hash";
