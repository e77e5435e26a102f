//! PostgreSQL: the service keeps no state of its own, so any number of
//! replicas may append to one database. Each append transaction locks the
//! chain row (`SELECT … FOR UPDATE`), so appends from all replicas form one
//! chain; a batch goes in with one `INSERT … SELECT FROM UNNEST(…)`.

use super::{
    refuse_purge, Appended, Range, Store, StoreError, Verdict, Walk, COLUMNS, PAGE_ROWS, SCHEMA,
};
use crate::records::chain::{extend, Entry, Link, Row, Verifier, GENESIS};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;
use tokio_postgres::{Client, GenericClient, IsolationLevel, NoTls};

const ENGINE: &str = "PostgreSQL";

/// The PostgreSQL engine.
pub struct PostgresStore {
    url: String,
    /// Appends and purges: one connection, used by one task at a time.
    writer: Mutex<Option<Client>>,
    /// Reads: queries from many tasks pipeline on one connection.
    reader: Mutex<Option<Arc<Client>>>,
}

fn message(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn failed(during: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| StoreError {
        engine: ENGINE,
        during,
        message: message(&e),
    }
}

async fn connect(url: &str) -> Result<Client, StoreError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(failed("connecting"))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!(
                "cookiegate records: the PostgreSQL connection closed: {}",
                message(&e)
            );
        }
    });
    Ok(client)
}

fn row_of(r: &tokio_postgres::Row) -> Result<Row, tokio_postgres::Error> {
    Ok(Row {
        seq: r.try_get(0)?,
        entry: Entry {
            received_ms: r.try_get(1)?,
            consent_id: r.try_get(2)?,
            revision: r.try_get(3)?,
            method: r.try_get(4)?,
            record: r.try_get(5)?,
            digest: r.try_get(6)?,
            ip: r.try_get(7)?,
            user_agent: r.try_get(8)?,
            origin: r.try_get(9)?,
            path: r.try_get(10)?,
        },
        hash: r.try_get(11)?,
    })
}

async fn chain_ends<C: GenericClient>(
    c: &C,
    lock: bool,
) -> Result<(Link, Link), tokio_postgres::Error> {
    let sql = if lock {
        "SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM consent_chain WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM consent_chain WHERE id = 1"
    };
    let r = c.query_one(sql, &[]).await?;
    Ok((
        Link {
            seq: r.try_get(0)?,
            hash: r.try_get(1)?,
        },
        Link {
            seq: r.try_get(2)?,
            hash: r.try_get(3)?,
        },
    ))
}

/// Rows after `after` up to `through`, by seq.
async fn rows_through<C: GenericClient>(
    c: &C,
    after: i64,
    through: i64,
) -> Result<Vec<Row>, tokio_postgres::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM consent_records WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
    );
    let rows = c
        .query(&sql, &[&after, &through, &i64::from(PAGE_ROWS)])
        .await?;
    rows.iter().map(row_of).collect()
}

impl PostgresStore {
    /// Connects and creates the tables when missing (one replica at a time).
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let client = connect(url).await?;
        let migrate = format!(
            "SELECT pg_advisory_lock(7243001);
             {SCHEMA}
             INSERT INTO consent_chain (id, anchor_seq, anchor_hash, head_seq, head_hash)
               VALUES (1, 0, '{GENESIS}', 0, '{GENESIS}') ON CONFLICT (id) DO NOTHING;
             SELECT pg_advisory_unlock(7243001);"
        );
        client
            .batch_execute(&migrate)
            .await
            .map_err(failed("creating the tables"))?;
        let reader = connect(url).await?;
        Ok(PostgresStore {
            url: url.to_string(),
            writer: Mutex::new(Some(client)),
            reader: Mutex::new(Some(Arc::new(reader))),
        })
    }

    async fn reader(&self) -> Result<Arc<Client>, StoreError> {
        let mut guard = self.reader.lock().await;
        if let Some(c) = guard.as_ref().filter(|c| !c.is_closed()) {
            return Ok(Arc::clone(c));
        }
        let c = Arc::new(connect(&self.url).await?);
        *guard = Some(Arc::clone(&c));
        Ok(c)
    }

    /// Runs `f` on the writer connection, reconnecting when it was lost.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: for<'c> FnOnce(
            &'c mut Client,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, StoreError>> + Send + 'c>,
        >,
    {
        let mut guard = self.writer.lock().await;
        let client = match guard.take().filter(|c| !c.is_closed()) {
            Some(c) => c,
            None => connect(&self.url).await?,
        };
        let client = guard.insert(client);
        f(client).await
    }
}

