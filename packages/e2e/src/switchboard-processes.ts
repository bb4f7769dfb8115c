import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeploymentKeys } from "@switchboard/snapshot";
import { freePort, startNodeProcess } from "@switchboard/testkit";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
export type RunningProcess = Awaited<ReturnType<typeof startNodeProcess>>;
export type RunningApp = RunningProcess & { url: string };

/** The built control plane as its own process, exactly as an operator runs it alone. */
export async function startControlPlaneProcess(options: {
  keys: DeploymentKeys;
  databaseUrl: string;
  natsUrl: string;
  fleet: string;
  adminToken: string;
}): Promise<RunningApp> {
  const port = await freePort();
  const running = await startNodeProcess({
    name: "control-plane",
    entry: join(repoRoot, "apps/control-plane/dist/main.js"),
    env: {
      ...options.keys,
      DATABASE_URL: options.databaseUrl,
      NATS_URL: options.natsUrl,
      SWITCHBOARD_FLEET: options.fleet,
      SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: options.adminToken,
      SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS: "true",
      CONTROL_PLANE_PORT: String(port),
    },
    readyPattern: /Control plane listening/,
  });
  return { ...running, url: `http://127.0.0.1:${port}` };
}

/** One gateway pod as its own process, with its own last-known-good directory. */
export async function startGatewayProcess(options: {
  keys: DeploymentKeys;
  natsUrl: string;
  fleet: string;
  gatewayId: string;
  snapshotDir?: string;
}): Promise<RunningApp & { snapshotDir: string }> {
  const port = await freePort();
  const snapshotDir = options.snapshotDir ?? (await mkdtemp(join(tmpdir(), `switchboard-${options.gatewayId}-`)));
  const running = await startNodeProcess({
    name: options.gatewayId,
    entry: join(repoRoot, "apps/gateway/dist/main.js"),
    env: {
      SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: options.keys.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS,
      SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: options.keys.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY,
      SWITCHBOARD_TOKEN_DIGEST_KEY: options.keys.SWITCHBOARD_TOKEN_DIGEST_KEY,
      SWITCHBOARD_SESSION_SECRET: options.keys.SWITCHBOARD_SESSION_SECRET,
      // Tests read last-used times back soon after a call.
      GATEWAY_USAGE_REPORT_MS: "200",
      NATS_URL: options.natsUrl,
      SWITCHBOARD_FLEET: options.fleet,
      GATEWAY_ID: options.gatewayId,
      GATEWAY_PORT: String(port),
      SWITCHBOARD_SNAPSHOT_DIR: snapshotDir,
    },
    readyPattern: /Gateway listening/,
  });
  return { ...running, url: `http://127.0.0.1:${port}`, snapshotDir };
}
