import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InProcessBus } from "@switchboard/bus";
import { mintAccessToken } from "@switchboard/snapshot";
import { startConformanceUpstream, startFixtureUpstream, startServerEverything } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import {
  emptyPolicy,
  mcpPost,
  SnapshotAuthor,
  startTestGateway,
  userGrant,
  userToken,
  waitForVersion,
} from "./gateway-harness.js";

/**
 * Resources and prompts of several servers merged on `/mcp`, with a configured name separator:
 * everything and the conformance fixture are granted broadly, the tool fixture by allow-list only
 * (so it brings tools and nothing else).
 */
const cleanups: (() => Promise<unknown>)[] = [];
const tokens = { alice: mintAccessToken(), bob: mintAccessToken() };
let gateway: RunningGateway;
const upstreamUrls: Record<string, string> = {};

async function connect(token: string, path = "/mcp"): Promise<Client> {
  const client = new Client({ name: "aggregation-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  cleanups.push(() => client.close());
  return client;
}

async function direct(url: string): Promise<Client> {
  const client = new Client({ name: "aggregation-test-direct", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  cleanups.push(() => client.close());
  return client;
}

/** Every page of a list, following nextCursor. */
async function allPages<T>(
  page: (cursor?: string) => Promise<{ nextCursor?: string | undefined } & Record<string, unknown>>,
  field: string,
) {
  const items: T[] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...(result[field] as T[]));
    cursor = result.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { items, cursors };
}

beforeAll(async () => {
  const author = await SnapshotAuthor.create();
  const bus = new InProcessBus();
  const everything = await startServerEverything();
  const conformance = await startConformanceUpstream();
  const fixture = await startFixtureUpstream();
  cleanups.push(everything.close, conformance.close, fixture.close);
  Object.assign(upstreamUrls, { everything: everything.url, conformance: conformance.url });
  gateway = await startTestGateway(author, bus, { GATEWAY_TOOL_NAME_SEPARATOR: "_" });
  cleanups.push(gateway.close);
  await bus.publishSnapshot(
    (
      await author.sign({
        ...emptyPolicy(1),
        users: ["alice", "bob"].map((id) => ({ id, email: `${id}@example.com`, name: id, active: true, teamIds: [] })),
        tokens: [userToken("alice", author.digest(tokens.alice)), userToken("bob", author.digest(tokens.bob))],
        servers: [
          await author.server("s-everything", "everything", everything.url),
          await author.server("s-conformance", "conformance", conformance.url),
          await author.server("s-fixture", "fixture", fixture.url),
        ],
        grants: [
          userGrant("g1", "alice", "s-everything"),
          userGrant("g2", "alice", "s-conformance"),
          userGrant("g3", "alice", "s-fixture", ["echo"]),
          userGrant("g4", "bob", "s-everything"),
        ],
      })
    ).envelope,
  );
  await waitForVersion(gateway, 1);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("aggregation on /mcp", () => {
  it("names tools with the configured separator", async () => {
    const names = (await (await connect(tokens.alice)).listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["everything_echo", "fixture_echo", "conformance_test_simple_text"]));
    expect(names.filter((name) => name.startsWith("fixture_"))).toEqual(["fixture_echo"]);
  });

  it("merges every page of every broadly granted server's resources in slug order, under opaque cursors", async () => {
    const client = await connect(tokens.alice);
    const merged = await allPages<{ uri: string }>(
      (cursor) => client.listResources(cursor ? { cursor } : {}),
      "resources",
    );
    const expected: string[] = [];
    for (const slug of ["conformance", "everything"]) {
      const upstream = await direct(upstreamUrls[slug] as string);
      const { items } = await allPages<{ uri: string }>(
        (cursor) => upstream.listResources(cursor ? { cursor } : {}),
        "resources",
      );
      expected.push(...items.map((resource) => `${slug}+${resource.uri}`));
    }
    expect(merged.items.map((resource) => resource.uri)).toEqual(expected);
    expect(merged.cursors.length).toBeGreaterThanOrEqual(1);
    for (const cursor of merged.cursors) expect(cursor).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const read = await client.readResource({ uri: "conformance+test://static-text" });
    expect(read.contents[0]?.uri).toBe("conformance+test://static-text");
    await expect(client.readResource({ uri: "fixture+anything" })).rejects.toThrow(/Resource not found/);
  });

  it("merges prompts under prefixed names and routes prompts/get back", async () => {
    const client = await connect(tokens.alice);
    const { items } = await allPages<{ name: string }>(
      (cursor) => client.listPrompts(cursor ? { cursor } : {}),
      "prompts",
    );
    const names = items.map((prompt) => prompt.name);
    expect(names).toContain("conformance_test_simple_prompt");
    expect(names.some((name) => name.startsWith("everything_"))).toBe(true);
    const prompt = await client.getPrompt({ name: "conformance_test_simple_prompt" });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it("refuses a cursor that is forged, from another method, endpoint or caller", async () => {
    const alice = await connect(tokens.alice);
    const cursor = (await alice.listResources()).nextCursor as string;
    expect(cursor).toBeDefined();
    const list = async (token: string, method: string, listCursor: string, path = "/mcp") => {
      const response = await mcpPost(
        `${gateway.url}${path}`,
        { jsonrpc: "2.0", id: 9, method, params: { cursor: listCursor } },
        { authorization: `Bearer ${token}` },
      );
      return ((await response.json()) as { error?: { code: number; message: string } }).error;
    };
    expect(await list(tokens.alice, "resources/list", `${cursor.slice(0, -3)}AAA`)).toEqual({
      code: -32602,
      message: "Invalid cursor",
    });
    expect(await list(tokens.alice, "prompts/list", cursor)).toMatchObject({ code: -32602 });
    expect(await list(tokens.bob, "resources/list", cursor)).toMatchObject({ code: -32602 });
    expect(await list(tokens.alice, "tools/list", cursor)).toMatchObject({ code: -32602 });
    expect(await list(tokens.alice, "resources/list", "not-even-base64!")).toMatchObject({ code: -32602 });
  });
});
