import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessBus } from "@switchboard/bus";
import {
  DataPlaneSealer,
  type DeploymentKeys,
  digestAccessToken,
  generateDeploymentKeys,
  importSnapshotSigningKey,
  mintAccessToken,
  type PolicySnapshot,
  type SnapshotServer,
  signSnapshot,
} from "@switchboard/snapshot";
import { loadGatewayConfig } from "../src/config/gateway-config.js";
import { type RunningGateway, startGateway } from "../src/start-gateway.js";

/** Signs snapshots the way the control plane does, for gateways under test. */
export class SnapshotAuthor {
  private constructor(
    readonly keys: DeploymentKeys,
    private readonly sealer: DataPlaneSealer,
  ) {}

  static async create(keys?: DeploymentKeys): Promise<SnapshotAuthor> {
    const resolved = keys ?? (await generateDeploymentKeys());
    return new SnapshotAuthor(
      resolved,
      await DataPlaneSealer.fromPublicJwk(JSON.parse(resolved.SWITCHBOARD_DATA_PLANE_PUBLIC_KEY)),
    );
  }

  digest(token: string): string {
    return digestAccessToken(token, Buffer.from(this.keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64"));
  }

  async server(id: string, slug: string, url: string, headers?: Record<string, string>): Promise<SnapshotServer> {
    if (!headers) return { id, slug, name: slug, url, auth: { type: "none" } };
    const sealedHeaders = await this.sealer.seal(Buffer.from(JSON.stringify(headers)));
    return { id, slug, name: slug, url, auth: { type: "headers", sealedHeaders } };
  }

  async sign(snapshot: PolicySnapshot, signingKeyJson = this.keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY) {
    return signSnapshot(snapshot, await importSnapshotSigningKey(JSON.parse(signingKeyJson)));
  }
}

export type Principals = { alice: string; bob: string };

export function newTokens(): Principals {
  return { alice: mintAccessToken(), bob: mintAccessToken() };
}

export async function startTestGateway(
  author: SnapshotAuthor,
  bus: InProcessBus,
  overrides: Record<string, string> = {},
): Promise<RunningGateway & { snapshotDir: string }> {
  const snapshotDir =
    overrides.SWITCHBOARD_SNAPSHOT_DIR ?? (await mkdtemp(join(tmpdir(), "switchboard-gateway-test-")));
  const config = loadGatewayConfig({
    ...author.keys,
    GATEWAY_PORT: "0",
    GATEWAY_ID: `test-${Math.random().toString(36).slice(2, 8)}`,
    SWITCHBOARD_SNAPSHOT_DIR: snapshotDir,
    ...overrides,
  });
  const gateway = await startGateway(config, { bus, logger: false });
  return { ...gateway, snapshotDir };
}

export function mcpPost(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function waitForVersion(gateway: RunningGateway, version: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (gateway.snapshotState().version < version) {
    if (Date.now() > deadline) throw new Error(`gateway never reached snapshot ${version}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Version 1 of a policy where each user (id → token) may use every tool of one upstream. */
export async function wholeServerPolicy(
  author: SnapshotAuthor,
  users: Record<string, string>,
  server: { slug: string; url: string },
): Promise<PolicySnapshot> {
  const ids = Object.keys(users);
  return {
    schemaVersion: 1,
    version: 1,
    issuedAt: new Date().toISOString(),
    users: ids.map((id) => ({ id, email: `${id}@example.com`, name: id, active: true })),
    tokens: ids.map((id) => ({
      id: `t-${id}`,
      userId: id,
      digest: author.digest(users[id] as string),
      expiresAt: null,
    })),
    servers: [await author.server(`s-${server.slug}`, server.slug, server.url)],
    grants: ids.map((id) => ({
      id: `g-${id}`,
      subject: { type: "user" as const, id },
      target: { type: "server" as const, id: `s-${server.slug}` },
      tools: null,
    })),
  };
}
