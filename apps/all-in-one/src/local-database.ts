import { join } from "node:path";
import { migrateDatabase } from "@switchboard/database";
import { startEmbeddedPostgres } from "@switchboard/dev-env";
import pg from "pg";

export type LocalDatabase = { url: string; stop(): Promise<void> };

const DATABASE_NAME = "switchboard";

/** DATABASE_URL when set, else an embedded Postgres whose data lives under the data directory. */
export async function startLocalDatabase(dataDir: string, log: (line: string) => void): Promise<LocalDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await migrateDatabase(configured);
    return { url: configured, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: join(dataDir, "postgres"),
    persistent: true,
    preferredPort: 54329,
  });
  const url = await ensureDatabase(server.url);
  log(`Embedded Postgres: ${url.replace(/:[^:@/]+@/, ":***@")}`);
  await migrateDatabase(url);
  return { url, stop: server.stop };
}

async function ensureDatabase(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [DATABASE_NAME]);
    if (!rowCount) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE_NAME}`;
  return url.toString();
}
