import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { freeTcpPort } from "@switchboard/dev-env";
import { LARGE_POLICY_SHAPE } from "./large-policy.js";
import { type Latency, measureLatency, measureThroughput, type Target } from "./load-generator.js";
import { type activateLargePolicy, prepareLargePolicy } from "./policy-scale.js";

/**
 * `npm run bench`: tools/call against the same fast upstream directly, through a bare Node
 * pass-through proxy (the floor for one hop) and through the gateway, all in one run. Absolute
 * figures drift on a shared machine; the ratios to the bare hop are what we track.
 */
const options = {
  warmupCalls: Number(process.env.BENCH_WARMUP_CALLS ?? 500),
  latencyCalls: Number(process.env.BENCH_LATENCY_CALLS ?? 3_000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  throughputMs: Number(process.env.BENCH_THROUGHPUT_MS ?? 5_000),
};
const children: ChildProcess[] = [];

async function startTarget(role: string, target?: string): Promise<Record<string, unknown> & { url: string }> {
  const port = await freeTcpPort();
  return startChild(role, [String(port), ...(target ? [target] : [])]) as Promise<
    Record<string, unknown> & { url: string }
  >;
}

/** Runs a bench-server role in its own process and returns the JSON line it prints first. */
async function startChild(role: string, args: string[], nodeFlags: string[] = []): Promise<Record<string, unknown>> {
  const entry = fileURLToPath(new URL("./bench-server.js", import.meta.url));
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the gateway process there (open it in Chrome DevTools).
  const profile =
    role === "gateway" && process.env.BENCH_CPU_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : [];
  const child = spawn(process.execPath, [...nodeFlags, ...profile, entry, role, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  return JSON.parse(firstLine) as Record<string, unknown>;
}

/** Issue 3's policy size: sign it here, activate it in a gateway process of its own. */
async function measureLargePolicy(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-large-policy-"));
  try {
    const prepared = await prepareLargePolicy(dir);
    const activated = (await startChild("large-policy-gateway", [dir], ["--expose-gc"])) as Awaited<
      ReturnType<typeof activateLargePolicy>
    >;
    const shape = LARGE_POLICY_SHAPE;
    console.log("");
    console.log(
      `large policy: ${shape.users} users, ${shape.teams} teams, ${shape.servers} servers x ${shape.toolsPerServer} tools, ` +
        `${shape.tokens} tokens, ${shape.teams * shape.serversPerTeam + shape.userGrants} grants`,
    );
    console.log(
      `  document ${(prepared.documentBytes / 1e6).toFixed(1)} MB, signed and compressed ${(prepared.envelopeBytes / 1e6).toFixed(1)} MB, ` +
        `sign ${prepared.signMs.toFixed(0)} ms`,
    );
    console.log(
      `  gateway verify + activate ${activated.activationMs.toFixed(0)} ms, ` +
        `RSS ${activated.rssIdleMb} MB idle -> ${activated.rssMb} MB with it loaded`,
    );
    console.log(
      `  one user's view over all servers (first decision, merges their and their teams' grants): ` +
        `${prepared.firstViewMs.toFixed(1)} ms, ${prepared.visibleTools} tools`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(name: string, callsPerSecond: number, result: Latency, direct: Latency): string {
  const added = (value: number, base: number) => `${(value - base).toFixed(0)}`.padStart(9);
  return [
    name.padEnd(12),
    callsPerSecond.toFixed(0).padStart(9),
    result.p50Micros.toFixed(0).padStart(9),
    result.p99Micros.toFixed(0).padStart(9),
    added(result.p50Micros, direct.p50Micros),
    added(result.p99Micros, direct.p99Micros),
  ].join("  ");
}

try {
  const upstream = await startTarget("upstream");
  const bare = await startTarget("bare-proxy", upstream.url);
  const sdkProxy = await startTarget("sdk-proxy", upstream.url);
  const gateway = await startTarget("gateway", upstream.url);
  const targets: Target[] = [
    { name: "direct", url: upstream.url, headers: {} },
    { name: "bare proxy", url: bare.url, headers: {} },
    { name: "SDK proxy", url: sdkProxy.url, headers: {} },
    { name: "gateway", url: gateway.url, headers: { authorization: `Bearer ${gateway.token}` } },
  ];
  const latency = await measureLatency(targets, options.warmupCalls, options.latencyCalls);
  const throughput = new Map<string, number>();
  for (const target of targets) {
    throughput.set(target.name, await measureThroughput(target, options.concurrency, options.throughputMs));
  }
  const direct = latency.get("direct") as Latency;
  const bareHop = latency.get("bare proxy") as Latency;
  const gatewayLatency = latency.get("gateway") as Latency;
  const callsPerSecond = (name: string) => throughput.get(name) ?? 0;

  console.log(
    `tools/call: ${options.latencyCalls} interleaved rounds at concurrency 1 for latency, ` +
      `concurrency ${options.concurrency} for ${options.throughputMs} ms per target for throughput`,
  );
  console.log(
    ["target".padEnd(12), "calls/s", "p50 µs", "p99 µs", "+p50 µs", "+p99 µs"]
      .map((cell, index) => (index ? cell.padStart(9) : cell))
      .join("  "),
  );
  for (const target of targets)
    console.log(row(target.name, callsPerSecond(target.name), latency.get(target.name) as Latency, direct));
  const added = (key: keyof Latency) => (gatewayLatency[key] - direct[key]) / Math.max(1, bareHop[key] - direct[key]);
  console.log("");
  console.log(
    `gateway calls/s vs bare proxy: ${((callsPerSecond("gateway") / callsPerSecond("bare proxy")) * 100).toFixed(0)}%`,
  );
  console.log(
    `gateway added latency vs bare hop: p50 ${added("p50Micros").toFixed(2)}x, p99 ${added("p99Micros").toFixed(2)}x`,
  );
  console.log(`gateway calls/s vs SDK proxy: ${(callsPerSecond("gateway") / callsPerSecond("SDK proxy")).toFixed(1)}x`);
  console.log(`snapshot: ${gateway.documentBytes} bytes of JSON, ${gateway.snapshotBytes} bytes signed and compressed`);
  await measureLargePolicy();
} finally {
  for (const child of children) child.kill("SIGTERM");
}
