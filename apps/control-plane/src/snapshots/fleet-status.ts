import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from "@nestjs/common";
import type { GatewayStatusReport, PolicyBus, Unsubscribe } from "@switchboard/bus";
import { POLICY_BUS } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { FleetView } from "./dto/gateway-status.dto.js";

const MAX_TEXT = 2_000;
const STATUSES = new Set<string>(["applied", "rejected", "stale", "heartbeat", "empty"]);

/** Reports come from the bus, not from us: anything malformed is dropped rather than stored. */
function validRow(report: GatewayStatusReport) {
  const reportedAt = new Date(report.reportedAt);
  const valid =
    typeof report.gatewayId === "string" &&
    /^[\w.:-]{1,200}$/.test(report.gatewayId) &&
    Number.isSafeInteger(report.version) &&
    report.version >= 0 &&
    STATUSES.has(report.status) &&
    !Number.isNaN(reportedAt.getTime());
  if (!valid) return undefined;
  return {
    version: BigInt(report.version),
    sha256: String(report.hash ?? "").slice(0, 64),
    status: report.status,
    error: typeof report.error === "string" ? report.error.slice(0, MAX_TEXT) : null,
    reportedAt,
  };
}

/** Keeps the fleet table: which gateway runs which snapshot, and why it refused the last one. */
@Injectable()
export class FleetStatus implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FleetStatus.name);
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(POLICY_BUS) private readonly bus: PolicyBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.bus.watchStatus((report) => void this.record(report));
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  async list(): Promise<FleetView> {
    const rows = await this.prisma.client.gatewayStatus.findMany({ orderBy: { gatewayId: "asc" } });
    return { items: rows.map((row) => ({ ...row, version: Number(row.version) })) };
  }

  private async record(report: GatewayStatusReport): Promise<void> {
    const row = validRow(report);
    if (!row) return;
    await this.prisma.client.gatewayStatus
      .upsert({ where: { gatewayId: report.gatewayId }, create: { gatewayId: report.gatewayId, ...row }, update: row })
      .catch((error: unknown) => this.logger.warn(`fleet status not recorded: ${String(error)}`));
  }
}
