import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { CONTROL_PLANE_CONFIG } from "../../common/injection-tokens.js";
import { PrismaService } from "../../common/prisma.service.js";
import type { ControlPlaneConfig } from "../../config/control-plane-config.js";
import { ToolCatalogService } from "./tool-catalog.service.js";
import { type GuardedFetch, guardedFetch } from "./upstream-address-guard.js";

const CONNECT_TIMEOUT_MS = 15_000;
/** Notifications in a burst collapse into one sync. */
const DEBOUNCE_MS = 200;

/**
 * Keeps an MCP session open to every server and re-reads its catalog when the server says its
 * tool list changed. Sessions that fail are retried when `reconcile` runs again (after every
 * registration and every scheduled round).
 */
@Injectable()
export class CatalogWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogWatch.name);
  private readonly clients = new Map<string, Promise<Client | undefined>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly fetch: GuardedFetch;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly catalog: ToolCatalogService,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.fetch = guardedFetch(config.allowPrivateUpstreams);
  }

  onApplicationBootstrap(): void {
    // In the background: an upstream that is slow to answer must not hold the start.
    void this.reconcile().catch((error: unknown) => this.logger.warn(`catalog watch: ${String(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    const clients = await Promise.all(this.clients.values());
    await Promise.all(clients.map((client) => client?.close().catch(() => {})));
  }

  /** Opens sessions to servers not watched yet (or whose session failed); closes those of deleted servers. */
  async reconcile(): Promise<void> {
    if (this.stopped) return;
    const servers = await this.prisma.client.mcpServer.findMany({ select: { id: true } });
    const present = new Set(servers.map((server) => server.id));
    for (const [serverId, client] of this.clients) {
      if (!present.has(serverId)) {
        this.clients.delete(serverId);
        void client.then((open) => open?.close().catch(() => {}));
      }
    }
    for (const serverId of present) {
      const existing = this.clients.get(serverId);
      if (existing && (await existing)) continue;
      this.clients.set(serverId, this.watch(serverId));
    }
  }

  private async watch(serverId: string): Promise<Client | undefined> {
    const server = await this.prisma.client.mcpServer.findUnique({ where: { id: serverId } });
    if (!server || this.stopped) return undefined;
    const client = new Client({ name: "switchboard-catalog-watch", version: "0.1.0" });
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => this.scheduleSync(serverId));
    client.onclose = () => {
      void this.clients.get(serverId)?.then((current) => {
        if (current === client) this.clients.delete(serverId);
      });
    };
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          fetch: this.fetch,
          requestInit: { headers: this.catalog.upstreamHeaders(server) },
        }),
        { timeout: CONNECT_TIMEOUT_MS },
      );
      return client;
    } catch (error) {
      this.logger.debug(`no catalog watch on ${server.slug}: ${String(error)}`);
      return undefined;
    }
  }

  private scheduleSync(serverId: string): void {
    clearTimeout(this.pending.get(serverId));
    this.pending.set(
      serverId,
      setTimeout(() => {
        this.pending.delete(serverId);
        void this.catalog
          .sync(serverId)
          .catch((error: unknown) => this.logger.warn(`catalog sync failed: ${String(error)}`));
      }, DEBOUNCE_MS),
    );
  }
}
