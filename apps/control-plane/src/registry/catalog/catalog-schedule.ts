import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { CONTROL_PLANE_CONFIG } from "../../common/injection-tokens.js";
import { PrismaService } from "../../common/prisma.service.js";
import type { ControlPlaneConfig } from "../../config/control-plane-config.js";
import { CatalogWatch } from "./catalog-watch.js";
import { ToolCatalogService } from "./tool-catalog.service.js";

/**
 * Re-reads every server's tool catalog on a schedule, so a tool that changes upstream shows up as
 * `changed` (and unpinned) without anyone asking. Each round is jittered so replicas drift apart;
 * a sync is idempotent, so two replicas syncing the same server only cost a duplicate listing.
 */
@Injectable()
export class CatalogSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly catalog: ToolCatalogService,
    private readonly watch: CatalogWatch,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.catalogSyncIntervalMs > 0) this.scheduleNext();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private scheduleNext(): void {
    const jitter = 0.9 + Math.random() * 0.2;
    this.timer = setTimeout(() => {
      this.running = this.syncAll().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.scheduleNext();
      });
    }, this.config.catalogSyncIntervalMs * jitter);
    this.timer.unref();
  }

  private async syncAll(): Promise<void> {
    void this.watch.reconcile().catch((error: unknown) => this.logger.warn(`catalog watch: ${String(error)}`));
    const servers = await this.prisma.client.mcpServer.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    for (const server of servers) {
      if (this.stopped) return;
      await this.catalog.sync(server.id).catch((error: unknown) => {
        this.logger.warn(`scheduled catalog sync failed: ${String(error)}`);
      });
    }
  }
}
