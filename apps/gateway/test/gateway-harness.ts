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
  type SnapshotGrant,
  type SnapshotServer,
  type SnapshotToken,
  signSnapshot,
} from "@switchboard/snapshot";
import { pinUpstreamTools } from "@switchboard/testkit";
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

  /** A server whose current tools are all approved, as catalog sync at registration does. */
  async server(id: string, slug: string, url: string, headers?: Record<string, string>): Promise<SnapshotServer> {
    const base = { id, slug, name: slug, url, enabled: true, tools: await pinUpstreamTools(url, headers) };
    if (!headers) return { ...base, auth: { type: "none" } };
    const sealedHeaders = await this.sealer.seal(Buffer.from(JSON.stringify(headers)));
    return { ...base, auth: { type: "headers", sealedHeaders } };
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
    GATEWAY_SHUTDOWN_GRACE_MS: "1000",
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
    ...emptyPolicy(1),
    users: ids.map((id) => ({ id, email: `${id}@example.com`, name: id, active: true, teamIds: [] })),
    tokens: ids.map((id) => userToken(id, author.digest(users[id] as string))),
    servers: [await author.server(`s-${server.slug}`, server.slug, server.url)],
    grants: ids.map((id) => userGrant(`g-${id}`, id, `s-${server.slug}`)),
  };
}

/** A policy with nothing in it, to spread into hand-written snapshots. */
export function emptyPolicy(version: number): PolicySnapshot {
  return {
    schemaVersion: 2,
    version,
    issuedAt: new Date().toISOString(),
    users: [],
    teams: [],
    virtualAccounts: [],
    tokens: [],
    servers: [],
    virtualServers: [],
    grants: [],
  };
}

export function userToken(userId: string, digest: string): SnapshotToken {
  return { id: `t-${userId}`, owner: { type: "user", id: userId }, digest, expiresAt: null, scope: null };
}

/** A user's grant on a server: every tool, or only the listed ones. */
export function userGrant(id: string, userId: string, serverId: string, allow?: string[]): SnapshotGrant {
  return {
    id,
    subject: { type: "user", id: userId },
    target: { type: "server", id: serverId },
    tools: allow ? { mode: "allow", names: allow } : { mode: "all" },
  };
}
