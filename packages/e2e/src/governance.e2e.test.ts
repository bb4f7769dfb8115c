import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { generateDeploymentKeys, mintAccessToken } from "@switchboard/snapshot";
import {
  createTestDatabase,
  type FixtureUpstream,
  startFixtureUpstream,
  startServerEverything,
  testNatsUrl,
} from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "./admin-client.js";
import { connectMcpClient, firstText, postToolsList } from "./mcp-session.js";
import { type RunningApp, startControlPlaneProcess, startGatewayProcess } from "./switchboard-processes.js";
import { waitFor } from "./wait-for.js";

/**
 * Governance through real processes (control plane, gateway, Postgres, NATS): team grants,
 * virtual accounts with scoped tokens on a virtual server, deactivation, team deletion, explain.
 */
const cleanups: Array<() => Promise<unknown>> = [];
let admin: AdminClient;
let gateway: RunningApp;
let fixture: FixtureUpstream;
let fixtureId: string;
let everythingId: string;

async function connect(path: string, token: string): Promise<Client> {
  const client = await connectMcpClient(`${gateway.url}${path}`, token);
  cleanups.push(() => client.close());
  return client;
}

/** The tool names a token sees on `/mcp` right now (empty when the token is refused). */
async function visibleTools(token: string, path = "/mcp"): Promise<string[]> {
  const response = await postToolsList(`${gateway.url}${path}`, token);
  if (response.status !== 200) return [];
  const body = (await response.json()) as { result?: { tools: { name: string }[] } };
  return (body.result?.tools ?? []).map((tool) => tool.name).sort();
}

