import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { InProcessBus } from "@switchboard/bus";
import type { PolicySnapshot } from "@switchboard/snapshot";
import { type FixtureUpstream, startFixtureUpstream, startServerEverything } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig } from "../src/config/gateway-config.js";
import { type RunningGateway, startGateway } from "../src/start-gateway.js";
import {
  emptyPolicy,
  mcpPost,
  newTokens,
  SnapshotAuthor,
  startTestGateway,
  userGrant,
  userToken,
  waitForVersion,
} from "./gateway-harness.js";

const SECRET = "upstream-secret";
const cleanups: Array<() => Promise<unknown>> = [];
let author: SnapshotAuthor;
let bus: InProcessBus;
let gateway: RunningGateway;
let fixture: FixtureUpstream;
const tokens = newTokens();

async function policy(): Promise<PolicySnapshot> {
  return {
    ...emptyPolicy(1),
    users: [
      { id: "alice", email: "alice@example.com", name: "Alice", active: true, teamIds: [] },
      { id: "bob", email: "bob@example.com", name: "Bob", active: true, teamIds: [] },
    ],
    tokens: [userToken("alice", author.digest(tokens.alice)), userToken("bob", author.digest(tokens.bob))],
    servers: [
      await author.server("s-fixture", "fixture", fixture.url, { "X-Upstream-Key": SECRET }),
      await author.server("s-everything", "everything", everythingUrl),
    ],
    grants: [
      userGrant("g1", "alice", "s-fixture"),
      userGrant("g2", "alice", "s-everything"),
      userGrant("g3", "bob", "s-fixture", ["echo"]),
    ],
  };
}
let everythingUrl: string;

