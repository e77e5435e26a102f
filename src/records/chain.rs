//! The hash chain over stored records, in insertion order.
//!
//! Every row carries `hash = SHA-256(previous hash ‖ row)`, where the row is
//! every stored column but the hash itself, length-prefixed. The store also
//! keeps two links outside the rows: the *head* (seq and hash of the newest
//! row, moved by every append) and the *anchor* (seq and hash of the last
//! row a retention purge removed; the genesis hash before any purge). A
//! [`Verifier`] walks the rows from the anchor to the head: an edited or
//! moved row fails its hash, a removed one leaves a gap in `seq`, removed
//! newest rows fall short of the head.

use crate::consent::hex;
use sha2::{Digest, Sha256};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What one accepted request adds to the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Server time, milliseconds since 1970.
    pub received_ms: i64,
    /// The record's consent id.
    pub consent_id: String,
    /// The catalogue revision it was made under.
    pub revision: i64,
    /// `accept-all`, `reject-all` or `custom`.
    pub method: String,
    /// The record's canonical JSON.
    pub record: String,
    /// SHA-256 of `record` (what makes a retry a duplicate).
    pub digest: String,
    /// Masked client address.
    pub ip: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
    /// Page origin.
    pub origin: Option<String>,
    /// Page path.
    pub path: Option<String>,
}

/// A stored row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    /// What was stored.
    pub entry: Entry,
    /// The chain hash of this row (also the receipt given to the sender).
    pub hash: String,
}

/// A place in the chain: a seq and the hash of the row there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The row's seq (0 before the first row).
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

impl Link {
    /// The start of an empty log.
    pub fn genesis() -> Link {
        Link {
            seq: 0,
            hash: GENESIS.into(),
        }
    }
}

/// Lowercase hex SHA-256 of a record's text.
pub fn digest(record: &str) -> String {
    hex(&Sha256::digest(record.as_bytes()))
}

/// The hash of the row at `seq` holding `entry`, after `prev_hash`.
pub fn link(prev_hash: &str, seq: i64, entry: &Entry) -> String {
    let mut h = Sha256::new();
    h.update(b"cookiegate-records-v1\0");
    h.update(prev_hash.as_bytes());
    let revision = entry.revision.to_string();
    let fields: [Option<&str>; 11] = [
        Some(&seq.to_string()),
        Some(&entry.received_ms.to_string()),
        Some(&entry.consent_id),
        Some(&revision),
        Some(&entry.method),
        Some(&entry.record),
        Some(&entry.digest),
        entry.ip.as_deref(),
        entry.user_agent.as_deref(),
        entry.origin.as_deref(),
        entry.path.as_deref(),
    ];
    for field in fields {
        match field {
            // Length-prefixed, so no two rows encode alike; absent is not "".
            Some(text) => {
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    hex(&h.finalize())
}

/// The first thing wrong with the stored log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The row's content no longer matches its place in the chain.
    Changed {
        /// Its seq.
        seq: i64,
        /// Its consent id, as stored now.
        consent_id: String,
    },
    /// Rows `from..=to` are gone.
    Missing {
        /// First missing seq.
        from: i64,
        /// Last missing seq.
        to: i64,
    },
    /// A row past the head: not written by the service.
    PastHead {
        /// Its seq.
        seq: i64,
    },
    /// The head names a hash the newest row does not have.
    HeadMismatch {
        /// The head's seq.
        seq: i64,
    },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Changed { seq, consent_id } => write!(
                f,
                "record {seq} (consent id {consent_id}) was changed or moved: it no longer matches the chain"
            ),
            Break::Missing { from, to } if from == to => {
                write!(f, "record {from} was removed")
            }
            Break::Missing { from, to } => write!(f, "records {from} to {to} were removed"),
            Break::PastHead { seq } => write!(
                f,
                "record {seq} lies past the chain head: it was not written by the service"
            ),
            Break::HeadMismatch { seq } => write!(
                f,
                "record {seq} is not the one the chain head names: it was replaced"
            ),
        }
    }
}

/// What a clean log holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Rows checked.
    pub records: u64,
    /// Where the chain starts (after the last purge).
    pub anchor: Link,
    /// The newest row: keep this outside the database to catch a rewrite
    /// of the whole log.
    pub head: Link,
}

/// Walks the rows in seq order, from the anchor to the head.
#[derive(Debug)]
pub struct Verifier {
    anchor: Link,
    head: Link,
    last: Link,
    records: u64,
}

impl Verifier {
    /// A walk from `anchor` that must end at `head`.
    pub fn new(anchor: Link, head: Link) -> Verifier {
        Verifier {
            last: anchor.clone(),
            anchor,
            head,
            records: 0,
        }
    }

