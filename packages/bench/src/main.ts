import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { freeTcpPort } from "@switchboard/dev-env";
import { type Measurement, measure, type Target } from "./load-generator.js";

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
  const entry = fileURLToPath(new URL("./bench-server.js", import.meta.url));
  const child = spawn(process.execPath, [entry, role, String(port), ...(target ? [target] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  return JSON.parse(firstLine) as Record<string, unknown> & { url: string };
}

function row(name: string, result: Measurement, direct: Measurement): string {
  const added = (value: number, base: number) => `${Math.max(0, value - base).toFixed(0)}`.padStart(9);
  return [
    name.padEnd(12),
    result.callsPerSecond.toFixed(0).padStart(9),
    result.p50Micros.toFixed(0).padStart(9),
    result.p99Micros.toFixed(0).padStart(9),
    added(result.p50Micros, direct.p50Micros),
    added(result.p99Micros, direct.p99Micros),
  ].join("  ");
}

try {
  const upstream = await startTarget("upstream");
  const bare = await startTarget("bare-proxy", upstream.url);
  const gateway = await startTarget("gateway", upstream.url);
  const targets: Target[] = [
    { name: "direct", url: upstream.url, headers: {} },
    { name: "bare proxy", url: bare.url, headers: {} },
    { name: "gateway", url: gateway.url, headers: { authorization: `Bearer ${gateway.token}` } },
  ];
  const results = new Map<string, Measurement>();
  for (const target of targets) results.set(target.name, await measure(target, options));
  const direct = results.get("direct") as Measurement;
  const bareResult = results.get("bare proxy") as Measurement;
  const gatewayResult = results.get("gateway") as Measurement;

  console.log(
    `tools/call, ${options.latencyCalls} sequential calls for latency, concurrency ${options.concurrency} for ${options.throughputMs} ms for throughput`,
  );
  console.log(
    [
      "target".padEnd(12),
      "calls/s".padStart(9),
      "p50 µs".padStart(9),
      "p99 µs".padStart(9),
      "+p50 µs".padStart(9),
      "+p99 µs".padStart(9),
    ].join("  "),
  );
  for (const [name, result] of results) console.log(row(name, result, direct));
  const addedRatio = (key: "p50Micros" | "p99Micros") =>
    (gatewayResult[key] - direct[key]) / Math.max(1, bareResult[key] - direct[key]);
  console.log("");
  console.log(
    `gateway calls/s vs bare proxy: ${((gatewayResult.callsPerSecond / bareResult.callsPerSecond) * 100).toFixed(0)}%`,
  );
  console.log(
    `gateway added latency vs bare hop: p50 ${addedRatio("p50Micros").toFixed(2)}x, p99 ${addedRatio("p99Micros").toFixed(2)}x`,
  );
  console.log(`snapshot: ${gateway.documentBytes} bytes of JSON, ${gateway.snapshotBytes} bytes signed and compressed`);
} finally {
  for (const child of children) child.kill("SIGTERM");
}
