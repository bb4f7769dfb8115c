import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InProcessBus } from "@switchboard/bus";
import { startConformanceUpstream } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTokens, SnapshotAuthor, startTestGateway, waitForVersion, wholeServerPolicy } from "./gateway-harness.js";
import { startRoundRobinSplitter } from "./round-robin-splitter.js";

/**
 * The official conformance suite against the gateway's single-server endpoint. The suite cannot
 * send an Authorization header, so a loopback proxy in this test adds the bearer token; the
 * gateway itself is configured as in production.
 */
const cleanups: Array<() => Promise<unknown>> = [];
let url: string;

function conformanceCli(): string {
  const manifest = createRequire(import.meta.url).resolve("@modelcontextprotocol/conformance/package.json");
  return join(dirname(manifest), "dist/index.js");
}

beforeAll(async () => {
  const tokens = newTokens();
  const author = await SnapshotAuthor.create();
  const bus = new InProcessBus();
  const upstream = await startConformanceUpstream();
  cleanups.push(upstream.close);
  const gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await bus.publishSnapshot(
    (
      await author.sign(
        await wholeServerPolicy(author, { conformance: tokens.alice }, { slug: "conformance", url: upstream.url }),
      )
    ).envelope,
  );
  await waitForVersion(gateway, 1);
  const proxy = await startRoundRobinSplitter([gateway.url], {
    addHeaders: { authorization: `Bearer ${tokens.alice}` },
  });
  cleanups.push(proxy.close);
  url = `${proxy.url}/mcp/conformance`;
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("MCP conformance through the gateway", () => {
  it("passes every server scenario of the suite", async () => {
    const output = await mkdtemp(join(tmpdir(), "switchboard-conformance-"));
    const baseline = fileURLToPath(new URL("./conformance-baseline.yml", import.meta.url));
    const child = spawn(
      process.execPath,
      [conformanceCli(), "server", "--url", url, "--suite", "all", "--expected-failures", baseline, "-o", output],
      { cwd: output, stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const summary = log.slice(log.indexOf("=== SUMMARY ==="));
    console.info(summary);
    expect(code, summary || log).toBe(0);
    const scenarios = (await readdir(output)).filter((entry) => entry.startsWith("server-"));
    expect(scenarios.length).toBeGreaterThanOrEqual(32);
    for (const scenario of scenarios) {
      const checks = JSON.parse(await readFile(join(output, scenario, "checks.json"), "utf8")) as Array<{
        status: string;
      }>;
      expect(
        checks.filter((check) => check.status === "FAILURE"),
        scenario,
      ).toEqual([]);
    }
  }, 300_000);
});
