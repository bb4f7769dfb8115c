import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { InProcessBus } from "@switchboard/bus";
import { startServerEverything } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mcpPost,
  newTokens,
  SnapshotAuthor,
  startTestGateway,
  waitForVersion,
  wholeServerPolicy,
} from "./gateway-harness.js";
import { startRoundRobinSplitter } from "./round-robin-splitter.js";

/**
 * Server-to-client requests through two gateway pods behind a splitter without affinity: the
 * upstream's request reaches the agent on one pod, the agent's answer lands on the other.
 */
const cleanups: Array<() => Promise<unknown>> = [];
const tokens = newTokens();
let splitter: Awaited<ReturnType<typeof startRoundRobinSplitter>>;

async function agent(capabilities: Record<string, unknown>) {
  const client = new Client({ name: "relay-test", version: "1.0.0" }, { capabilities });
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: "test-model",
      role: "assistant",
      content: { type: "text", text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    }));
  }
  if (capabilities.elicitation) client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" }));
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${splitter.url}/mcp/everything`), {
      requestInit: { headers: { authorization: `Bearer ${tokens.alice}` } },
    }),
  );
  cleanups.push(() => client.close());
  return client;
}

beforeAll(async () => {
  const author = await SnapshotAuthor.create();
  const bus = new InProcessBus();
  const everything = await startServerEverything();
  cleanups.push(everything.close);
  const pods = [await startTestGateway(author, bus), await startTestGateway(author, bus)];
  for (const pod of pods) cleanups.push(pod.close);
  await bus.publishSnapshot(
    (
      await author.sign(
        await wholeServerPolicy(author, { alice: tokens.alice }, { slug: "everything", url: everything.url }),
      )
    ).envelope,
  );
  for (const pod of pods) await waitForVersion(pod, 1);
  splitter = await startRoundRobinSplitter(pods.map((pod) => pod.url));
  cleanups.push(splitter.close);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("server-to-client requests across pods", () => {
  it("relays sampling to the agent and its answer back to the upstream session that asked", async () => {
    const client = await agent({ sampling: {}, elicitation: {} });
    const result = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hello" } });
    expect(JSON.stringify(result.content)).toContain("sampled:");
    expect(splitter.hits.every((count) => count > 0)).toBe(true);
  });

  it("relays elicitation and the agent's decision", async () => {
    const client = await agent({ sampling: {}, elicitation: {} });
    const result = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(JSON.stringify(result.content)).toContain("User declined");
  });

  it("presents upstream only the capabilities the agent declared", async () => {
    const client = await agent({});
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("echo");
    expect(names).not.toContain("trigger-sampling-request");
  });

  it("refuses an answer whose relayed id is forged", async () => {
    const response = await mcpPost(
      `${splitter.url}/mcp/everything`,
      { jsonrpc: "2.0", id: "sb_forged", result: {} },
      {
        authorization: `Bearer ${tokens.alice}`,
      },
    );
    expect(response.status).toBe(404);
  });
});
