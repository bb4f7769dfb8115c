import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import type { PolicyBus } from "@switchboard/bus";
import { CONTROL_PLANE_CONFIG, POLICY_BUS } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { SnapshotCompiler } from "./snapshot-compiler.js";

const RETRY_MS = 1_000;

/**
 * Turns committed changes into published snapshots. Changes within the coalescing window become
 * one snapshot; one compile runs at a time; a snapshot row not yet published (the outbox) is
 * published on the next run, including after a restart or a bus outage.
 */
@Injectable()
export class SnapshotPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotPublisher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  private publishedVersion = 0;
  private waiters: Array<{ version: number; resolve: () => void }> = [];

  constructor(
    private readonly prisma: PrismaService,
    private readonly compiler: SnapshotCompiler,
    @Inject(POLICY_BUS) private readonly bus: PolicyBus,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.prisma.client.policyRevision.count()) === 0) {
      await this.prisma.client.policyRevision.create({ data: { reason: "bootstrap" } });
    }
    await this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Asks for a snapshot soon; calls within the coalescing window share one. */
  schedule(delayMs = this.config.snapshotCoalesceMs): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  /** Resolves once a snapshot at or above this version has been handed to the bus. */
  whenPublished(version: number): Promise<void> {
    if (this.publishedVersion >= version) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ version, resolve }));
  }

  private run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.compileAndPublish().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async compileAndPublish(): Promise<void> {
    do {
      this.rerun = false;
      try {
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
        this.markPublished(Number(snapshot.version));
      } catch (error) {
        if (this.stopped) return;
        this.logger.error(
          `snapshot not published, retrying: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.schedule(RETRY_MS);
        return;
      }
    } while (this.rerun && !this.stopped);
  }

  private markPublished(version: number): void {
    this.publishedVersion = Math.max(this.publishedVersion, version);
    const ready = this.waiters.filter((waiter) => waiter.version <= this.publishedVersion);
    this.waiters = this.waiters.filter((waiter) => waiter.version > this.publishedVersion);
    for (const waiter of ready) waiter.resolve();
  }
}
