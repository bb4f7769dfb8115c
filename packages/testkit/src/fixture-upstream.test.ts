import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { type FixtureUpstream, startFixtureUpstream } from "./fixture-upstream.js";

async function connectClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "testkit-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

function textOf(result: Awaited<ReturnType<Client["callTool"]>>): string {
  const [first] = result.content as Array<{ type: string; text?: string }>;
  return first?.text ?? "";
}

describe("fixture upstream", () => {
  let upstream: FixtureUpstream | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await upstream?.close();
    client = undefined;
    upstream = undefined;
  });

  it("serves its tools over Streamable HTTP", async () => {
    upstream = await startFixtureUpstream();
    client = await connectClient(upstream.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["add", "echo", "wait", "whoami"]);
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "hi" } }))).toBe("echo: hi");
    expect(textOf(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } }))).toBe("5");
    expect(textOf(await client.callTool({ name: "whoami", arguments: {} }))).toBe("fixture-upstream");
  });

  it("records the headers of every request", async () => {
    upstream = await startFixtureUpstream();
    client = await connectClient(upstream.url, { "X-Trace": "trace-1" });
    await client.listTools();
    expect(upstream.receivedHeaders.length).toBeGreaterThanOrEqual(3);
    expect(upstream.receivedHeaders.every((headers) => headers["x-trace"] === "trace-1")).toBe(true);
    expect(upstream.receivedHeaders.at(-1)?.["mcp-session-id"]).toEqual(expect.any(String));
  });

  it("rejects clients without the required header, case-insensitively by name", async () => {
    upstream = await startFixtureUpstream({ requiredHeaders: { Authorization: "Bearer upstream-secret" } });
    await expect(connectClient(upstream.url)).rejects.toThrow();
    await expect(connectClient(upstream.url, { Authorization: "Bearer wrong" })).rejects.toThrow();
    client = await connectClient(upstream.url, { authorization: "Bearer upstream-secret" });
    expect(textOf(await client.callTool({ name: "whoami", arguments: {} }))).toBe("fixture-upstream");
  });

  it("answers 404 to an unknown session", async () => {
    upstream = await startFixtureUpstream();
    const response = await fetch(upstream.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": "no-such-session",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(404);
  });
});
