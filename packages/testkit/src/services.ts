import { randomBytes } from "node:crypto";
import pg from "pg";

/** The Postgres server the suite runs against; `npm test` provides one. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error("TEST_DATABASE_URL is not set: run the suite with `npm test`, which provides Postgres and NATS");
  return url;
}

/** The NATS server (JetStream enabled) the suite runs against; `npm test` provides one. */
export function testNatsUrl(): string {
  const url = process.env.TEST_NATS_URL;
  if (!url)
    throw new Error("TEST_NATS_URL is not set: run the suite with `npm test`, which provides Postgres and NATS");
  return url;
}

export const TEMPLATE_DATABASE_PREFIX = "sb_template_";
export const TEST_DATABASE_PREFIX = "sb_test_";

/**
 * The migrated template of this run. Each run makes its own, so two runs against one Postgres
 * (two engineers, or CI beside a developer) never clone each other's half-built template.
 */
export function templateDatabase(): string {
  const name = process.env.SWITCHBOARD_TEST_TEMPLATE_DATABASE;
  if (!name) throw new Error("SWITCHBOARD_TEST_TEMPLATE_DATABASE is not set: the suite's global setup did not run");
  return name;
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminConnection<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: pg.Client, database: string): Promise<void> {
  await client.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
    [database],
  );
  await client.query(`drop database if exists "${database}"`);
}

/** A fresh database, cloned from the migrated template the global setup prepared. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const database = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString("hex")}`;
  await withAdminConnection(async (client) => {
    // Two clones of one template at the same instant collide ("being accessed by other users").
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database "${database}" template ${templateDatabase()}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return {
    url: databaseUrlFor(testDatabaseUrl(), database),
    drop: () => withAdminConnection((client) => dropDatabase(client, database)),
  };
}
