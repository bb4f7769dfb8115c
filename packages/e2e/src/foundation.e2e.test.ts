import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type DeploymentKeys, generateDeploymentKeys, mintAccessToken } from "@switchboard/snapshot";
import {
  createTestDatabase,
  type FixtureUpstream,
  freePort,
  startFixtureUpstream,
  startServerEverything,
  testNatsUrl,
} from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "./admin-client.js";
import { connectMcpClient, firstText, postToolsList, toolNames } from "./mcp-session.js";
import { type RunningApp, startControlPlaneProcess, startGatewayProcess } from "./switchboard-processes.js";
import { readiness, waitFor } from "./wait-for.js";

/**
 * The foundation, through real processes: one control plane and two gateways on real Postgres and
 * NATS, server-everything and our fixture upstream behind them, the official SDK client in front.
 */
const UPSTREAM_SECRET = "fixture-secret-value";
const cleanups: Array<() => Promise<unknown>> = [];

let keys: DeploymentKeys;
let fleet: string;
let natsUrl: string;
let admin: AdminClient;
let controlPlane: RunningApp;
let gatewayOne: RunningApp & { snapshotDir: string };
let gatewayTwo: RunningApp & { snapshotDir: string };
let fixture: FixtureUpstream;
let tokenA: string;
let tokenB: { id: string; token: string };

/** Waits until every gateway lists `tool` for `token`: policy reaches gateways asynchronously. */
async function waitUntilVisible(token: string, tool: string, gateways: RunningApp[]) {
  for (const gateway of gateways) {
    await waitFor(
      async () => {
        const response = await postToolsList(`${gateway.url}/mcp`, token);
        return response.status === 200 && (await response.text()).includes(`"${tool}"`);
      },
      15_000,
      `${gateway.url} to show ${tool}`,
    );
  }
}

async function connect(gateway: RunningApp, token: string, path = "/mcp"): Promise<Client> {
  const client = await connectMcpClient(`${gateway.url}${path}`, token);
  cleanups.push(() => client.close());
  return client;
}