/// Where a batch entry's answer comes from.
enum Pick {
    /// Stored by an earlier batch.
    Earlier(i64, String),
    /// New: the n-th fresh row.
    New(usize),
    /// The same record as the n-th fresh row, earlier in this batch.
    Repeat(usize),
}

async fn append_all(client: &mut Client, entries: Vec<Entry>) -> Result<Vec<Appended>, StoreError> {
    let during = "appending records";
    let tx = client.transaction().await.map_err(failed(during))?;
    let (_, head) = chain_ends(&tx, true).await.map_err(failed(during))?;
    let digests: Vec<&str> = entries.iter().map(|e| e.digest.as_str()).collect();
    let mut earlier: HashMap<String, (i64, String)> = HashMap::new();
    for r in tx
        .query(
            "SELECT digest, seq, hash FROM consent_records WHERE digest = ANY($1)",
            &[&digests],
        )
        .await
        .map_err(failed(during))?
    {
        let digest: String = r.try_get(0).map_err(failed(during))?;
        let seq: i64 = r.try_get(1).map_err(failed(during))?;
        let hash: String = r.try_get(2).map_err(failed(during))?;
        earlier.insert(digest, (seq, hash));
    }
    let mut fresh: Vec<Entry> = Vec::new();
    let mut fresh_index: HashMap<String, usize> = HashMap::new();
    let mut picks = Vec::with_capacity(entries.len());
    for entry in entries {
        if let Some((seq, hash)) = earlier.get(&entry.digest) {
            picks.push(Pick::Earlier(*seq, hash.clone()));
        } else if let Some(&n) = fresh_index.get(&entry.digest) {
            picks.push(Pick::Repeat(n));
        } else {
            fresh_index.insert(entry.digest.clone(), fresh.len());
            picks.push(Pick::New(fresh.len()));
            fresh.push(entry);
        }
    }
    let rows = extend(&head, fresh);
    if let Some(last) = rows.last() {
        let col = |f: fn(&Row) -> Option<&str>| rows.iter().map(f).collect::<Vec<_>>();
        let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
        let received: Vec<i64> = rows.iter().map(|r| r.entry.received_ms).collect();
        let revisions: Vec<i64> = rows.iter().map(|r| r.entry.revision).collect();
        tx.execute(
            &format!(
                "INSERT INTO consent_records ({COLUMNS})
                 SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[],
                   $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::text[], $12::text[])"
            ),
            &[
                &seqs,
                &received,
                &col(|r| Some(r.entry.consent_id.as_str())),
                &revisions,
                &col(|r| Some(r.entry.method.as_str())),
                &col(|r| Some(r.entry.record.as_str())),
                &col(|r| Some(r.entry.digest.as_str())),
                &col(|r| r.entry.ip.as_deref()),
                &col(|r| r.entry.user_agent.as_deref()),
                &col(|r| r.entry.origin.as_deref()),
                &col(|r| r.entry.path.as_deref()),
                &col(|r| Some(r.hash.as_str())),
            ],
        )
        .await
        .map_err(failed(during))?;
        tx.execute(
            "UPDATE consent_chain SET head_seq = $1, head_hash = $2 WHERE id = 1",
            &[&last.seq, &last.hash],
        )
        .await
        .map_err(failed(during))?;
    }
    tx.commit().await.map_err(failed(during))?;
    picks
        .into_iter()
        .map(|pick| {
            let (n, duplicate) = match pick {
                Pick::Earlier(seq, hash) => {
                    return Ok(Appended {
                        seq,
                        hash,
                        duplicate: true,
                    })
                }
                Pick::New(n) => (n, false),
                Pick::Repeat(n) => (n, true),
            };
            let row = rows.get(n).ok_or_else(|| StoreError {
                engine: ENGINE,
                during,
                message: "a batch entry lost its row".into(),
            })?;
            Ok(Appended {
                seq: row.seq,
                hash: row.hash.clone(),
                duplicate,
            })
        })
        .collect()
}

