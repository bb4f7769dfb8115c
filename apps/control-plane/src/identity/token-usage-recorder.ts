import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from "@nestjs/common";
import type { PolicyBus, TokenUsageReport, Unsubscribe } from "@switchboard/bus";
import { POLICY_BUS } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TOKENS = 1_000;

/**
 * Records when gateways last saw each token in use. Reports come from the bus, so anything
 * malformed is dropped; times only move forward, so reports arriving out of order do no harm.
 */
@Injectable()
export class TokenUsageRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TokenUsageRecorder.name);
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(POLICY_BUS) private readonly bus: PolicyBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.bus.watchTokenUsage((report) => void this.record(report));
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  private async record(report: TokenUsageReport): Promise<void> {
    const entries = (Array.isArray(report.tokens) ? report.tokens : [])
      .slice(0, MAX_TOKENS)
      .filter((entry) => typeof entry?.tokenId === "string" && UUID.test(entry.tokenId))
      .map((entry) => ({ id: entry.tokenId, at: new Date(entry.lastUsedAt) }))
      .filter((entry) => !Number.isNaN(entry.at.getTime()) && entry.at.getTime() <= Date.now() + 60_000);
    if (entries.length === 0) return;
    const ids = entries.map((entry) => entry.id);
    const times = entries.map((entry) => entry.at);
    await this.prisma.client.$executeRaw`
      update "AccessToken" as token set "lastUsedAt" = usage.at
      from unnest(${ids}::uuid[], ${times}::timestamp[]) as usage(id, at)
      where token.id = usage.id and (token."lastUsedAt" is null or token."lastUsedAt" < usage.at)`.catch(
      (error: unknown) => this.logger.warn(`token usage not recorded: ${String(error)}`),
    );
  }
}
