import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import type { PolicyBus } from "@switchboard/bus";
import { CONTROL_PLANE_CONFIG, POLICY_BUS } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { AdvisoryLock } from "./advisory-locks.js";
import { SnapshotCompiler } from "./snapshot-compiler.js";

const RETRY_MS = 1_000;
/** Bounds the lock holder: waiting for another replica, compiling, and handing the snapshot to the bus. */
const PUBLICATION_TIMEOUT_MS = 120_000;
const CONNECTION_WAIT_MS = 10_000;

type Waiter = { version: number; resolve: () => void; reject: (error: Error) => void };

/**
 * Turns committed changes into published snapshots. Changes within the coalescing window become
 * one snapshot; one compile runs at a time; a stored snapshot not yet published (the outbox) is
 * published on the next run, including after a restart or a bus outage.
 */
@Injectable()
export class SnapshotPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotPublisher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private closing = false;
  private publishedVersion = 0;
  private waiters: Waiter[] = [];

  constructor(
    private readonly prisma: PrismaService,
    private readonly compiler: SnapshotCompiler,
    @Inject(POLICY_BUS) private readonly bus: PolicyBus,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  /** Publishes what the last process left behind, and gives gateways a first snapshot on an empty database. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.prisma.client.policyRevision.count()) === 0) {
      await this.prisma.client.policyRevision.create({ data: { reason: "bootstrap" } });
    }
    await this.run();
  }

  /** Runs after the HTTP server closed: changes of the last requests are still published, then waiters fail. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const pending = this.timer !== undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await (pending ? this.run() : this.running);
    for (const waiter of this.waiters) waiter.reject(new Error("the control plane stopped"));
    this.waiters = [];
  }

  /** Asks for a snapshot soon; calls within the coalescing window share one. */
  schedule(delayMs = this.config.snapshotCoalesceMs): void {
    if (this.timer || this.closing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  /** Resolves once a snapshot at or above this version has been handed to the bus. */
  whenPublished(version: number): Promise<void> {
    if (this.publishedVersion >= version) return Promise.resolve();
    if (this.closing) return Promise.reject(new Error("the control plane stopped"));
    return new Promise((resolve, reject) => this.waiters.push({ version, resolve, reject }));
  }

  /** Resolves with the version of a published snapshot that contains every change committed so far. */
  async whenCurrent(): Promise<number> {
    const latest = await this.prisma.client.policyRevision.aggregate({ _max: { version: true } });
    const version = Number(latest._max.version ?? 0);
    // A revision written by another replica (or by hand) schedules nothing here.
    if (this.publishedVersion < version) this.schedule();
    await this.whenPublished(version);
    return version;
  }

  private run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.publishUntilCurrent().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async publishUntilCurrent(): Promise<void> {
    do {
      this.rerun = false;
      try {
        this.markPublished(await this.publishLatest());
      } catch (error) {
        this.logger.error(`snapshot not published: ${error instanceof Error ? error.message : String(error)}`);
        this.schedule(RETRY_MS);
        return;
      }
    } while (this.rerun);
  }

  /**
   * Under the publication lock, held on a connection of its own: the compile transaction starts
   * after the lock is granted, so its REPEATABLE READ view already holds what the previous holder
   * stored, and replicas neither compile a version twice nor publish out of order.
   */
  private publishLatest(): Promise<number> {
    return this.prisma.client.$transaction(
      async (lock) => {
        await lock.$executeRaw`select pg_advisory_xact_lock(${AdvisoryLock.snapshotPublication})`;
        const snapshot = await this.compiler.compileLatest();
        if (!snapshot.publishedAt) {
          await this.bus.publishSnapshot(snapshot.envelope);
          await this.prisma.client.policySnapshot.update({
            where: { version: snapshot.version },
            data: { publishedAt: new Date() },
          });
          this.logger.log(
            `published snapshot ${snapshot.version} (${snapshot.sizeBytes} bytes, sha256 ${snapshot.sha256})`,
          );
        }
        return Number(snapshot.version);
      },
      { timeout: PUBLICATION_TIMEOUT_MS, maxWait: CONNECTION_WAIT_MS },
    );
  }

  private markPublished(version: number): void {
    this.publishedVersion = Math.max(this.publishedVersion, version);
    const ready = this.waiters.filter((waiter) => waiter.version <= this.publishedVersion);
    this.waiters = this.waiters.filter((waiter) => waiter.version > this.publishedVersion);
    for (const waiter of ready) waiter.resolve();
  }
}