async fn purge_before(client: &mut Client, before_ms: i64) -> Result<u64, StoreError> {
    let during = "purging";
    let tx = client.transaction().await.map_err(failed(during))?;
    let (anchor, head) = chain_ends(&tx, true).await.map_err(failed(during))?;
    // Only a prefix of the log can go, or what remains would not chain.
    let first_kept: Option<i64> = tx
        .query_one(
            "SELECT MIN(seq) FROM consent_records WHERE received_ms >= $1",
            &[&before_ms],
        )
        .await
        .and_then(|r| r.try_get(0))
        .map_err(failed(during))?;
    let last_gone = first_kept.map_or(head.seq, |s| s - 1);
    if last_gone <= anchor.seq {
        return Ok(0);
    }
    let hash: String = tx
        .query_one(
            "SELECT hash FROM consent_records WHERE seq = $1",
            &[&last_gone],
        )
        .await
        .and_then(|r| r.try_get(0))
        .map_err(failed(during))?;
    // A purge never launders an edit: what it removes must verify first.
    let mut verifier = Verifier::new(
        anchor.clone(),
        Link {
            seq: last_gone,
            hash: hash.clone(),
        },
    );
    let mut after = anchor.seq;
    loop {
        let rows = rows_through(&tx, after, last_gone)
            .await
            .map_err(failed(during))?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in &rows {
            verifier.check(row).map_err(|b| refuse_purge(ENGINE, b))?;
        }
    }
    verifier.finish().map_err(|b| refuse_purge(ENGINE, b))?;
    let removed = tx
        .execute("DELETE FROM consent_records WHERE seq <= $1", &[&last_gone])
        .await
        .map_err(failed(during))?;
    tx.execute(
        "UPDATE consent_chain SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1",
        &[&last_gone, &hash],
    )
    .await
    .map_err(failed(during))?;
    tx.commit().await.map_err(failed(during))?;
    Ok(removed)
}

impl Store for PostgresStore {
    async fn append(&self, entries: Vec<Entry>) -> Result<Vec<Appended>, StoreError> {
        self.write(|c| Box::pin(append_all(c, entries))).await
    }

    async fn by_consent_id(&self, id: &str) -> Result<Vec<Row>, StoreError> {
        let during = "reading a consent id";
        let c = self.reader().await?;
        let rows = c
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM consent_records WHERE consent_id = $1 ORDER BY seq"
                ),
                &[&id],
            )
            .await
            .map_err(failed(during))?;
        rows.iter()
            .map(row_of)
            .collect::<Result<_, _>>()
            .map_err(failed(during))
    }

    async fn page(&self, after_seq: i64, range: Range, limit: u32) -> Result<Vec<Row>, StoreError> {
        let during = "reading records";
        let (since, until) = range.bounds();
        let c = self.reader().await?;
        let rows = c
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM consent_records
                     WHERE seq > $1 AND received_ms >= $2 AND received_ms < $3
                     ORDER BY seq LIMIT $4"
                ),
                &[&after_seq, &since, &until, &i64::from(limit)],
            )
            .await
            .map_err(failed(during))?;
        rows.iter()
            .map(row_of)
            .collect::<Result<_, _>>()
            .map_err(failed(during))
    }

    async fn purge(&self, before_ms: i64) -> Result<u64, StoreError> {
        self.write(|c| Box::pin(purge_before(c, before_ms))).await
    }

    async fn verify(&self) -> Result<Verdict, StoreError> {
        let during = "verifying";
        // Its own connection: a snapshot transaction for the whole walk.
        let mut client = connect(&self.url).await?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(failed(during))?;
        let (anchor, head) = chain_ends(&tx, false).await.map_err(failed(during))?;
        let mut walk = Walk::new(anchor, head);
        let mut after = i64::MIN;
        'pages: loop {
            let rows = rows_through(&tx, after, i64::MAX)
                .await
                .map_err(failed(during))?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for row in &rows {
                if !walk.feed(row) {
                    break 'pages;
                }
            }
        }
        tx.commit().await.map_err(failed(during))?;
        Ok(walk.verdict())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let c = self.reader().await?;
        c.simple_query("SELECT 1")
            .await
            .map(|_| ())
            .map_err(failed("answering a ping"))
    }
}
