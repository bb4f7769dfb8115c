import { InProcessBus } from "@switchboard/bus";
import { startFixtureUpstream } from "@switchboard/testkit";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import { newTokens, SnapshotAuthor, startTestGateway, waitForVersion, wholeServerPolicy } from "./gateway-harness.js";

/** Two principals reusing the same JSON-RPC ids at once must each get only their own answers. */
const CALLS_PER_PRINCIPAL = 1_000;
const CONCURRENCY = 32;
const cleanups: Array<() => Promise<unknown>> = [];
const tokens = newTokens();
let gateway: RunningGateway;

beforeAll(async () => {
  const author = await SnapshotAuthor.create();
  const bus = new InProcessBus();
  const fixture = await startFixtureUpstream();
  cleanups.push(fixture.close);
  gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await bus.publishSnapshot(
    (
      await author.sign(
        await wholeServerPolicy(
          author,
          { alice: tokens.alice, bob: tokens.bob },
          { slug: "fixture", url: fixture.url },
        ),
      )
    ).envelope,
  );
  await waitForVersion(gateway, 1);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("JSON-RPC ids", () => {
  it("never hands one principal's answer to another that used the same ids", async () => {
    const pool = new Pool(new URL(gateway.url).origin, { connections: CONCURRENCY });
    cleanups.push(() => pool.close());
    const mismatches: string[] = [];
    const run = async (principal: "alice" | "bob", worker: number) => {
      for (let id = worker; id < CALLS_PER_PRINCIPAL; id += CONCURRENCY / 2) {
        const message = `${principal}-${id}`;
        const response = await pool.request({
          method: "POST",
          path: "/mcp/fixture",
          headers: {
            authorization: `Bearer ${tokens[principal]}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id,
            method: "tools/call",
            params: { name: "echo", arguments: { message } },
          }),
        });
        const answer = (await response.body.json()) as { id: number; result?: { content: Array<{ text: string }> } };
        const text = answer.result?.content[0]?.text;
        if (answer.id !== id || text !== `echo: ${message}`) mismatches.push(`${message} got ${answer.id}: ${text}`);
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY / 2 }, (_, worker) => [run("alice", worker), run("bob", worker)]).flat(),
    );
    expect(mismatches).toEqual([]);
  }, 120_000);
});