beforeAll(async () => {
  const keys = await generateDeploymentKeys();
  const fleet = `e2e-governance-${Date.now().toString(36)}`;
  const natsUrl = testNatsUrl();
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  fixture = await startFixtureUpstream();
  const everything = await startServerEverything();
  cleanups.push(fixture.close, everything.close);
  const adminToken = mintAccessToken();
  const controlPlane = await startControlPlaneProcess({ keys, databaseUrl: database.url, natsUrl, fleet, adminToken });
  cleanups.push(() => controlPlane.stop());
  gateway = await startGatewayProcess({ keys, natsUrl, fleet, gatewayId: "gateway-governance" });
  cleanups.push(() => gateway.stop());
  admin = new AdminClient(controlPlane.url, adminToken);
  fixtureId = (await admin.createServer({ name: "Fixture", slug: "fixture", url: fixture.url })).id;
  everythingId = (await admin.createServer({ name: "Everything", slug: "everything", url: everything.url })).id;
}, 90_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("governance at the gateway", () => {
  it("gives a user the team's tools while they are a member, and measures the time to enforcement", async () => {
    const user = await admin.createUser("tess@example.com", "Tess");
    const { token } = await admin.createToken(user.id, "agent");
    const team = await admin.request<{ id: string }>("POST", "/teams", { name: "Platform" });
    await admin.grant(
      { type: "team", id: team.id },
      { type: "server", id: fixtureId },
      { mode: "deny", names: ["add"] },
    );
    await waitFor(
      async () => (await admin.request<{ version: number }>("GET", "/snapshots/latest")).version > 0,
      5_000,
      "a snapshot",
    );
    expect(await visibleTools(token)).toEqual([]);

    await admin.request("PUT", `/teams/${team.id}/members/${user.id}`);
    const joinMs = await waitFor(
      async () => (await visibleTools(token)).join() === "fixture__echo,fixture__wait,fixture__whoami",
      15_000,
      "the team's tools",
    );
    await admin.request("DELETE", `/teams/${team.id}/members/${user.id}`);
    const leaveMs = await waitFor(async () => (await visibleTools(token)).length === 0, 15_000, "the tools to go");
    console.log(`team membership → gateway: added in ${joinMs.toFixed(0)} ms, removed in ${leaveMs.toFixed(0)} ms`);

    await admin.request("PUT", `/teams/${team.id}/members/${user.id}`);
    await waitFor(async () => (await visibleTools(token)).length === 3, 15_000, "the tools back");
    const explained = await admin.request<{ allowed: boolean; grantIds: string[] }>(
      "GET",
      `/access/explain?principalType=user&principalId=${user.id}&targetType=server&targetId=${fixtureId}&tool=echo`,
    );
    expect(explained).toMatchObject({ allowed: true, grantIds: [expect.any(String)] });
    const denied = await admin.request<{ allowed: boolean; reason: string }>(
      "GET",
      `/access/explain?principalType=user&principalId=${user.id}&targetType=server&targetId=${fixtureId}&tool=add`,
    );
    expect(denied).toMatchObject({ allowed: false, reason: "in_deny_list" });

    await admin.request("DELETE", `/teams/${team.id}`);
    await waitFor(async () => (await visibleTools(token)).length === 0, 15_000, "the team's tools to go with it");
  });

  it("confines a virtual account's scoped token to its virtual server's three renamed tools", async () => {
    const team = await admin.request<{ id: string }>("POST", "/teams", { name: "Automation" });
    const account = await admin.request<{ id: string }>("POST", `/teams/${team.id}/virtual-accounts`, { name: "ci" });
    const triage = await admin.request<{ id: string; slug: string }>("POST", "/virtual-servers", {
      name: "Triage",
      tools: [
        { serverId: fixtureId, tool: "echo", name: "say", description: "Say something back" },
        { serverId: fixtureId, tool: "add", name: "sum" },
        { serverId: everythingId, tool: "get-sum", name: "total" },
      ],
    });
    await admin.grant({ type: "virtual-account", id: account.id }, { type: "virtual-server", id: triage.id });
    // A grant the scope must keep out of reach.
    await admin.grant({ type: "virtual-account", id: account.id }, { type: "server", id: everythingId });
    const { token } = await admin.request<{ token: string }>("POST", `/virtual-accounts/${account.id}/tokens`, {
      name: "pipeline",
      scope: [{ type: "virtual-server", id: triage.id }],
    });

    await waitFor(async () => (await visibleTools(token, `/mcp/v/${triage.slug}`)).length === 3, 15_000, "the slice");
    const client = await connect(`/mcp/v/${triage.slug}`, token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["say", "sum", "total"]);
    expect(tools[0]?.description).toBe("Say something back");
    expect(firstText(await client.callTool({ name: "say", arguments: { message: "hi" } }))).toBe("echo: hi");
    expect(firstText(await client.callTool({ name: "sum", arguments: { a: 2, b: 3 } }))).toBe("5");
    expect(JSON.stringify((await client.callTool({ name: "total", arguments: { a: 4, b: 5 } })).content)).toContain(
      "9",
    );
    await expect(client.callTool({ name: "echo", arguments: { message: "x" } })).rejects.toThrow(/Unknown tool/);
    expect(await visibleTools(token)).toEqual([]);
    expect((await postToolsList(`${gateway.url}/mcp/everything`, token)).status).toBe(404);

    const effective = await admin.request<{ servers: unknown[]; virtualServers: { slug: string; tools: string[] }[] }>(
      "GET",
      `/access/effective?principalType=virtual-account&principalId=${account.id}`,
    );
    expect(effective.virtualServers).toEqual([
      expect.objectContaining({ slug: "triage", tools: ["say", "sum", "total"] }),
    ]);

    await admin.request("POST", `/virtual-accounts/${account.id}/deactivate`);
    await waitFor(
      async () => (await postToolsList(`${gateway.url}/mcp/v/${triage.slug}`, token)).status === 401,
      15_000,
      "the deactivated account's token to be refused",
    );
  });

  it("refuses a deactivated user's tokens at the gateway and honours them again after reactivation", async () => {
    const user = await admin.createUser("uma@example.com", "Uma");
    const { token } = await admin.createToken(user.id, "agent");
    await admin.createGrant(user.id, fixtureId, ["echo"]);
    await waitFor(async () => (await visibleTools(token)).length === 1, 15_000, "the grant");
    const used = await waitFor(
      async () =>
        (await admin.request<{ items: { lastUsedAt: string | null }[] }>("GET", `/users/${user.id}/tokens`)).items[0]
          ?.lastUsedAt !== null,
      10_000,
      "the gateway to report the token's last use",
    );
    console.log(`token last-used time recorded ${used.toFixed(0)} ms after use (gateway reports every 200 ms here)`);
    await admin.request("POST", `/users/${user.id}/deactivate`);
    await waitFor(async () => (await postToolsList(`${gateway.url}/mcp`, token)).status === 401, 15_000, "refusal");
    await admin.request("POST", `/users/${user.id}/reactivate`);
    await waitFor(async () => (await visibleTools(token)).join() === "fixture__echo", 15_000, "the token back");
  });
});
