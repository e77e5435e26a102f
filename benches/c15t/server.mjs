// c15t's self-hosted backend (npm @c15t/backend, Kysely + better-sqlite3),
// set up as its docs describe, on 127.0.0.1 for benches/records_load.rs.
//   node benches/c15t/server.mjs PORT DB_FILE
// Needs `npm install` in benches/c15t/ (its own package.json; not part of
// the project's lockfile).
import { c15tInstance } from '@c15t/backend';
import { kyselyAdapter } from '@c15t/backend/db/adapters/kysely';
import { DB } from '@c15t/backend/db/schema';
import { migrator } from '@c15t/backend/db/migrator';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

const port = Number(process.argv[2] ?? 8788);
const file = process.argv[3] ?? 'c15t.sqlite3';
const sqlite = new Database(file);
// The same durability as cookiegate's SQLite store: WAL, synchronous=FULL.
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
const kysely = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
const adapter = kyselyAdapter({ db: kysely, provider: 'sqlite' });
// The migrator returns a plan; execute() applies it (what c15t's CLI runs).
const plan = await migrator({ db: DB.client(adapter), schema: 'latest' });
if (plan.execute) await plan.execute();
const c15t = c15tInstance({
  appName: 'cookiegate-bench',
  basePath: '/',
  trustedOrigins: ['http://127.0.0.1'],
  adapter,
});
serve({ fetch: c15t.handler, port, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`c15t backend listening on http://127.0.0.1:${info.port}\n`);
});
