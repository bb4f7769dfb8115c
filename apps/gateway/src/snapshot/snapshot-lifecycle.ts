import type { GatewayStatusReport, PolicyBus, Unsubscribe } from "@switchboard/bus";
import {
  type DataPlaneUnsealer,
  SnapshotRejectedError,
  type SnapshotVerifier,
  type VerifiedSnapshot,
} from "@switchboard/snapshot";
import type { Logger } from "pino";
import { type ActivePolicy, buildActivePolicy } from "./active-policy.js";
import type { LastKnownGoodStore, SnapshotIdentity } from "./last-known-good.js";

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
  /** The newest snapshot ever activated here, persisted: nothing at or below it is accepted again. */
  private highestSeen: SnapshotIdentity | undefined;
  private pending: Uint8Array | undefined;
  private applying: Promise<void> | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(policy: ActivePolicy) => void>();

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

  state(): SnapshotState {
    const index = this.active?.index;
    return { ready: Boolean(index), stale: this.stale, version: index?.version ?? 0, sha256: index?.sha256 ?? "" };
  }

  async start(): Promise<void> {
    this.highestSeen =
      (await this.store.readHighestSeen().catch((error: unknown) => {
        this.logger.error({ err: error }, "could not read the highest snapshot version seen");
        return null;
      })) ?? undefined;
    await this.loadLastKnownGood();
    void this.report(this.idleStatus());
    this.unsubscribe = await this.bus.watchSnapshots((envelope) => this.offer(envelope));
    this.heartbeat = setInterval(() => void this.report(this.idleStatus()), HEARTBEAT_MS);
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

  private async drain(): Promise<void> {
    while (this.pending) {
      const envelope = this.pending;
      this.pending = undefined;
      await this.apply(envelope);
    }
  }

  private async loadLastKnownGood(): Promise<void> {
    const envelope = await this.store.readEnvelope().catch((error: unknown) => {
      this.logger.error({ err: error }, "could not read the last-known-good snapshot");
      return null;
    });
    if (!envelope) {
      this.logger.warn("no last-known-good snapshot: not ready until one arrives");
      return;
    }
    try {
      const verified = await this.verifier.verify(envelope, 0);
      if (this.highestSeen && verified.version < this.highestSeen.version) {
        throw new SnapshotRejectedError(
          "NOT_NEWER",
          `version ${verified.version} is below ${this.highestSeen.version}`,
        );
      }
      this.activate(await buildActivePolicy(verified, this.unsealer), true);
      this.logger.info({ version: verified.version }, "serving the last-known-good snapshot until the bus confirms it");
    } catch (error) {
      this.logger.error({ err: error }, "the last-known-good snapshot failed verification and is ignored");
    }
  }

  private async apply(envelope: Uint8Array): Promise<void> {
    try {
      const verified = await this.verifyOffered(envelope);
      if (verified === "in-force") {
        await this.confirm();
        return;
      }
      const policy = await buildActivePolicy(verified, this.unsealer);
      this.activate(policy, false);
      this.highestSeen = { version: verified.version, sha256: verified.sha256 };
      await this.store.write(envelope, this.highestSeen).catch((error: unknown) => {
        this.logger.error({ err: error }, "could not persist the last-known-good snapshot");
      });
      this.logger.info({ version: verified.version, sha256: verified.sha256 }, "snapshot activated");
      await this.report("applied");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ reason }, "snapshot refused; the previous one stays in force");
      await this.report("rejected", reason);
    }
  }

  /**
   * Verifies an offered envelope against the version held (or, holding none, the highest seen).
   * The same version is welcome only as the very same document — a re-delivery, or a re-signature
   * under the next key — which confirms the snapshot in force, or restores it when none is.
   */
  private async verifyOffered(envelope: Uint8Array): Promise<VerifiedSnapshot | "in-force"> {
    const reference = this.active?.index ?? this.highestSeen;
    try {
      return await this.verifier.verify(envelope, reference?.version ?? 0);
    } catch (error) {
      if (!reference || !(error instanceof SnapshotRejectedError) || error.code !== "NOT_NEWER") throw error;
      const same = await this.verifier.verify(envelope, reference.version - 1).catch(() => undefined);
      if (same?.version !== reference.version || same.sha256 !== reference.sha256) throw error;
      return this.active ? "in-force" : same;
    }
  }

  /** The bus delivered the snapshot in force: it is current, so a copy from disk is no longer stale. */
  private async confirm(): Promise<void> {
    if (!this.stale) return;
    this.stale = false;
    this.logger.info({ version: this.state().version }, "the bus confirmed the last-known-good snapshot");
    await this.report("applied");
  }

  private activate(policy: ActivePolicy, stale: boolean): void {
    this.active = policy;
    this.stale = stale;
    this.onActivated(policy);
    for (const listener of this.listeners) listener(policy);
  }

  private idleStatus(): GatewayStatusReport["status"] {
    if (!this.active) return "empty";
    return this.stale ? "stale" : "heartbeat";
  }

  private async report(status: GatewayStatusReport["status"], error?: string): Promise<void> {
    const state = this.state();
    const report: GatewayStatusReport = {
      gatewayId: this.gatewayId,
      version: state.version,
      hash: state.sha256,
      status,
      reportedAt: new Date().toISOString(),
      ...(error ? { error } : {}),
    };
    await this.bus.publishStatus(report).catch((publishError: unknown) => {
      this.logger.debug({ err: publishError }, "status report not delivered");
    });
  }
}
