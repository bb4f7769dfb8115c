import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { acceptsConnections } from "./tcp-probe.js";
import { startThrowawayNats } from "./throwaway-nats.js";

/**
 * Runs the whole vitest suite against real Postgres and NATS: the ones named by TEST_DATABASE_URL and
 * TEST_NATS_URL, else the local defaults when they answer, else throwaway servers started here and
 * removed afterwards. The output ends with vitest's own summary.
 */
const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";
const LOCAL_NATS = "nats://127.0.0.1:4222";
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const cleanups: Array<() => Promise<void>> = [];

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function databaseUrl(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (await canQuery(LOCAL_POSTGRES)) return LOCAL_POSTGRES;
  process.stderr.write("switchboard: no Postgres on 127.0.0.1:5432, starting a throwaway embedded one\n");
  const dataRoot = await mkdtemp(join(tmpdir(), "switchboard-pg-"));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataRoot, "data"), persistent: false });
  cleanups.push(async () => {
    await postgres.stop();
    await rm(dataRoot, { recursive: true, force: true });
  });
  return postgres.url;
}

async function natsUrl(): Promise<string> {
  if (process.env.TEST_NATS_URL) return process.env.TEST_NATS_URL;
  if (await acceptsConnections("127.0.0.1", 4222)) return LOCAL_NATS;
  process.stderr.write("switchboard: no NATS on 127.0.0.1:4222, starting a throwaway one\n");
  const nats = await startThrowawayNats();
  cleanups.push(nats.stop);
  return nats.url;
}

function runVitest(env: NodeJS.ProcessEnv): Promise<number> {
  const vitest = join(repoRoot, "node_modules/vitest/vitest.mjs");
  const child = spawn(process.execPath, [vitest, "run", ...process.argv.slice(2)], {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

let exitCode = 1;
try {
  const env = { ...process.env, TEST_DATABASE_URL: await databaseUrl(), TEST_NATS_URL: await natsUrl() };
  exitCode = await runVitest(env);
} catch (error) {
  process.stderr.write(`switchboard: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}
process.exit(exitCode);
