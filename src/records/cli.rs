//! `cookiegate records serve | export | verify`: argument parsing and the
//! three commands. Exit codes: 0 done (verify: the log is intact), 1 verify
//! found a changed, moved or removed record (or `serve` could not start),
//! 2 a usage mistake, 3 the database could not be opened or read.

use super::admit::Catalogues;
use super::export::{self, Format};
use super::server::{self, log, ClientIp, Config};
use super::store::{Database, PostgresStore, SqliteStore, Store, StoreError};
use crate::catalogue;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

/// The `records` part of `cookiegate --help`.
pub const USAGE: &str = "
The consent-record service (proof of consent):
  cookiegate records serve [--listen 127.0.0.1:8787] [--database URL]
                           [--catalogue FILE]... [--retain-days N]
                           [--no-ip | --client-ip-header NAME] [--no-user-agent]
                           [--token-file FILE] [--read-timeout SECONDS]
                             receive consent records (POST /consent) and keep
                             them as proof; URL is sqlite:PATH (default
                             sqlite:cookiegate-records.sqlite3) or postgres://…;
                             the operator token (for /report and /export) is
                             $COOKIEGATE_RECORDS_TOKEN, else --token-file, else
                             a fresh one printed at start
  cookiegate records export [--database URL] [--since DATE] [--until DATE]
                            [--format jsonl|csv]
                             stored records by server time to standard output
  cookiegate records verify [--database URL]
                             exit 0 when no stored record was changed, moved or
                             removed; exit 1 naming the first one that was
                             (exit 3: the database could not be read)
";

const USAGE_EXIT: u8 = 2;
const DATABASE_EXIT: u8 = 3;

/// Runs `cookiegate records ARGS…`.
pub fn run(args: &[String]) -> ExitCode {
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => return usage("records needs serve, export or verify"),
    };
    let options = match Options::parse(command, rest) {
        Ok(o) => o,
        Err(why) => return usage(&why),
    };
    let runtime = match command {
        "serve" => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    };
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            log(&format!("cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match command {
            "serve" => serve(options).await,
            _ => on_store(command, &options).await,
        }
    })
}

fn usage(why: &str) -> ExitCode {
    let _ = write!(
        std::io::stderr(),
        "cookiegate records: {why}\n\nUsage:\n{USAGE}"
    );
    ExitCode::from(USAGE_EXIT)
}

/// Everything the three commands take.
#[derive(Debug)]
struct Options {
    listen: SocketAddr,
    database: Database,
    catalogues: Vec<String>,
    retain_days: Option<u32>,
    client_ip: ClientIp,
    keep_user_agent: bool,
    token_file: Option<String>,
    read_timeout: Duration,
    since: Option<String>,
    until: Option<String>,
    format: Format,
}

impl Options {
    fn parse(command: &str, args: &[String]) -> Result<Options, String> {
        let allowed: &[&str] = match command {
            "serve" => &[
                "--listen",
                "--database",
                "--catalogue",
                "--retain-days",
                "--no-ip",
                "--client-ip-header",
                "--no-user-agent",
                "--token-file",
                "--read-timeout",
            ],
            "export" => &["--database", "--since", "--until", "--format"],
            "verify" => &["--database"],
            other => return Err(format!("unknown records command `{other}`")),
        };
        let mut o = Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database: Database::default_sqlite(),
            catalogues: Vec::new(),
            retain_days: None,
            client_ip: ClientIp::Peer,
            keep_user_agent: true,
            token_file: None,
            read_timeout: Duration::from_secs(10),
            since: None,
            until: None,
            format: Format::Jsonl,
        };
        let mut no_ip = false;
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            if !allowed.contains(&flag) {
                return Err(format!("`{arg}` is not an option of records {command}"));
            }
            if matches!(flag, "--no-ip" | "--no-user-agent") {
                match flag {
                    "--no-ip" => no_ip = true,
                    _ => o.keep_user_agent = false,
                }
                continue;
            }
            let value = match inline.or_else(|| it.next().cloned()) {
                Some(v) => v,
                None => return Err(format!("`{flag}` needs a value")),
            };
            let number = |what: &str| -> Result<u32, String> {
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("`{flag}` takes a whole number of {what} above 0"))
            };
            match flag {
                "--listen" => {
                    o.listen = value
                        .parse()
                        .map_err(|_| format!("`--listen` takes ADDRESS:PORT, not `{value}`"))?
                }
                "--database" => o.database = Database::parse(&value)?,
                "--catalogue" => o.catalogues.push(value),
                "--retain-days" => o.retain_days = Some(number("days")?),
                "--client-ip-header" => o.client_ip = ClientIp::Header(value.to_ascii_lowercase()),
                "--token-file" => o.token_file = Some(value),
                "--read-timeout" => {
                    o.read_timeout = Duration::from_secs(u64::from(number("seconds")?))
                }
                "--since" => o.since = Some(value),
                "--until" => o.until = Some(value),
                _ => {
                    o.format = Format::parse(&value)
                        .ok_or_else(|| format!("`--format` is jsonl or csv, not `{value}`"))?
                }
            }
        }
        if no_ip {
            if o.client_ip != ClientIp::Peer {
                return Err("`--no-ip` and `--client-ip-header` contradict each other".into());
            }
            o.client_ip = ClientIp::None;
        }
        if command == "serve" && o.catalogues.is_empty() {
            o.catalogues.push("catalogue.json".into());
        }
        Ok(o)
    }
}

fn database_failed(e: &StoreError) -> ExitCode {
    log(&e.to_string());
    ExitCode::from(DATABASE_EXIT)
}

/// An opened engine.
enum Opened {
    Sqlite(SqliteStore),
    Postgres(Box<PostgresStore>),
}

