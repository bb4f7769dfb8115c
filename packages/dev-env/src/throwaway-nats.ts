import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpPort, waitForConnections } from "./tcp-probe.js";

const CANDIDATES = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];

/** Finds nats-server, installing Debian's package when possible (npm ships no server binary). */
function natsServerBinary(): string {
  const onPath = spawnSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).stdout.trim();
  const found = onPath || CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    process.stderr.write("switchboard: installing nats-server from Debian's packages\n");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const installed = spawnSync("apt-get", ["install", "-y", "-qq", "nats-server"], { stdio: "inherit", env });
    const binary = CANDIDATES.find((candidate) => existsSync(candidate));
    if (installed.status === 0 && binary) return binary;
  }
  throw new Error(
    "NATS is not running on 127.0.0.1:4222 and no nats-server binary is available: install nats-server " +
      "(Debian: apt-get install nats-server) or set TEST_NATS_URL to a NATS server with JetStream",
  );
}

export type ThrowawayNats = { url: string; stop(): Promise<void> };

/** A NATS server with JetStream on a free loopback port, its store in a temporary directory. */
export async function startThrowawayNats(): Promise<ThrowawayNats> {
  const binary = natsServerBinary();
  const port = await freeTcpPort();
  const storeDir = await mkdtemp(join(tmpdir(), "switchboard-nats-"));
  const child = spawn(binary, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir], { stdio: "ignore" });
  await waitForConnections("127.0.0.1", port, 10_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
