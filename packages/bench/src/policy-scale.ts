import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InProcessBus } from "@switchboard/bus";
import { loadGatewayConfig, startGateway } from "@switchboard/gateway";
import {
  buildPolicyIndex,
  callableTools,
  type DeploymentKeys,
  generateDeploymentKeys,
  importSnapshotSigningKey,
  type ScopedPrincipal,
  signSnapshot,
  snapshotBytes,
} from "@switchboard/snapshot";
import { buildLargePolicy } from "./large-policy.js";

/**
 * Builds and signs the large policy in the benchmark's process and leaves the envelope and keys in
 * `dir` for a gateway process to load; times signing and the first access decisions for one user.
 */
export async function prepareLargePolicy(dir: string) {
  const keys = await generateDeploymentKeys();
  const { snapshot } = buildLargePolicy(Buffer.from(keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64"));
  const documentBytes = snapshotBytes(snapshot).length;
  const signingKey = await importSnapshotSigningKey(JSON.parse(keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY));
  const signStarted = performance.now();
  const signed = await signSnapshot(snapshot, signingKey);
  const signMs = performance.now() - signStarted;
  await writeFile(join(dir, "policy.jws"), signed.envelope);
  await writeFile(join(dir, "keys.json"), JSON.stringify(keys));

  const index = buildPolicyIndex(snapshot, signed.sha256);
  const principal: ScopedPrincipal = { kind: "user", id: snapshot.users[0]?.id as string, tokenId: "t", scope: null };
  const decisionStarted = performance.now();
  let visibleTools = 0;
  for (const server of snapshot.servers) {
    visibleTools += callableTools(index, principal, { type: "server", id: server.id }).size;
  }
  const firstViewMs = performance.now() - decisionStarted;
  return { documentBytes, envelopeBytes: signed.envelope.length, signMs, visibleTools, firstViewMs };
}

/**
 * Runs in a gateway process of its own: starts a real gateway, hands it the prepared envelope over
 * the bus and times verify + activate (signature, gunzip, digest, schema, index, persist), then
 * reads RSS after a full GC.
 */
export async function activateLargePolicy(dir: string) {
  const keys = JSON.parse(await readFile(join(dir, "keys.json"), "utf8")) as DeploymentKeys;
  const bus = new InProcessBus();
  const gateway = await startGateway(
    loadGatewayConfig({ ...keys, GATEWAY_PORT: "0", GATEWAY_ID: "bench-large-policy", SWITCHBOARD_SNAPSHOT_DIR: dir }),
    { bus, logger: false },
  );
  const rssIdleMb = rssAfterGc();
  const envelope = await readFile(join(dir, "policy.jws"));
  const started = performance.now();
  await bus.publishSnapshot(envelope);
  while (gateway.snapshotState().version < 1) await new Promise((resolve) => setImmediate(resolve));
  const activationMs = performance.now() - started;
  const rssMb = rssAfterGc();
  await gateway.close();
  return { activationMs, rssIdleMb, rssMb };
}

function rssAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}
