import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { InProcessBus } from "@switchboard/bus";
import type { PolicySnapshot } from "@switchboard/snapshot";
import { type FixtureUpstream, startFixtureUpstream, startServerEverything } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import {
  mcpPost,
  newTokens,
  SnapshotAuthor,
  startTestGateway,
  userGrant,
  waitForVersion,
  wholeServerPolicy,
} from "./gateway-harness.js";
import { startRoundRobinSplitter } from "./round-robin-splitter.js";

/**
 * The no-affinity acceptance: three gateway pods behind a round-robin splitter, so consecutive
 * requests of one agent session land on different pods, with server-everything upstream.
 */
const cleanups: Array<() => Promise<unknown>> = [];
const tokens = newTokens();
let author: SnapshotAuthor;
let bus: InProcessBus;
let pods: RunningGateway[];
let basePolicy: PolicySnapshot;
let fixture: FixtureUpstream;
let splitter: Awaited<ReturnType<typeof startRoundRobinSplitter>>;

function until<T>(what: string, register: (resolve: (value: T) => void) => void, ms = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function agent(capabilities: Record<string, unknown>, slug = "everything") {
  const client = new Client({ name: "three-pods-test", version: "1.0.0" }, { capabilities });
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: "test-model",
      role: "assistant",
      content: { type: "text", text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    }));
  }
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Ada" } }));
  }
  const transport = new StreamableHTTPClientTransport(new URL(`${splitter.url}/mcp/${slug}`), {
    requestInit: { headers: { authorization: `Bearer ${tokens.alice}` } },
  });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, transport };
}

async function publish(snapshot: PolicySnapshot) {
  await bus.publishSnapshot((await author.sign(snapshot)).envelope);
  for (const pod of pods) await waitForVersion(pod, snapshot.version);
}

beforeAll(async () => {
  author = await SnapshotAuthor.create();
  bus = new InProcessBus();
  const everything = await startServerEverything();
  cleanups.push(everything.close);
  pods = [
    await startTestGateway(author, bus),
    await startTestGateway(author, bus),
    await startTestGateway(author, bus),
  ];
  for (const pod of pods) cleanups.push(pod.close);
  fixture = await startFixtureUpstream();
  cleanups.push(fixture.close);
  basePolicy = await wholeServerPolicy(author, { alice: tokens.alice }, { slug: "everything", url: everything.url });
  basePolicy.servers.push(await author.server("s-fixture", "fixture", fixture.url));
  basePolicy.grants.push(userGrant("g-fixture", "alice", "s-fixture"));
  // Everything but get-env: resources pass through (a deny-list grant is broad), and granting
  // get-env later changes the agent's tool list.
  await publish({
    ...basePolicy,
    grants: basePolicy.grants.map((grant) =>
      grant.id === "g-alice" ? { ...grant, tools: { mode: "deny", names: ["get-env"] } } : grant,
    ),
  });
  splitter = await startRoundRobinSplitter(pods.map((pod) => pod.url));
  cleanups.push(splitter.close);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("one agent session across three pods with no affinity", () => {
  it("initializes, lists, calls with progress, relays elicitation, sampling, resource updates and list_changed, and ends", async () => {
    const { client, transport } = await agent({ sampling: {}, elicitation: {} });
    expect(client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true });

    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["echo", "trigger-long-running-operation"]));
    expect(names).not.toContain("get-env");

    const progress: number[] = [];
    const long = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(JSON.stringify(long.content)).toContain("completed");
    expect(progress).toEqual([1, 2, 3]);

    const elicited = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(JSON.stringify(elicited.content)).toContain("Ada");
    const sampled = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hello" } });
    expect(JSON.stringify(sampled.content)).toContain("sampled:");

    const uri = (await client.listResources()).resources[0]?.uri as string;
    const updated = until<string>("resources/updated", (resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
        resolve(notification.params.uri),
      ),
    );
    await client.subscribeResource({ uri });
    await client.callTool({ name: "toggle-subscriber-updates", arguments: {} });
    expect(await updated).toBe(uri);

    const listChanged = until<void>("tools/list_changed", (resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    await publish({ ...basePolicy, version: 2 });
    await listChanged;
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("get-env");

    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    expect(splitter.hits.every((count) => count > 2)).toBe(true);
  });

  it("forwards the agent's roots/list_changed upstream and relays the upstream's roots/list from its own stream", async () => {
    const client = new Client(
      { name: "three-pods-roots", version: "1.0.0" },
      { capabilities: { roots: { listChanged: true } } },
    );
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      asked++;
      return { roots: [{ uri: "file:///work", name: "work" }] };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${splitter.url}/mcp/everything`), {
        requestInit: { headers: { authorization: `Bearer ${tokens.alice}` } },
      }),
    );
    cleanups.push(() => client.close());
    // server-everything asks for the roots by itself shortly after initialize, on its own stream.
    await expect.poll(() => asked, { timeout: 10_000 }).toBe(1);
    const before = asked;
    await client.sendRootsListChanged();
    await expect.poll(() => asked, { timeout: 10_000 }).toBeGreaterThan(before);
  });

  it("presents upstream only the capabilities the agent declared", async () => {
    const { client } = await agent({});
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("echo");
    expect(names).not.toContain("trigger-sampling-request");
  });

  it("stops the upstream work when the cancellation lands on another pod than the request", async () => {
    const { client } = await agent({}, "fixture");
    const controller = new AbortController();
    const call = client.callTool({ name: "wait", arguments: { ms: 20_000 } }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort("changed my mind"), 300);
    await expect(call).rejects.toThrow();
    const deadline = Date.now() + 5_000;
    while (fixture.cancelledCalls() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fixture.cancelledCalls()).toBe(1);
  });

  it("refuses an answer whose relayed id is forged", async () => {
    const response = await mcpPost(
      `${splitter.url}/mcp/everything`,
      { jsonrpc: "2.0", id: "sb_forged", result: {} },
      { authorization: `Bearer ${tokens.alice}` },
    );
    expect(response.status).toBe(404);
  });
});
