import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessBus } from "@switchboard/bus";
import { loadGatewayConfig, startGateway } from "@switchboard/gateway";
import {
  digestAccessToken,
  generateDeploymentKeys,
  importSnapshotSigningKey,
  mintAccessToken,
  type PolicySnapshot,
  signSnapshot,
} from "@switchboard/snapshot";
import { pinUpstreamTools } from "@switchboard/testkit";

/**
 * A real gateway with token auth and grants on, holding a signed snapshot that grants one user the
 * benchmark upstream. Returns its URL, the user's token and the snapshot's size.
 */
export async function startGatewayUnderTest(port: number, upstreamUrl: string) {
  const keys = await generateDeploymentKeys();
  const token = mintAccessToken();
  const snapshot: PolicySnapshot = {
    schemaVersion: 2,
    version: 1,
    issuedAt: new Date().toISOString(),
    users: [{ id: "bench-user", email: "bench@example.com", name: "Bench", active: true, teamIds: [] }],
    teams: [],
    virtualAccounts: [],
    tokens: [
      {
        id: "bench-token",
        owner: { type: "user", id: "bench-user" },
        digest: digestAccessToken(token, Buffer.from(keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64")),
        expiresAt: null,
        scope: null,
      },
    ],
    servers: [
      {
        id: "fast",
        slug: "fast",
        name: "Fast upstream",
        url: upstreamUrl,
        enabled: true,
        auth: { type: "none" },
        tools: await pinUpstreamTools(upstreamUrl),
      },
    ],
    virtualServers: [],
    grants: [
      {
        id: "bench-grant",
        subject: { type: "user", id: "bench-user" },
        target: { type: "server", id: "fast" },
        tools: { mode: "allow", names: ["echo"] },
      },
    ],
  };
  const signed = await signSnapshot(
    snapshot,
    await importSnapshotSigningKey(JSON.parse(keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY)),
  );
  const bus = new InProcessBus();
  await bus.publishSnapshot(signed.envelope);
  const config = loadGatewayConfig({
    ...keys,
    GATEWAY_PORT: String(port),
    GATEWAY_ID: "bench-gateway",
    SWITCHBOARD_SNAPSHOT_DIR: await mkdtemp(join(tmpdir(), "switchboard-bench-")),
  });
  const gateway = await startGateway(config, { bus, logger: false });
  return { url: gateway.url, token, snapshotBytes: signed.envelope.length, documentBytes: signed.size };
}
