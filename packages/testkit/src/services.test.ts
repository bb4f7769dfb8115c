import pg from "pg";
import { expect, it } from "vitest";
import { createTestDatabase, testDatabaseUrl } from "./services.js";

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

it("creates a migrated throwaway database and drops it", async () => {
  const database = await createTestDatabase();
  const name = new URL(database.url).pathname.slice(1);
  expect(name).toMatch(/^sb_test_[0-9a-f]+$/);
  const tables = await query<{ exists: boolean }>(database.url, `select to_regclass('"User"') is not null as exists`);
  expect(tables[0]?.exists).toBe(true);

  await database.drop();
  const remaining = await query(testDatabaseUrl(), "select 1 from pg_database where datname = $1", [name]);
  expect(remaining).toHaveLength(0);
});
