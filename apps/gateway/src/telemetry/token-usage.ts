import type { PolicyBus } from "@switchboard/bus";
import type { Logger } from "pino";

/** Reports per message, to keep each NATS message small. */
const MAX_TOKENS_PER_REPORT = 1_000;

/**
 * Remembers which tokens were used since the last report (the hot path only writes a map entry)
 * and tells the control plane every `intervalMs`, so admins see when each token was last used.
 */
export class TokenUsage {
  private seen = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly bus: PolicyBus,
    private readonly gatewayId: string,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(tokenId: string): void {
    this.seen.set(tokenId, Date.now());
  }

  async flush(): Promise<void> {
    if (this.seen.size === 0) return;
    const batch = [...this.seen].map(([tokenId, at]) => ({ tokenId, lastUsedAt: new Date(at).toISOString() }));
    this.seen = new Map();
    for (let start = 0; start < batch.length; start += MAX_TOKENS_PER_REPORT) {
      const tokens = batch.slice(start, start + MAX_TOKENS_PER_REPORT);
      await this.bus.publishTokenUsage({ gatewayId: this.gatewayId, tokens }).catch((error: unknown) => {
        this.logger.warn({ reason: String(error) }, "could not report token usage");
      });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
