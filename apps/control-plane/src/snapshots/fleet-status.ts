import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import type { GatewayStatusReport, PolicyBus, Unsubscribe } from "@switchboard/bus";
import { POLICY_BUS } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";

/** Keeps the fleet table: which gateway runs which snapshot, and why it refused the last one. */
@Injectable()
export class FleetStatus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FleetStatus.name);
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(POLICY_BUS) private readonly bus: PolicyBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.bus.watchStatus((report) => void this.record(report));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.();
  }

  list() {
    return this.prisma.client.gatewayStatus.findMany({ orderBy: { gatewayId: "asc" } });
  }

  private async record(report: GatewayStatusReport): Promise<void> {
    if (typeof report.gatewayId !== "string" || !Number.isSafeInteger(report.version)) return;
    const row = {
      version: BigInt(report.version),
      sha256: String(report.hash ?? ""),
      status: String(report.status),
      error: report.error ?? null,
      reportedAt: new Date(report.reportedAt ?? Date.now()),
    };
    await this.prisma.client.gatewayStatus
      .upsert({ where: { gatewayId: report.gatewayId }, create: { gatewayId: report.gatewayId, ...row }, update: row })
      .catch((error: unknown) => this.logger.warn(`fleet status not recorded: ${String(error)}`));
  }
}
