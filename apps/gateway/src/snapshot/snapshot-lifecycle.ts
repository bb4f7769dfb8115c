import type { GatewayStatusReport, PolicyBus, Unsubscribe } from "@switchboard/bus";
import { type DataPlaneUnsealer, SnapshotRejectedError, type SnapshotVerifier } from "@switchboard/snapshot";
import type { Logger } from "pino";
import { type ActivePolicy, buildActivePolicy } from "./active-policy.js";
import type { LastKnownGoodStore } from "./last-known-good.js";

const HEARTBEAT_MS = 30_000;

export type SnapshotState = { ready: boolean; stale: boolean; version: number; sha256: string };

/**
 * Owns the policy in force: loads the last-known-good snapshot at start, then applies what the bus
 * delivers — verify, build, swap one reference, persist, report — one envelope at a time, keeping
 * only the newest pending one. A refused snapshot never replaces the one in force.
 */
export class SnapshotLifecycle {
  private active: ActivePolicy | undefined;
  private stale = false;
  private pending: Uint8Array | undefined;
  private applying: Promise<void> | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly gatewayId: string,
    private readonly verifier: SnapshotVerifier,
    private readonly unsealer: DataPlaneUnsealer,
    private readonly store: LastKnownGoodStore,
    private readonly bus: PolicyBus,
    private readonly logger: Logger,
    private readonly onActivated: (policy: ActivePolicy) => void,
  ) {}

  get policy(): ActivePolicy | undefined {
    return this.active;
  }

  /** Calls the listener after each later activation (e.g. to tell open streams what changed). */
  onEachActivation(listener: (policy: ActivePolicy) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private readonly listeners = new Set<(policy: ActivePolicy) => void>();

  state(): SnapshotState {
    const index = this.active?.index;
    return { ready: Boolean(index), stale: this.stale, version: index?.version ?? 0, sha256: index?.sha256 ?? "" };
  }

  async start(): Promise<void> {
    await this.loadLastKnownGood();
    this.unsubscribe = await this.bus.watchSnapshots((envelope) => this.offer(envelope));
    this.heartbeat = setInterval(() => void this.report("heartbeat"), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.unsubscribe?.();
    await this.applying;
  }

  /** Accepts an envelope from the bus; bursts collapse to the newest one. */
  offer(envelope: Uint8Array): void {
    this.pending = envelope;
    if (!this.applying) this.applying = this.drain().finally(() => (this.applying = undefined));
  }

  /** Resolves once every envelope offered so far has been handled. */
  async settled(): Promise<void> {
    while (this.applying) await this.applying;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const envelope = this.pending;
      this.pending = undefined;
      await this.apply(envelope);
    }
  }

  private async loadLastKnownGood(): Promise<void> {
    const envelope = await this.store.read().catch((error: unknown) => {
      this.logger.error({ err: error }, "could not read the last-known-good snapshot");
      return null;
    });
    if (!envelope) {
      this.logger.warn("no last-known-good snapshot: not ready until one arrives");
      return;
    }
    try {
      const verified = await this.verifier.verify(envelope, 0);
      this.activate(await buildActivePolicy(verified, this.unsealer), true);
      this.logger.info({ version: verified.version }, "serving the last-known-good snapshot until the bus confirms it");
    } catch (error) {
      this.logger.error({ err: error }, "the last-known-good snapshot failed verification and is ignored");
    }
  }

  private async apply(envelope: Uint8Array): Promise<void> {
    const current = this.active?.index;
    try {
      const verified = await this.verifier.verify(envelope, current?.version ?? 0);
      const policy = await buildActivePolicy(verified, this.unsealer);
      this.activate(policy, false);
      await this.store.write(envelope).catch((error: unknown) => {
        this.logger.error({ err: error }, "could not persist the last-known-good snapshot");
      });
      this.logger.info({ version: verified.version, sha256: verified.sha256 }, "snapshot activated");
      await this.report("applied");
    } catch (error) {
      if (this.isSameAsActive(error, envelope)) {
        this.stale = false;
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ reason }, "snapshot refused; the previous one stays in force");
      await this.report("rejected", reason);
    }
  }

  /** The bus re-delivering the snapshot already in force only confirms it is current. */
  private isSameAsActive(error: unknown, envelope: Uint8Array): boolean {
    if (!(error instanceof SnapshotRejectedError) || error.code !== "NOT_NEWER" || !this.active) return false;
    return Buffer.compare(Buffer.from(this.active.envelope), Buffer.from(envelope)) === 0;
  }

  private activate(policy: ActivePolicy, stale: boolean): void {
    this.active = policy;
    this.stale = stale;
    this.onActivated(policy);
    for (const listener of this.listeners) listener(policy);
  }

  private async report(status: GatewayStatusReport["status"], error?: string): Promise<void> {
    const state = this.state();
    const report: GatewayStatusReport = {
      gatewayId: this.gatewayId,
      version: state.version,
      hash: state.sha256,
      status: status === "heartbeat" && !state.ready ? "empty" : status,
      reportedAt: new Date().toISOString(),
      ...(error ? { error } : {}),
    };
    await this.bus.publishStatus(report).catch((publishError: unknown) => {
      this.logger.debug({ err: publishError }, "status report not delivered");
    });
  }
}
