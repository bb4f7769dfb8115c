import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type FixtureUpstream, freePort, startFixtureUpstream } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postToolsList } from "./mcp-session.js";

/**
 * The README's start command as a user runs it: no DATABASE_URL, no NATS_URL, so it must bring its
 * own Postgres and bus, and print the three lines a user needs.
 */
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
let child: ChildProcess;
let dataDir: string;
let upstream: FixtureUpstream;
const printed = new Map<string, string>();
let output = "";

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  dataDir = await mkdtemp(join(tmpdir(), "switchboard-start-"));
  const { DATABASE_URL: _database, NATS_URL: _nats, ...inherited } = process.env;
  child = spawn("npm", ["start"], {
    cwd: repoRoot,
    env: {
      ...inherited,
      SWITCHBOARD_DATA_DIR: dataDir,
      CONTROL_PLANE_PORT: String(await freePort()),
      GATEWAY_PORT: String(await freePort()),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      output += `${line}\n`;
      const match = /^(Admin API|Gateway|Admin token): (\S+)$/.exec(line);
      if (match?.[1] && match[2]) printed.set(match[1], match[2]);
      if (printed.size === 3) resolve();
    });
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  }
  await upstream?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("reaches ready and serves a tool call with a token created through the API", async () => {
    const api = printed.get("Admin API") as string;
    const gatewayMcp = printed.get("Gateway") as string;
    const admin = { authorization: `Bearer ${printed.get("Admin token")}`, "content-type": "application/json" };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${api}${path}`, { method: "POST", headers: admin, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as { id: string; token?: string };
    };
    const server = await post("/servers", { name: "Fixture", slug: "fixture", url: upstream.url });
    const user = await post("/users", { email: "start@example.com", name: "Start" });
    const { token } = await post(`/users/${user.id}/tokens`, { name: "cli" });
    await post("/grants", { subject: { type: "user", id: user.id }, target: { type: "server", id: server.id } });

    // The grant is live once the gateway lists the tool for this token (snapshots are asynchronous).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const listing = await postToolsList(gatewayMcp, token as string);
      if (listing.status === 200 && (await listing.text()).includes("fixture__echo")) break;
      if (Date.now() > deadline) throw new Error("the gateway never served the new grant");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const client = new Client({ name: "start-command-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gatewayMcp), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const result = (await client.callTool({ name: "fixture__echo", arguments: { message: "started" } })) as {
      content: Array<{ text: string }>;
    };
    expect(result.content[0]?.text).toBe("echo: started");
    await client.close();
  });
});