    /// The next row by seq.
    pub fn check(&mut self, row: &Row) -> Result<(), Break> {
        if row.seq > self.head.seq {
            return Err(Break::PastHead { seq: row.seq });
        }
        if row.seq != self.last.seq + 1 {
            return Err(Break::Missing {
                from: self.last.seq + 1,
                to: row.seq - 1,
            });
        }
        if link(&self.last.hash, row.seq, &row.entry) != row.hash
            || digest(&row.entry.record) != row.entry.digest
        {
            return Err(Break::Changed {
                seq: row.seq,
                consent_id: row.entry.consent_id.clone(),
            });
        }
        self.last = Link {
            seq: row.seq,
            hash: row.hash.clone(),
        };
        self.records += 1;
        Ok(())
    }

    /// After the last row.
    pub fn finish(self) -> Result<Summary, Break> {
        if self.last.seq < self.head.seq {
            return Err(Break::Missing {
                from: self.last.seq + 1,
                to: self.head.seq,
            });
        }
        if self.last.hash != self.head.hash {
            return Err(Break::HeadMismatch { seq: self.head.seq });
        }
        Ok(Summary {
            records: self.records,
            anchor: self.anchor,
            head: self.head,
        })
    }
}

/// Hashes `entries` onto the chain after `head`, in order.
pub fn extend(head: &Link, entries: Vec<Entry>) -> Vec<Row> {
    let mut last = head.clone();
    entries
        .into_iter()
        .map(|entry| {
            let seq = last.seq + 1;
            let hash = link(&last.hash, seq, &entry);
            last = Link {
                seq,
                hash: hash.clone(),
            };
            Row { seq, entry, hash }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            received_ms: 1_800_000_000_000,
            consent_id: id.into(),
            revision: 2,
            method: "custom".into(),
            record: format!("{{\"id\":\"{id}\"}}"),
            digest: digest(&format!("{{\"id\":\"{id}\"}}")),
            ip: Some("203.0.113.0/24".into()),
            user_agent: None,
            origin: None,
            path: None,
        }
    }

    fn walk(anchor: Link, head: Link, rows: &[Row]) -> Result<Summary, Break> {
        let mut v = Verifier::new(anchor, head);
        for row in rows {
            v.check(row)?;
        }
        v.finish()
    }

    fn head_of(rows: &[Row]) -> Link {
        rows.last().map_or_else(Link::genesis, |r| Link {
            seq: r.seq,
            hash: r.hash.clone(),
        })
    }

    #[test]
    fn a_clean_log_verifies_and_each_kind_of_tampering_is_named() {
        let rows = extend(&Link::genesis(), ["a", "b", "c", "d"].map(entry).to_vec());
        let head = head_of(&rows);
        let ok = walk(Link::genesis(), head.clone(), &rows).map(|s| s.records);
        assert_eq!(ok, Ok(4));

        let mut edited = rows.clone();
        edited[1].entry.method = "accept-all".into();
        assert_eq!(
            walk(Link::genesis(), head.clone(), &edited),
            Err(Break::Changed {
                seq: 2,
                consent_id: "b".into()
            })
        );
        // An absent value is not an empty one.
        let mut emptied = rows.clone();
        emptied[0].entry.user_agent = Some(String::new());
        assert!(matches!(
            walk(Link::genesis(), head.clone(), &emptied),
            Err(Break::Changed { seq: 1, .. })
        ));

        let mut swapped = rows.clone();
        swapped.swap(1, 2);
        (swapped[1].seq, swapped[2].seq) = (2, 3);
        assert!(matches!(
            walk(Link::genesis(), head.clone(), &swapped),
            Err(Break::Changed { seq: 2, .. })
        ));

        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(
            walk(Link::genesis(), head.clone(), &removed),
            Err(Break::Missing { from: 2, to: 2 })
        );
        assert_eq!(
            walk(Link::genesis(), head.clone(), &rows[..2]),
            Err(Break::Missing { from: 3, to: 4 })
        );
    }

    #[test]
    fn a_purge_keeps_what_remains_verifiable() {
        let rows = extend(&Link::genesis(), ["a", "b", "c", "d"].map(entry).to_vec());
        let anchor = head_of(&rows[..2]);
        let head = head_of(&rows);
        assert_eq!(
            walk(anchor.clone(), head.clone(), &rows[2..]).map(|s| s.records),
            Ok(2)
        );
        // Removing the first kept row as well is still caught.
        assert_eq!(
            walk(anchor, head, &rows[3..]),
            Err(Break::Missing { from: 3, to: 3 })
        );
    }
}
