import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InProcessBus } from "@switchboard/bus";
import { mintAccessToken, type PolicySnapshot } from "@switchboard/snapshot";
import { type FixtureUpstream, startFixtureUpstream, startServerEverything } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import {
  emptyPolicy,
  mcpPost,
  SnapshotAuthor,
  startTestGateway,
  userToken,
  waitForVersion,
} from "./gateway-harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
let author: SnapshotAuthor;
let bus: InProcessBus;
let gateway: RunningGateway;
let fixture: FixtureUpstream;
let everythingUrl: string;
const tokens = { member: mintAccessToken(), bot: mintAccessToken(), outsider: mintAccessToken() };

/**
 * carol is in team "platform" (fixture: all but `add`); the virtual account "ci-bot" holds a token
 * scoped to the virtual server "triage" (3 tools from 2 upstreams, renamed) and a grant on the
 * fixture it may not use through that token; `whoami` is pinned to a digest the upstream no longer
 * has, as after a rug pull.
 */
async function policy(version: number, changes: Partial<PolicySnapshot> = {}): Promise<PolicySnapshot> {
  const fixtureServer = await author.server("s-fixture", "fixture", fixture.url);
  fixtureServer.tools = fixtureServer.tools.map((tool) =>
    tool.name === "whoami" ? { ...tool, sha256: "0".repeat(64) } : tool,
  );
  return {
    ...emptyPolicy(version),
    users: [
      { id: "carol", email: "carol@example.com", name: "Carol", active: true, teamIds: ["platform"] },
      { id: "dave", email: "dave@example.com", name: "Dave", active: true, teamIds: [] },
    ],
    teams: [{ id: "platform", name: "Platform" }],
    virtualAccounts: [{ id: "ci-bot", name: "CI bot", teamId: "platform", active: true }],
    tokens: [
      userToken("carol", author.digest(tokens.member)),
      userToken("dave", author.digest(tokens.outsider)),
      {
        id: "t-bot",
        owner: { type: "virtual-account", id: "ci-bot" },
        digest: author.digest(tokens.bot),
        expiresAt: null,
        scope: [{ type: "virtual-server", id: "v-triage" }],
      },
    ],
    servers: [fixtureServer, await author.server("s-everything", "everything", everythingUrl)],
    virtualServers: [
      {
        id: "v-triage",
        slug: "triage",
        name: "Triage",
        tools: [
          { name: "say", serverId: "s-fixture", tool: "echo", description: "Say something back" },
          { name: "sum", serverId: "s-fixture", tool: "add", description: null },
          { name: "total", serverId: "s-everything", tool: "get-sum", description: null },
          { name: "identify", serverId: "s-fixture", tool: "whoami", description: null },
        ],
      },
    ],
    grants: [
      {
        id: "g-team",
        subject: { type: "team", id: "platform" },
        target: { type: "server", id: "s-fixture" },
        tools: { mode: "deny", names: ["add"] },
      },
      {
        id: "g-bot-virtual",
        subject: { type: "virtual-account", id: "ci-bot" },
        target: { type: "virtual-server", id: "v-triage" },
        tools: { mode: "all" },
      },
      {
        id: "g-bot-server",
        subject: { type: "virtual-account", id: "ci-bot" },
        target: { type: "server", id: "s-everything" },
        tools: { mode: "all" },
      },
    ],
    ...changes,
  };
}

async function connect(path: string, token: string): Promise<Client> {
  const client = new Client({ name: "governance-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  cleanups.push(() => client.close());
  return client;
}

async function toolNames(path: string, token: string): Promise<string[]> {
  return (await (await connect(path, token)).listTools()).tools.map((tool) => tool.name);
}

async function publish(snapshot: PolicySnapshot) {
  await bus.publishSnapshot((await author.sign(snapshot)).envelope);
  await waitForVersion(gateway, snapshot.version);
}

beforeAll(async () => {
  author = await SnapshotAuthor.create();
  bus = new InProcessBus();
  fixture = await startFixtureUpstream();
  const everything = await startServerEverything();
  everythingUrl = everything.url;
  cleanups.push(fixture.close, everything.close);
  gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await publish(await policy(1));
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("snapshot v2 enforcement at the gateway", () => {
  it("gives a team member the team's tools minus the deny-list and minus tools changed since approval", async () => {
    expect(await toolNames("/mcp", tokens.member)).toEqual(["fixture__echo", "fixture__wait"]);
    const client = await connect("/mcp", tokens.member);
    await expect(client.callTool({ name: "fixture__add", arguments: { a: 1, b: 2 } })).rejects.toThrow(
      /Unknown tool: fixture__add/,
    );
    await expect(client.callTool({ name: "fixture__whoami", arguments: {} })).rejects.toThrow(/Unknown tool/);
    expect(await toolNames("/mcp", tokens.outsider)).toEqual([]);
  });

  it("serves a virtual server's curated slice, renamed, to a token scoped to it, and nothing else", async () => {
    const client = await connect("/mcp/v/triage", tokens.bot);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["say", "sum", "total"]);
    expect(tools[0]?.description).toBe("Say something back");
    expect(tools[1]?.description).toBe("Adds two numbers");
    const said = await client.callTool({ name: "say", arguments: { message: "hi" } });
    expect(said.content).toEqual([{ type: "text", text: "echo: hi" }]);
    const total = await client.callTool({ name: "total", arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(total.content)).toContain("5");
    await expect(client.callTool({ name: "identify", arguments: {} })).rejects.toThrow(/Unknown tool: identify/);
    await expect(client.callTool({ name: "echo", arguments: { message: "x" } })).rejects.toThrow(/Unknown tool/);
    // The token's scope keeps the account's own server grant out of reach.
    expect(await toolNames("/mcp", tokens.bot)).toEqual([]);
    const direct = await mcpPost(
      `${gateway.url}/mcp/everything`,
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {} } },
      { authorization: `Bearer ${tokens.bot}` },
    );
    expect(direct.status).toBe(404);
  });

  it("answers a virtual server the caller holds no grant on exactly like a missing one", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25" } };
    const ungranted = await mcpPost(`${gateway.url}/mcp/v/triage`, init, { authorization: `Bearer ${tokens.member}` });
    const missing = await mcpPost(`${gateway.url}/mcp/v/nothing`, init, { authorization: `Bearer ${tokens.member}` });
    expect(ungranted.status).toBe(404);
    expect(missing.status).toBe(404);
  });

  it("takes away a team's tools when the user leaves the team, and a disabled server's everywhere", async () => {
    const base = await policy(2);
    await publish({
      ...base,
      users: base.users.map((user) => ({ ...user, teamIds: [] })),
    });
    expect(await toolNames("/mcp", tokens.member)).toEqual([]);
    const disabled = await policy(3);
    await publish({
      ...disabled,
      servers: disabled.servers.map((server) => (server.id === "s-fixture" ? { ...server, enabled: false } : server)),
    });
    expect(await toolNames("/mcp", tokens.member)).toEqual([]);
    expect(await toolNames("/mcp/v/triage", tokens.bot)).toEqual(["total"]);
  });

  it("refuses a deactivated virtual account's token", async () => {
    const base = await policy(4);
    await publish({ ...base, virtualAccounts: base.virtualAccounts.map((account) => ({ ...account, active: false })) });
    const response = await mcpPost(
      `${gateway.url}/mcp/v/triage`,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { authorization: `Bearer ${tokens.bot}` },
    );
    expect(response.status).toBe(401);
  });
});
