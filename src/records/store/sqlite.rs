//! SQLite: one file in WAL mode, `synchronous=FULL` (a stored record
//! survives a crash of the process and of the machine), one connection
//! for appends and one for reads, each used on tokio's blocking pool.

use super::{refuse_purge, Appended, Range, Store, StoreError, Verdict, Walk, COLUMNS, SCHEMA};
use crate::records::chain::{extend, Entry, Link, Row, Verifier, GENESIS};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};

const ENGINE: &str = "SQLite";

/// The SQLite engine.
#[derive(Clone)]
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

fn failed(during: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| StoreError {
        engine: ENGINE,
        during,
        message: e.to_string(),
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(failed("opening the database file"))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(failed("setting the busy timeout"))?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        .map_err(failed("switching to WAL mode"))?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let writer = connect(path)?;
        writer
            .execute_batch(SCHEMA)
            .map_err(failed("creating the tables"))?;
        writer
            .execute(
                "INSERT INTO consent_chain (id, anchor_seq, anchor_hash, head_seq, head_hash)
                 VALUES (1, 0, ?1, 0, ?1) ON CONFLICT (id) DO NOTHING",
                [GENESIS],
            )
            .map_err(failed("creating the chain"))?;
        let reader = connect(path)?;
        Ok(SqliteStore {
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    async fn with<T, F>(
        conn: &Arc<Mutex<Connection>>,
        during: &'static str,
        f: F,
    ) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(conn);
        let lost = |message: String| StoreError {
            engine: ENGINE,
            during,
            message,
        };
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| lost("a previous operation panicked".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| lost(e.to_string()))?
    }
}

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        seq: r.get(0)?,
        entry: Entry {
            received_ms: r.get(1)?,
            consent_id: r.get(2)?,
            revision: r.get(3)?,
            method: r.get(4)?,
            record: r.get(5)?,
            digest: r.get(6)?,
            ip: r.get(7)?,
            user_agent: r.get(8)?,
            origin: r.get(9)?,
            path: r.get(10)?,
        },
        hash: r.get(11)?,
    })
}

fn chain_ends(conn: &Connection) -> rusqlite::Result<(Link, Link)> {
    conn.query_row(
        "SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM consent_chain WHERE id = 1",
        [],
        |r| {
            Ok((
                Link {
                    seq: r.get(0)?,
                    hash: r.get(1)?,
                },
                Link {
                    seq: r.get(2)?,
                    hash: r.get(3)?,
                },
            ))
        },
    )
}

fn append_all(conn: &mut Connection, entries: Vec<Entry>) -> rusqlite::Result<Vec<Appended>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (_, mut head) = chain_ends(&tx)?;
    let mut out = Vec::with_capacity(entries.len());
    {
        let mut find =
            tx.prepare_cached("SELECT seq, hash FROM consent_records WHERE digest = ?1")?;
        let mut insert = tx.prepare_cached(&format!(
            "INSERT INTO consent_records ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ))?;
        for entry in entries {
            let earlier = find
                .query_row([&entry.digest], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((seq, hash)) = earlier {
                out.push(Appended {
                    seq,
                    hash,
                    duplicate: true,
                });
                continue;
            }
            for row in extend(&head, vec![entry]) {
                let e = &row.entry;
                insert.execute(params![
                    row.seq,
                    e.received_ms,
                    e.consent_id,
                    e.revision,
                    e.method,
                    e.record,
                    e.digest,
                    e.ip,
                    e.user_agent,
                    e.origin,
                    e.path,
                    row.hash
                ])?;
                head = Link {
                    seq: row.seq,
                    hash: row.hash.clone(),
                };
                out.push(Appended {
                    seq: row.seq,
                    hash: row.hash,
                    duplicate: false,
                });
            }
        }
    }
    tx.execute(
        "UPDATE consent_chain SET head_seq = ?1, head_hash = ?2 WHERE id = 1",
        params![head.seq, head.hash],
    )?;
    tx.commit()?;
    Ok(out)
}

fn purge_before(conn: &mut Connection, before_ms: i64) -> Result<u64, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed("purging"))?;
    let (anchor, head) = chain_ends(&tx).map_err(failed("purging"))?;
    // Only a prefix of the log can go, or what remains would not chain.
    let first_kept: Option<i64> = tx
        .query_row(
            "SELECT MIN(seq) FROM consent_records WHERE received_ms >= ?1",
            [before_ms],
            |r| r.get(0),
        )
        .map_err(failed("purging"))?;
    let last_gone = first_kept.map_or(head.seq, |s| s - 1);
    if last_gone <= anchor.seq {
        return Ok(0);
    }
    // A purge never launders an edit: what it removes must verify first.
    let hash: String = tx
        .query_row(
            "SELECT hash FROM consent_records WHERE seq = ?1",
            [last_gone],
            |r| r.get(0),
        )
        .map_err(failed("purging"))?;
    let mut verifier = Verifier::new(
        anchor,
        Link {
            seq: last_gone,
            hash: hash.clone(),
        },
    );
    {
        let mut stmt = tx
            .prepare(&format!(
                "SELECT {COLUMNS} FROM consent_records WHERE seq <= ?1 ORDER BY seq"
            ))
            .map_err(failed("purging"))?;
        let rows = stmt
            .query_map([last_gone], row_of)
            .map_err(failed("purging"))?;
        for row in rows {
            let row = row.map_err(failed("purging"))?;
            verifier.check(&row).map_err(|b| refuse_purge(ENGINE, b))?;
        }
    }
    verifier.finish().map_err(|b| refuse_purge(ENGINE, b))?;
    let removed = tx
        .execute("DELETE FROM consent_records WHERE seq <= ?1", [last_gone])
        .map_err(failed("purging"))?;
    tx.execute(
        "UPDATE consent_chain SET anchor_seq = ?1, anchor_hash = ?2 WHERE id = 1",
        params![last_gone, hash],
    )
    .map_err(failed("purging"))?;
    tx.commit().map_err(failed("purging"))?;
    Ok(removed as u64)
}