beforeAll(async () => {
  keys = await generateDeploymentKeys();
  fleet = `e2e-${Date.now().toString(36)}`;
  natsUrl = testNatsUrl();
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  fixture = await startFixtureUpstream({ requiredHeaders: { "x-upstream-key": UPSTREAM_SECRET } });
  cleanups.push(fixture.close);
  const everything = await startServerEverything();
  cleanups.push(everything.close);

  const adminToken = mintAccessToken();
  controlPlane = await startControlPlaneProcess({ keys, databaseUrl: database.url, natsUrl, fleet, adminToken });
  cleanups.push(() => controlPlane.stop());
  [gatewayOne, gatewayTwo] = await Promise.all([
    startGatewayProcess({ keys, natsUrl, fleet, gatewayId: "gateway-one" }),
    startGatewayProcess({ keys, natsUrl, fleet, gatewayId: "gateway-two" }),
  ]);
  cleanups.push(
    () => gatewayOne.stop(),
    () => gatewayTwo.stop(),
  );

  admin = new AdminClient(controlPlane.url, adminToken);
  const everythingServer = await admin.createServer({ name: "Everything", slug: "everything", url: everything.url });
  const fixtureServer = await admin.createServer({
    name: "Fixture",
    slug: "fixture",
    url: fixture.url,
    auth: { type: "headers", headers: { "X-Upstream-Key": UPSTREAM_SECRET } },
  });
  const userA = await admin.createUser("alice@example.com", "Alice");
  const userB = await admin.createUser("bob@example.com", "Bob");
  tokenA = (await admin.createToken(userA.id, "laptop")).token;
  tokenB = await admin.createToken(userB.id, "laptop");
  await admin.createGrant(userA.id, everythingServer.id);
  await admin.createGrant(userA.id, fixtureServer.id);
  await admin.createGrant(userB.id, everythingServer.id, ["echo"]);
  await waitUntilVisible(tokenA, "fixture__whoami", [gatewayOne, gatewayTwo]);
  await waitUntilVisible(tokenB.token, "everything__echo", [gatewayOne, gatewayTwo]);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("foundation end to end", () => {
  it("shows user A the tools of both servers and runs calls on each, through either gateway", async () => {
    for (const gateway of [gatewayOne, gatewayTwo]) {
      const client = await connect(gateway, tokenA);
      const names = await toolNames(client);
      expect(names).toContain("everything__echo");
      expect(names).toContain("everything__get-sum");
      expect(names).toEqual(expect.arrayContaining(["fixture__add", "fixture__echo", "fixture__whoami"]));
      for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
    const viaOne = await connect(gatewayOne, tokenA);
    const viaTwo = await connect(gatewayTwo, tokenA);
    expect(firstText(await viaOne.callTool({ name: "everything__echo", arguments: { message: "hi" } }))).toContain(
      "hi",
    );
    expect(firstText(await viaTwo.callTool({ name: "fixture__add", arguments: { a: 2, b: 3 } }))).toBe("5");
    expect(firstText(await viaTwo.callTool({ name: "everything__echo", arguments: { message: "two" } }))).toContain(
      "two",
    );
  });

  it("serves one server under /mcp/{slug} with the upstream's own tool names", async () => {
    const client = await connect(gatewayTwo, tokenA, "/mcp/fixture");
    expect(await toolNames(client)).toEqual(["add", "echo", "wait", "whoami"]);
    expect(firstText(await client.callTool({ name: "echo", arguments: { message: "plain" } }))).toBe("echo: plain");
  });

  it("shows user B only echo, and refuses every other call with a JSON-RPC error", async () => {
    const client = await connect(gatewayOne, tokenB.token);
    expect(await toolNames(client)).toEqual(["everything__echo"]);
    expect(firstText(await client.callTool({ name: "everything__echo", arguments: { message: "b" } }))).toContain("b");
    for (const name of ["everything__get-sum", "fixture__echo", "everything__no-such-tool"]) {
      await expect(client.callTool({ name, arguments: { a: 1, b: 2, message: "x" } })).rejects.toThrow(
        `Unknown tool: ${name}`,
      );
    }
  });

  it("answers no token or a wrong token with 401 and WWW-Authenticate", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    for (const authorization of [undefined, "Bearer nope", `Bearer ${mintAccessToken()}`]) {
      const response = await fetch(`${gatewayOne.url}/mcp`, {
        method: "POST",
        headers: authorization ? { ...headers, authorization } : headers,
        body,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(((await response.json()) as { error?: unknown }).error).toBeDefined();
    }
  });

  it("never forwards the agent's token upstream, and always sends the configured header", () => {
    expect(fixture.receivedHeaders.length).toBeGreaterThan(0);
    for (const headers of fixture.receivedHeaders) {
      expect(headers["x-upstream-key"]).toBe(UPSTREAM_SECRET);
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(tokenA);
      expect(JSON.stringify(headers)).not.toContain(tokenB.token);
    }
  });

  it("makes both gateways refuse a revoked token", async () => {
    const request = (gateway: RunningApp) => postToolsList(`${gateway.url}/mcp`, tokenB.token);
    expect((await request(gatewayOne)).status).toBe(200);
    const started = performance.now();
    await admin.revokeToken(tokenB.id);
    await Promise.all(
      [gatewayOne, gatewayTwo].map((gateway) =>
        waitFor(async () => (await request(gateway)).status === 401, 10_000, "revocation to reach the gateway"),
      ),
    );
    const elapsed = performance.now() - started;
    console.info(`revocation to enforcement on both gateways: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(10_000);
  });

  describe("with the control plane stopped", () => {
    beforeAll(async () => {
      await controlPlane.stop();
    });

    it("keeps both gateways serving", async () => {
      for (const gateway of [gatewayOne, gatewayTwo]) {
        const client = await connect(gateway, tokenA);
        expect(firstText(await client.callTool({ name: "fixture__echo", arguments: { message: "up" } }))).toBe(
          "echo: up",
        );
      }
    });

    it("lets a third gateway become ready from JetStream", async () => {
      const third = await startGatewayProcess({ keys, natsUrl, fleet, gatewayId: "gateway-three" });
      cleanups.push(() => third.stop());
      await waitFor(async () => (await readiness(third.url)).status === 200, 15_000, "the third gateway");
      expect((await readiness(third.url)).body.stale).toBe(false);
      const client = await connect(third, tokenA);
      expect(await toolNames(client)).toContain("fixture__echo");
    });

    it("serves a gateway with neither NATS nor control plane from its last-known-good file, marked stale", async () => {
      const snapshotDir = await mkdtemp(join(tmpdir(), "switchboard-lkg-"));
      await cp(gatewayOne.snapshotDir, snapshotDir, { recursive: true });
      const deadNats = `nats://127.0.0.1:${await freePort()}`;
      const offline = await startGatewayProcess({
        keys,
        natsUrl: deadNats,
        fleet,
        gatewayId: "gateway-lkg",
        snapshotDir,
      });
      cleanups.push(() => offline.stop());
      const { status, body } = await readiness(offline.url);
      expect(status).toBe(200);
      expect(body.stale).toBe(true);
      const client = await connect(offline, tokenA);
      expect(firstText(await client.callTool({ name: "fixture__echo", arguments: { message: "lkg" } }))).toBe(
        "echo: lkg",
      );
    });

    it("keeps a gateway with nothing not ready, denying every call", async () => {
      const deadNats = `nats://127.0.0.1:${await freePort()}`;
      const empty = await startGatewayProcess({ keys, natsUrl: deadNats, fleet, gatewayId: "gateway-empty" });
      cleanups.push(() => empty.stop());
      expect((await readiness(empty.url)).status).toBe(503);
      const response = await postToolsList(`${empty.url}/mcp`, tokenA);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error?: unknown }).error).toBeDefined();
    });
  });
});
