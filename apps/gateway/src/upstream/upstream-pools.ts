import { Pool } from "undici";

/**
 * One keep-alive connection pool per upstream origin. Built when a snapshot is activated, reused
 * across snapshots while the origin stays, closed when it goes; never built per request.
 */
export class UpstreamPools {
  private pools = new Map<string, Pool>();

  /** Makes the set of pools match these origins, keeping the ones that already exist. */
  reconcile(origins: Iterable<string>): void {
    const next = new Map<string, Pool>();
    for (const origin of origins) {
      next.set(
        origin,
        this.pools.get(origin) ?? new Pool(origin, { connections: 128, keepAliveTimeout: 30_000, pipelining: 1 }),
      );
    }
    for (const [origin, pool] of this.pools) {
      if (!next.has(origin)) void pool.close().catch(() => {});
    }
    this.pools = next;
  }

  get(origin: string): Pool {
    const pool = this.pools.get(origin);
    if (!pool) throw new Error(`no pool for ${origin}`);
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => {})));
    this.pools.clear();
  }
}