async function connect(path: string, token: string): Promise<Client> {
  const client = new Client({ name: "gateway-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  cleanups.push(() => client.close());
  return client;
}

beforeAll(async () => {
  author = await SnapshotAuthor.create();
  bus = new InProcessBus();
  fixture = await startFixtureUpstream({ requiredHeaders: { "x-upstream-key": SECRET } });
  const everything = await startServerEverything();
  everythingUrl = everything.url;
  cleanups.push(fixture.close, everything.close);
  gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await bus.publishSnapshot((await author.sign(await policy())).envelope);
  await waitForVersion(gateway, 1);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("MCP through the gateway", () => {
  it("lists every granted tool under its server's prefix on /mcp", async () => {
    const client = await connect("/mcp", tokens.alice);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(["fixture__echo", "fixture__add", "everything__echo", "everything__get-sum"]),
    );
    expect(names.indexOf("everything__echo")).toBeLessThan(names.indexOf("fixture__echo"));
  });

  it("lists only the allow-listed tools, with upstream names on /mcp/{slug}", async () => {
    const client = await connect("/mcp/fixture", tokens.bob);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["echo"]);
    const result = await client.callTool({ name: "echo", arguments: { message: "hello" } });
    expect(result.content).toEqual([{ type: "text", text: "echo: hello" }]);
  });

  it("passes input schemas through verbatim", async () => {
    const client = await connect("/mcp", tokens.alice);
    const viaGateway = (await client.listTools()).tools.find((tool) => tool.name === "fixture__add");
    const direct = new Client({ name: "direct", version: "1.0.0" });
    await direct.connect(
      new StreamableHTTPClientTransport(new URL(fixture.url), {
        requestInit: { headers: { "x-upstream-key": SECRET } },
      }),
    );
    const upstream = (await direct.listTools()).tools.find((tool) => tool.name === "add");
    await direct.close();
    expect(viaGateway?.inputSchema).toEqual(upstream?.inputSchema);
  });

  it("calls tools with the configured upstream header and never the agent's token", async () => {
    const client = await connect("/mcp", tokens.alice);
    const sum = await client.callTool({ name: "fixture__add", arguments: { a: 20, b: 22 } });
    expect(sum.content).toEqual([{ type: "text", text: "42" }]);
    const echoed = await client.callTool({ name: "everything__echo", arguments: { message: "through" } });
    expect(JSON.stringify(echoed.content)).toContain("through");
    for (const headers of fixture.receivedHeaders) {
      expect(headers["x-upstream-key"]).toBe(SECRET);
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(tokens.alice);
    }
  });

  it("answers a hidden tool exactly like a tool that does not exist", async () => {
    const ask = async (name: string) =>
      (await (
        await mcpPost(
          `${gateway.url}/mcp`,
          { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: {} } },
          {
            authorization: `Bearer ${tokens.bob}`,
          },
        )
      ).json()) as { error: { code: number; message: string } };
    const upstreamRequestsBefore = fixture.receivedHeaders.length;
    const hidden = await ask("fixture__add");
    const missing = await ask("fixture__nothing");
    // The allow-list alone refuses both: no upstream round trip whose timing could tell them apart.
    expect(fixture.receivedHeaders.length).toBe(upstreamRequestsBefore);
    expect(hidden.error.code).toBe(missing.error.code);
    expect(hidden.error.message.replace("fixture__add", "X")).toBe(
      missing.error.message.replace("fixture__nothing", "X"),
    );
    const otherServer = await ask("everything__echo");
    expect(otherServer.error.message).toBe("Unknown tool: everything__echo");
    const single = await mcpPost(
      `${gateway.url}/mcp/everything`,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      {
        authorization: `Bearer ${tokens.bob}`,
      },
    );
    expect(single.status).toBe(404);
  });

  it("refuses a missing or wrong token with 401 and a WWW-Authenticate challenge", async () => {
    const body = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const missing = await mcpPost(`${gateway.url}/mcp`, body);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="switchboard"');
    const wrong = await mcpPost(`${gateway.url}/mcp`, body, { authorization: `Bearer ${newTokens().alice}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("bad input", () => {
  const auth = () => ({ authorization: `Bearer ${tokens.alice}` });
  const cases: Array<{ name: string; send: () => Promise<Response>; status: number; code?: number }> = [
    { name: "invalid JSON", send: () => mcpPost(`${gateway.url}/mcp`, "{nope", auth()), status: 400, code: -32700 },
    {
      name: "a JSON-RPC shape error",
      send: () => mcpPost(`${gateway.url}/mcp`, { jsonrpc: "1.0", id: 1, method: "x" }, auth()),
      status: 400,
      code: -32600,
    },
    {
      name: "a batch",
      send: () => mcpPost(`${gateway.url}/mcp`, [{ jsonrpc: "2.0", id: 1, method: "ping" }], auth()),
      status: 400,
      code: -32600,
    },
    {
      name: "an unknown method",
      send: () => mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 1, method: "no/such" }, auth()),
      status: 200,
      code: -32601,
    },
    {
      name: "a body over the limit",
      send: () => mcpPost(`${gateway.url}/mcp`, `{"pad":"${"x".repeat(2 * 1024 * 1024)}"}`, auth()),
      status: 413,
    },
    {
      name: "a wrong content type",
      send: () =>
        fetch(`${gateway.url}/mcp`, {
          method: "POST",
          headers: { "content-type": "text/plain", accept: "application/json, text/event-stream", ...auth() },
          body: "hi",
        }),
      status: 415,
    },
    {
      name: "an HTTP method MCP does not use",
      send: () =>
        fetch(`${gateway.url}/mcp`, {
          method: "PUT",
          headers: { "content-type": "application/json", ...auth() },
          body: "{}",
        }),
      status: 405,
    },
    {
      name: "a missing Accept",
      send: () =>
        fetch(`${gateway.url}/mcp`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/html", ...auth() },
          body: "{}",
        }),
      status: 406,
    },
    {
      name: "an unsupported protocol version",
      send: () =>
        mcpPost(
          `${gateway.url}/mcp`,
          { jsonrpc: "2.0", id: 1, method: "ping" },
          { ...auth(), "mcp-protocol-version": "1999-01-01" },
        ),
      status: 400,
    },
    {
      name: "a foreign Origin",
      send: () =>
        mcpPost(
          `${gateway.url}/mcp`,
          { jsonrpc: "2.0", id: 1, method: "ping" },
          { ...auth(), origin: "http://evil.example.com" },
        ),
      status: 403,
    },
    {
      name: "a huge header",
      send: () =>
        mcpPost(
          `${gateway.url}/mcp`,
          { jsonrpc: "2.0", id: 1, method: "ping" },
          { ...auth(), "x-huge": "h".repeat(64 * 1024) },
        ),
      status: 431,
    },
  ];

  it.each(cases)("answers $name with the protocol's error, never a 500", async ({ send, status, code }) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { jsonrpc: string; error: { code: number } };
    expect(body.jsonrpc).toBe("2.0");
    if (code !== undefined) expect(body.error.code).toBe(code);
    const ping = await mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 2, method: "ping" }, auth());
    expect(ping.status).toBe(200);
  });

  it("acknowledges notifications with 202", async () => {
    const response = await mcpPost(
      `${gateway.url}/mcp`,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      auth(),
    );
    expect(response.status).toBe(202);
  });
});

describe("operations", () => {
  it("exports request, rejection and snapshot metrics without a label per made-up method", async () => {
    const auth = { authorization: `Bearer ${tokens.alice}` };
    const call = { name: "fixture__echo", arguments: { message: "counted" } };
    await mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 0, method: "tools/call", params: call }, auth);
    await mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 1, method: "made/up-1" }, auth);
    await mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 2, method: "made/up-2" }, auth);
    await mcpPost(`${gateway.url}/mcp`, { jsonrpc: "2.0", id: 3, method: "tools/list" });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/^switchboard_gateway_mcp_requests_total\{method="tools\/call",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^switchboard_gateway_mcp_requests_total\{method="other",outcome="error"\} [2-9]/m);
    expect(text).not.toContain("made/up");
    expect(text).toMatch(/^switchboard_gateway_http_rejections_total\{status="401"\} [1-9]/m);
    expect(text).toMatch(/^switchboard_gateway_snapshot_version [1-9]/m);
  });

  it("answers health always and readiness with the snapshot in force", async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: "ok" });
    const readiness = await fetch(`${gateway.url}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toEqual({
      status: "ready",
      version: gateway.snapshotState().version,
      sha256: gateway.snapshotState().sha256,
      stale: false,
    });
  });

  it("refuses to start without a bus to watch", async () => {
    const config = loadGatewayConfig({ ...author.keys, GATEWAY_PORT: "0" });
    await expect(startGateway(config, { logger: false })).rejects.toThrow("NATS_URL: is required");
  });
});

describe("sealed sessions", () => {
  const initialize = (path: string, token: string, headers: Record<string, string> = {}) =>
    mcpPost(
      `${gateway.url}${path}`,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      },
      { authorization: `Bearer ${token}`, ...headers },
    );
  const ping = (url: string, token: string, sessionId: string) =>
    mcpPost(
      url,
      { jsonrpc: "2.0", id: 2, method: "ping" },
      { authorization: `Bearer ${token}`, "mcp-session-id": sessionId },
    );

  it("opens a session on initialize that any gateway of the fleet serves", async () => {
    const sessionId = (await initialize("/mcp", tokens.alice)).headers.get("mcp-session-id") as string;
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await ping(`${gateway.url}/mcp`, tokens.alice, sessionId)).status).toBe(200);
    const otherPod = await startTestGateway(author, bus);
    cleanups.push(otherPod.close);
    await waitForVersion(otherPod, 1);
    expect((await ping(`${otherPod.url}/mcp`, tokens.alice, sessionId)).status).toBe(200);
  });

  it("refuses stream resumption it cannot honour, and cursors it never issued", async () => {
    const sessionId = (await initialize("/mcp", tokens.alice)).headers.get("mcp-session-id") as string;
    const resumed = await fetch(`${gateway.url}/mcp`, {
      headers: {
        authorization: `Bearer ${tokens.alice}`,
        accept: "text/event-stream",
        "mcp-session-id": sessionId,
        "last-event-id": "not-ours",
      },
    });
    expect(resumed.status).toBe(400);
    const forgedCursor = await mcpPost(
      `${gateway.url}/mcp`,
      { jsonrpc: "2.0", id: 5, method: "tools/list", params: { cursor: "forged" } },
      { authorization: `Bearer ${tokens.alice}`, "mcp-session-id": sessionId },
    );
    expect(((await forgedCursor.json()) as { error: { code: number } }).error.code).toBe(-32602);
  });

  it("treats a stolen, forged or misplaced session id as unknown (404)", async () => {
    const sessionId = (await initialize("/mcp", tokens.alice)).headers.get("mcp-session-id") as string;
    expect((await ping(`${gateway.url}/mcp`, tokens.bob, sessionId)).status).toBe(404);
    expect((await ping(`${gateway.url}/mcp`, tokens.alice, `${sessionId.slice(0, -2)}AA`)).status).toBe(404);
    expect((await ping(`${gateway.url}/mcp`, tokens.alice, "made-up")).status).toBe(404);
    expect((await ping(`${gateway.url}/mcp/fixture`, tokens.alice, sessionId)).status).toBe(404);
  });

  it("ends a session with DELETE only for its owner", async () => {
    const sessionId = (await initialize("/mcp/fixture", tokens.bob)).headers.get("mcp-session-id") as string;
    const end = (token: string, headers: Record<string, string>) =>
      fetch(`${gateway.url}/mcp/fixture`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}`, ...headers },
      });
    expect((await end(tokens.bob, {})).status).toBe(400);
    expect((await end(tokens.alice, { "mcp-session-id": sessionId })).status).toBe(404);
    expect((await end(tokens.bob, { "mcp-session-id": sessionId })).status).toBe(200);
  });
});

describe("relaying a single server", () => {
  it("streams the upstream's progress notifications back to the caller", async () => {
    const client = await connect("/mcp/everything", tokens.alice);
    const progress: number[] = [];
    const result = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(JSON.stringify(result.content)).toContain("Long running operation completed");
  });

  it("passes resources, prompts and completions through to whole-server grants", async () => {
    const client = await connect("/mcp/everything", tokens.alice);
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
    expect((await client.listResources()).resources.length).toBeGreaterThan(0);
    const prompts = (await client.listPrompts()).prompts;
    expect(prompts.length).toBeGreaterThan(0);
    const first = prompts.find((prompt) => !prompt.arguments?.some((argument) => argument.required));
    if (first) expect((await client.getPrompt({ name: first.name })).messages.length).toBeGreaterThan(0);
  });

  it("offers only tools to a caller whose grant lists tools", async () => {
    const client = await connect("/mcp/fixture", tokens.bob);
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });
    const response = await mcpPost(
      `${gateway.url}/mcp/fixture`,
      { jsonrpc: "2.0", id: 3, method: "resources/list" },
      {
        authorization: `Bearer ${tokens.bob}`,
      },
    );
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32601);
  });
});

describe("cancellation and timeouts", () => {
  it("cancels the upstream call when the agent cancels its request", async () => {
    const client = await connect("/mcp", tokens.alice);
    const before = fixture.cancelledCalls();
    const controller = new AbortController();
    const call = client.callTool({ name: "fixture__wait", arguments: { ms: 10_000 } }, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort("changed my mind"), 200);
    await expect(call).rejects.toThrow();
    await expect.poll(() => fixture.cancelledCalls(), { timeout: 5_000 }).toBe(before + 1);
  });

  it("answers a call that outlives the upstream timeout with an error and cancels it upstream", async () => {
    const impatient = await startTestGateway(author, bus, { GATEWAY_UPSTREAM_TIMEOUT_MS: "300" });
    cleanups.push(impatient.close);
    await waitForVersion(impatient, 1);
    const before = fixture.cancelledCalls();
    const response = await mcpPost(
      `${impatient.url}/mcp`,
      { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "fixture__wait", arguments: { ms: 5_000 } } },
      { authorization: `Bearer ${tokens.alice}` },
    );
    expect(await response.json()).toEqual({
      jsonrpc: "2.0",
      id: 9,
      error: { code: -32603, message: "Upstream timed out" },
    });
    await expect.poll(() => fixture.cancelledCalls(), { timeout: 5_000 }).toBe(before + 1);
  });
});

describe("policy changes", () => {
  it("tells a connected caller that its tool list changed when a snapshot grants a new tool", async () => {
    const client = await connect("/mcp", tokens.bob);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["fixture__echo"]);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      changed++;
    });
    await expect.poll(() => gatewayStreams(), { timeout: 5_000 }).toBeGreaterThan(0);
    const next = await policy();
    next.version = 2;
    next.grants = next.grants.map((grant) =>
      grant.id === "g3" ? { ...grant, tools: { mode: "allow" as const, names: ["echo", "add"] } } : grant,
    );
    await bus.publishSnapshot((await author.sign(next)).envelope);
    await expect.poll(() => changed, { timeout: 5_000 }).toBe(1);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["fixture__add", "fixture__echo"]);
  });

  it("resumes a notification stream on any pod, telling the client what changed while it was away", async () => {
    const initialized = await mcpPost(
      `${gateway.url}/mcp`,
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {} } },
      { authorization: `Bearer ${tokens.bob}` },
    );
    const sessionId = initialized.headers.get("mcp-session-id") as string;
    const open = (lastEventId?: string, session = sessionId) => {
      const controller = new AbortController();
      const response = fetch(`${gateway.url}/mcp`, {
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${tokens.bob}`,
          accept: "text/event-stream",
          "mcp-session-id": session,
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
      return { response, close: () => controller.abort() };
    };
    const first = open();
    const primed = await readEvents(await first.response, 1);
    first.close();
    expect(primed[0]).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/), retry: 2000, data: "" });

    const next = await policy();
    next.version = 3;
    next.grants = next.grants.filter((grant) => grant.id !== "g3");
    await bus.publishSnapshot((await author.sign(next)).envelope);
    await waitForVersion(gateway, 3);

    const resumed = open(primed[0]?.id);
    const events = await readEvents(await resumed.response, 2);
    resumed.close();
    expect(JSON.parse(events[1]?.data ?? "{}")).toEqual({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });

    const otherSession = (
      await mcpPost(
        `${gateway.url}/mcp`,
        { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {} } },
        { authorization: `Bearer ${tokens.bob}` },
      )
    ).headers.get("mcp-session-id") as string;
    const misplaced = open(primed[0]?.id, otherSession);
    expect((await misplaced.response).status).toBe(400);
  });
});

type SseEvent = { id?: string; retry?: number; data: string };

/** Reads the first `count` events of an event stream. */
async function readEvents(response: Response, count: number): Promise<SseEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { data: "" };
      let isEvent = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        isEvent = true;
        if (field === "id") event.id = value;
        else if (field === "retry") event.retry = Number(value);
        else if (field === "data") event.data = value;
      }
      if (isEvent) events.push(event);
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

/** Open notification streams, read from the gateway's own metrics so the test waits on state, not time. */
async function gatewayStreams(): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(/^switchboard_gateway_notification_streams (\d+)/m.exec(text)?.[1] ?? 0);
}
