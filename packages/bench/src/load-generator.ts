import { Pool } from "undici";

export type Target = { name: string; url: string; headers: Record<string, string> };
export type Latency = { p50Micros: number; p99Micros: number };

let nextId = 1;

function toolCallBody(): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { name: "echo", arguments: { message: "benchmark" } },
  });
}

/** A connection pool per target and one `tools/call` over it, checked for the right answer. */
class TargetClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(target: Target, connections: number) {
    const url = new URL(target.url);
    this.pool = new Pool(url.origin, { connections, keepAliveTimeout: 60_000 });
    this.path = url.pathname;
    this.headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...target.headers,
    };
  }

  /** Establishes a session as an agent would (initialize, initialized) and sends its id from then on. */
  async open(): Promise<this> {
    const initialize = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: this.headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: nextId++,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
      }),
    });
    await initialize.body.text();
    if (initialize.statusCode !== 200) throw new Error(`initialize answered ${initialize.statusCode}`);
    const sessionId = initialize.headers["mcp-session-id"];
    if (typeof sessionId === "string") this.headers["mcp-session-id"] = sessionId;
    const initialized = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: this.headers,
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    await initialized.body.dump();
    return this;
  }

  async call(): Promise<void> {
    const response = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: this.headers,
      body: toolCallBody(),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || !text.includes("benchmark")) {
      throw new Error(`unexpected answer ${response.statusCode}: ${text.slice(0, 200)}`);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/**
 * Latency at concurrency 1, interleaved: each round calls every target once, in turn, so a noisy
 * moment on a shared machine hits all targets alike and the differences stay meaningful.
 */
export async function measureLatency(
  targets: Target[],
  warmupRounds: number,
  rounds: number,
): Promise<Map<string, Latency>> {
  const clients = await Promise.all(targets.map((target) => new TargetClient(target, 1).open()));
  const durations = targets.map((): number[] => []);
  try {
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const [index, client] of clients.entries()) {
        const started = process.hrtime.bigint();
        await client.call();
        if (round >= warmupRounds) durations[index]?.push(Number(process.hrtime.bigint() - started) / 1_000);
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return new Map(
    targets.map((target, index) => {
      const sorted = (durations[index] ?? []).sort((a, b) => a - b);
      return [target.name, { p50Micros: percentile(sorted, 0.5), p99Micros: percentile(sorted, 0.99) }];
    }),
  );
}

/** Calls per second in a closed loop of `concurrency` callers for `durationMs`. */
export async function measureThroughput(target: Target, concurrency: number, durationMs: number): Promise<number> {
  const client = await new TargetClient(target, concurrency).open();
  try {
    for (let i = 0; i < concurrency * 10; i++) await client.call();
    let completed = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await client.call();
          completed++;
        }
      }),
    );
    return completed / ((performance.now() - started) / 1_000);
  } finally {
    await client.close();
  }
}