async fn open(database: &Database) -> Result<Opened, StoreError> {
    Ok(match database {
        Database::Sqlite(path) => Opened::Sqlite(SqliteStore::open(path)?),
        Database::Postgres(url) => Opened::Postgres(Box::new(PostgresStore::open(url).await?)),
    })
}

fn describe(database: &Database) -> String {
    match database {
        Database::Sqlite(path) => format!("SQLite {}", path.display()),
        // The URL may hold a password: name the engine only.
        Database::Postgres(_) => "PostgreSQL".into(),
    }
}

async fn serve(o: Options) -> ExitCode {
    let mut loaded = Vec::new();
    for file in &o.catalogues {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                log(&format!("cannot read the catalogue {file}: {e}"));
                return ExitCode::FAILURE;
            }
        };
        match catalogue::load(&bytes) {
            Ok(c) => loaded.push(c),
            Err(problems) => {
                for p in problems {
                    log(&format!("{file}:{p}"));
                }
                log(&format!(
                    "{file} is not a valid catalogue (see `cookiegate check {file}`)"
                ));
                return ExitCode::FAILURE;
            }
        }
    }
    let catalogues = match Catalogues::new(loaded) {
        Ok(c) => c,
        Err(e) => {
            log(&e.to_string());
            return ExitCode::FAILURE;
        }
    };
    let token = match operator_token(o.token_file.as_deref()) {
        Ok(t) => t,
        Err(why) => {
            log(&why);
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(o.listen).await {
        Ok(l) => l,
        Err(e) => {
            log(&format!("cannot listen on {}: {e}", o.listen));
            return ExitCode::FAILURE;
        }
    };
    let store = match open(&o.database).await {
        Ok(s) => s,
        Err(e) => return database_failed(&e),
    };
    let address = listener
        .local_addr()
        .map_or_else(|_| o.listen.to_string(), |a| a.to_string());
    let revisions: Vec<String> = catalogues
        .all()
        .iter()
        .map(|c| c.revision.to_string())
        .collect();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "cookiegate records: listening on http://{address} ({}, catalogue revision {})",
        describe(&o.database),
        revisions.join(", ")
    );
    let _ = out.flush();
    drop(out);
    let config = Config {
        catalogues,
        client_ip: o.client_ip,
        keep_user_agent: o.keep_user_agent,
        token,
        read_timeout: o.read_timeout,
        retain_days: o.retain_days,
    };
    let served = match store {
        Opened::Sqlite(s) => server::serve(s, config, listener).await,
        Opened::Postgres(s) => server::serve(*s, config, listener).await,
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log(&format!("the service stopped: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// `$COOKIEGATE_RECORDS_TOKEN`, else the first line of `file`, else a fresh
/// random token (printed on standard error so the operator can use it).
fn operator_token(file: Option<&str>) -> Result<String, String> {
    let token = match (std::env::var("COOKIEGATE_RECORDS_TOKEN"), file) {
        (Ok(t), _) if !t.trim().is_empty() => t.trim().to_string(),
        (_, Some(f)) => std::fs::read_to_string(f)
            .map_err(|e| format!("cannot read the token file {f}: {e}"))?
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        _ => {
            let t = random_token()?;
            log(&format!("operator token for /report and /export (set COOKIEGATE_RECORDS_TOKEN to choose one): {t}"));
            t
        }
    };
    if token.len() < 16 {
        return Err("the operator token must be at least 16 characters".into());
    }
    Ok(token)
}

fn random_token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom for a token: {e}"))?;
    Ok(crate::consent::hex(&bytes))
}

async fn export<S: Store>(store: S, o: &Options) -> ExitCode {
    let range = match export::range_of(o.since.as_deref(), o.until.as_deref()) {
        Ok(r) => r,
        Err(why) => return usage(&why),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // A closed pipe (`| head`) ends the export; it is not a database error.
    let mut writing = out.write_all(o.format.preamble().as_bytes()).is_ok();
    let read = export::each_page(&store, range, |rows| {
        for row in rows {
            writing = writing && out.write_all(o.format.line(row).as_bytes()).is_ok();
        }
        writing
    })
    .await;
    match (read, writing && out.flush().is_ok()) {
        (Err(e), _) => database_failed(&e),
        (Ok(()), false) => ExitCode::FAILURE,
        (Ok(()), true) => ExitCode::SUCCESS,
    }
}

async fn verify<S: Store>(store: S) -> ExitCode {
    let verdict = match store.verify().await {
        Ok(v) => v,
        Err(e) => return database_failed(&e),
    };
    let mut out = std::io::stdout().lock();
    match verdict {
        Ok(summary) => {
            let _ = writeln!(
                out,
                "OK: {} records intact (records {} to {}); chain head {} {}\n\
                 Keep the head somewhere outside this database: a later verify that\n\
                 reaches it proves nothing up to it was rewritten.",
                summary.records,
                summary.anchor.seq + 1,
                summary.head.seq,
                summary.head.seq,
                summary.head.hash
            );
            ExitCode::SUCCESS
        }
        Err(broken) => {
            let _ = writeln!(out, "FAILED: {broken}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `command` on whichever engine `database` names.
async fn on_store(command: &str, o: &Options) -> ExitCode {
    match (open(&o.database).await, command) {
        (Err(e), _) => database_failed(&e),
        (Ok(Opened::Sqlite(s)), "export") => export(s, o).await,
        (Ok(Opened::Postgres(s)), "export") => export(*s, o).await,
        (Ok(Opened::Sqlite(s)), _) => verify(s).await,
        (Ok(Opened::Postgres(s)), _) => verify(*s).await,
    }
}
