import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { acceptsConnections, freeTcpPort } from "@switchboard/dev-env";

function everythingEntry(): string {
  const manifestPath = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : (Object.values(manifest.bin)[0] as string);
  return join(dirname(manifestPath), bin);
}

/**
 * The reference server `@modelcontextprotocol/server-everything` over Streamable HTTP, started with
 * a clean environment because its `get-env` tool returns the environment to any caller.
 */
export async function startServerEverything(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freeTcpPort();
  const home = await mkdtemp(join(tmpdir(), "server-everything-"));
  const child = spawn(process.execPath, [everythingEntry(), "streamableHttp"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!(await acceptsConnections("127.0.0.1", port))) {
    if (child.exitCode !== null) throw new Error(`server-everything exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server-everything did not listen within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
