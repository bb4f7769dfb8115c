import { Pool } from "undici";

export type Target = { name: string; url: string; headers: Record<string, string> };

export type Measurement = {
  callsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
};

let nextId = 1;

function toolCallBody(): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { name: "echo", arguments: { message: "benchmark" } },
  });
}

async function call(pool: Pool, path: string, headers: Record<string, string>): Promise<void> {
  const response = await pool.request({ method: "POST", path, headers, body: toolCallBody() });
  const text = await response.body.text();
  if (response.statusCode !== 200 || !text.includes("benchmark")) {
    throw new Error(`unexpected answer ${response.statusCode}: ${text.slice(0, 200)}`);
  }
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** Sequential calls (concurrency 1) for latency, then a closed loop at `concurrency` for throughput. */
export async function measure(
  target: Target,
  options: { warmupCalls: number; latencyCalls: number; concurrency: number; throughputMs: number },
): Promise<Measurement> {
  const url = new URL(target.url);
  const headers = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...target.headers,
  };
  const pool = new Pool(url.origin, { connections: options.concurrency, keepAliveTimeout: 60_000 });
  try {
    for (let i = 0; i < options.warmupCalls; i++) await call(pool, url.pathname, headers);
    const durations: number[] = [];
    for (let i = 0; i < options.latencyCalls; i++) {
      const started = process.hrtime.bigint();
      await call(pool, url.pathname, headers);
      durations.push(Number(process.hrtime.bigint() - started) / 1_000);
    }
    durations.sort((a, b) => a - b);
    let completed = 0;
    const deadline = performance.now() + options.throughputMs;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          await call(pool, url.pathname, headers);
          completed++;
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1_000;
    return {
      callsPerSecond: completed / elapsedSeconds,
      p50Micros: percentile(durations, 0.5),
      p99Micros: percentile(durations, 0.99),
    };
  } finally {
    await pool.close();
  }
}