fn verify_all(conn: &mut Connection) -> rusqlite::Result<Verdict> {
    // One read transaction: a snapshot, whatever writers do meanwhile.
    let tx = conn.transaction()?;
    let (anchor, head) = chain_ends(&tx)?;
    let mut walk = Walk::new(anchor, head);
    {
        let mut stmt = tx.prepare(&format!(
            "SELECT {COLUMNS} FROM consent_records ORDER BY seq"
        ))?;
        let rows = stmt.query_map([], row_of)?;
        for row in rows {
            if !walk.feed(&row?) {
                break;
            }
        }
    }
    tx.commit()?;
    Ok(walk.verdict())
}

impl Store for SqliteStore {
    async fn append(&self, entries: Vec<Entry>) -> Result<Vec<Appended>, StoreError> {
        Self::with(&self.writer, "appending records", move |c| {
            append_all(c, entries).map_err(failed("appending records"))
        })
        .await
    }

    async fn by_consent_id(&self, id: &str) -> Result<Vec<Row>, StoreError> {
        let id = id.to_string();
        Self::with(&self.reader, "reading a consent id", move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM consent_records WHERE consent_id = ?1 ORDER BY seq"
                ))
                .map_err(failed("reading a consent id"))?;
            let rows = stmt
                .query_map([id], row_of)
                .map_err(failed("reading a consent id"))?;
            rows.collect::<rusqlite::Result<Vec<Row>>>()
                .map_err(failed("reading a consent id"))
        })
        .await
    }

    async fn page(&self, after_seq: i64, range: Range, limit: u32) -> Result<Vec<Row>, StoreError> {
        let (since, until) = range.bounds();
        Self::with(&self.reader, "reading records", move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM consent_records
                     WHERE seq > ?1 AND received_ms >= ?2 AND received_ms < ?3
                     ORDER BY seq LIMIT ?4"
                ))
                .map_err(failed("reading records"))?;
            let rows = stmt
                .query_map(params![after_seq, since, until, limit], row_of)
                .map_err(failed("reading records"))?;
            rows.collect::<rusqlite::Result<Vec<Row>>>()
                .map_err(failed("reading records"))
        })
        .await
    }

    async fn purge(&self, before_ms: i64) -> Result<u64, StoreError> {
        Self::with(&self.writer, "purging", move |c| purge_before(c, before_ms)).await
    }

    async fn verify(&self) -> Result<Verdict, StoreError> {
        Self::with(&self.reader, "verifying", |c| {
            verify_all(c).map_err(failed("verifying"))
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Self::with(&self.reader, "answering a ping", |c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(failed("answering a ping"))
        })
        .await
    }
}
