import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { migrateDatabase } from "@switchboard/database";
import {
  databaseUrlFor,
  dropDatabase,
  TEMPLATE_DATABASE_PREFIX,
  TEST_DATABASE_PREFIX,
  testDatabaseUrl,
  testNatsUrl,
  withAdminConnection,
} from "./services.js";

/** Reads the NATS server's INFO greeting: proof a NATS server, not just any socket, is there. */
function expectNats(url: string): Promise<void> {
  const { hostname, port } = new URL(url.split(",")[0] as string);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 4222) });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`NATS is not reachable at ${url} (${reason}); tests need a real NATS with JetStream`));
    };
    socket.setTimeout(3_000, () => fail("no answer within 3 s"));
    socket.once("error", (error) => fail(error.message));
    socket.once("data", (data) => {
      socket.destroy();
      if (data.toString().startsWith("INFO")) resolve();
      else fail("the server did not greet like NATS");
    });
  });
}

/**
 * Runs once before the suite: real Postgres and NATS must answer (a missing service fails the run,
 * it never skips), and a migrated template database is prepared for per-test clones.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Vitest calls this once per project, all in its main process: the first call prepares the run's
  // template, the others reuse it (and must not drop it as a leftover).
  if (process.env.SWITCHBOARD_TEST_TEMPLATE_DATABASE) return async () => {};
  const template = `${TEMPLATE_DATABASE_PREFIX}${randomBytes(6).toString("hex")}`;
  process.env.SWITCHBOARD_TEST_TEMPLATE_DATABASE = template;
  const databaseUrl = testDatabaseUrl();
  await expectNats(testNatsUrl());
  await withAdminConnection(async (client) => {
    const leftovers = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like $1 or datname like $2",
      [`${TEST_DATABASE_PREFIX}%`, `${TEMPLATE_DATABASE_PREFIX}%`],
    );
    // Plain drops, no terminations: a database still in use belongs to a run in progress and stays.
    for (const { datname } of leftovers.rows)
      await client.query(`drop database if exists "${datname}"`).catch(() => {});
    await client.query(`create database ${template}`);
  }).catch((error: Error) => {
    throw new Error(`Postgres is not usable at ${databaseUrl.replace(/:[^:@/]+@/, ":***@")}: ${error.message}`);
  });
  // Test workers start after every setup has run, and inherit the environment.
  await migrateDatabase(databaseUrlFor(databaseUrl, template));
  return () => withAdminConnection((client) => dropDatabase(client, template)).catch(() => {});
}
