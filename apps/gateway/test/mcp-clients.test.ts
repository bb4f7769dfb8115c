import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { InProcessBus } from "@switchboard/bus";
import { startFixtureUpstream } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import { newTokens, SnapshotAuthor, startTestGateway, waitForVersion, wholeServerPolicy } from "./gateway-harness.js";

/** Widely used MCP clients, run as their users run them, against the gateway. */
const cleanups: Array<() => Promise<unknown>> = [];
const tokens = newTokens();
let gateway: RunningGateway;

function packageFile(name: string, file: string): string {
  return join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), file);
}

/** Runs a CLI with a throwaway HOME (both tools keep state there); resolves with its output. */
async function run(entry: string, args: string[], input?: string): Promise<{ code: number | null; output: string }> {
  const home = await mkdtemp(join(tmpdir(), "switchboard-client-"));
  const child = spawn(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, "mcp-remote") },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  if (input !== undefined) child.stdin.end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, output };
}

beforeAll(async () => {
  const author = await SnapshotAuthor.create();
  const bus = new InProcessBus();
  const fixture = await startFixtureUpstream();
  cleanups.push(fixture.close);
  gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await bus.publishSnapshot(
    (await author.sign(await wholeServerPolicy(author, { alice: tokens.alice }, { slug: "fixture", url: fixture.url })))
      .envelope,
  );
  await waitForVersion(gateway, 1);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("MCP Inspector CLI", () => {
  const inspector = () => packageFile("@modelcontextprotocol/inspector", "clients/launcher/build/index.js");
  const common = () => [
    "--cli",
    `${gateway.url}/mcp`,
    "--transport",
    "http",
    "--header",
    `Authorization: Bearer ${tokens.alice}`,
    "--format",
    "json",
  ];

  it("lists the gateway's tools", async () => {
    const { code, output } = await run(inspector(), [...common(), "--method", "tools/list"]);
    expect(code, output).toBe(0);
    expect(output).toContain("fixture__echo");
  });

  it("calls a tool", async () => {
    const args = ["--method", "tools/call", "--tool-name", "fixture__echo", "--tool-arg", "message=inspected"];
    const { code, output } = await run(inspector(), [...common(), ...args]);
    expect(code, output).toBe(0);
    expect(output).toContain("echo: inspected");
  });
});

describe("mcp-remote", () => {
  it("bridges stdio to the gateway with a bearer header: lists and calls tools", async () => {
    const messages = [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "stdio", version: "1" } },
      },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "fixture__echo", arguments: { message: "bridged" } },
      },
    ];
    const home = await mkdtemp(join(tmpdir(), "switchboard-mcp-remote-"));
    const child = spawn(
      process.execPath,
      [
        packageFile("mcp-remote", "dist/proxy.js"),
        `${gateway.url}/mcp`,
        "--header",
        `Authorization: Bearer ${tokens.alice}`,
        "--allow-http",
        "--transport",
        "http-only",
      ],
      {
        env: { PATH: process.env.PATH ?? "", HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, "state") },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    cleanups.push(async () => child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const answers = new Map<number, unknown>();
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split("\n").slice(0, -1)) {
        const message = JSON.parse(line) as { id?: number };
        if (message.id !== undefined) answers.set(message.id, message);
      }
      stdout = stdout.slice(stdout.lastIndexOf("\n") + 1);
    });
    const waitFor = async (id: number) => {
      await expect.poll(() => answers.has(id), { timeout: 30_000, message: stderr }).toBe(true);
      return answers.get(id);
    };
    child.stdin.write(`${JSON.stringify(messages[0])}\n`);
    await waitFor(1);
    child.stdin.write(`${JSON.stringify(messages[1])}\n${JSON.stringify(messages[2])}\n`);
    expect(JSON.stringify(await waitFor(2))).toContain("fixture__echo");
    child.stdin.write(`${JSON.stringify(messages[3])}\n`);
    expect(JSON.stringify(await waitFor(3))).toContain("echo: bridged");
    child.kill("SIGTERM");
  }, 90_000);
});
