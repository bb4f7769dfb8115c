import { Inject, Injectable, Logger } from "@nestjs/common";
import { type McpServer, type McpTool, Prisma, type PrismaTransactionClient } from "@switchboard/database";
import { toolDefinitionDigest } from "@switchboard/snapshot";
import { AppError } from "../../common/app-error.js";
import { CONTROL_PLANE_CONFIG } from "../../common/injection-tokens.js";
import { PrismaService } from "../../common/prisma.service.js";
import { requireServerInScope } from "../../common/server-scope.js";
import type { ControlPlaneConfig } from "../../config/control-plane-config.js";
import { CredentialVault } from "../../credentials/credential-vault.js";
import { PolicyChanges } from "../../snapshots/policy-changes.js";
import { serverHeadersBinding, serverHeadersRecord } from "../server-auth.js";
import { diffDefinitions } from "./definition-diff.js";
import { type ToolStatus, toolStatus } from "./tool-status.js";
import { type GuardedFetch, guardedFetch } from "./upstream-address-guard.js";
import { listUpstreamTools, type RawTool } from "./upstream-tool-lister.js";

export type CatalogTool = {
  name: string;
  status: ToolStatus;
  sha256: string | null;
  approvedSha256: string | null;
  approvedAt: Date | null;
  definition: unknown;
};

export type SyncOutcome = { ok: true; tools: number; changed: boolean } | { ok: false; error: string };

/**
 * The tool catalog: what each upstream lists, each definition with the sha256 of its canonical form
 * (the same digest the gateway computes), and which definition an admin approved. Only approved
 * definitions are pinned in the snapshot, so a tool that changes upstream after approval (a "rug
 * pull") is hidden at every gateway until its new definition is approved.
 */
@Injectable()
export class ToolCatalogService {
  private readonly logger = new Logger(ToolCatalogService.name);
  private readonly fetch: GuardedFetch;

  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    private readonly vault: CredentialVault,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.fetch = guardedFetch(config.allowPrivateUpstreams);
  }

  /**
   * Reads the upstream's tools and records them. New tools are approved at once on servers with
   * `toolApproval: auto`; a changed definition never is. A failure is recorded on the server.
   */
  async sync(serverId: string): Promise<SyncOutcome> {
    await requireServerInScope(this.prisma.client, serverId);
    const server = await this.prisma.client.mcpServer.findUnique({ where: { id: serverId } });
    if (!server) throw AppError.notFound("Server");
    let listed: RawTool[];
    let latencyMs: number;
    try {
      const started = performance.now();
      listed = await listUpstreamTools(server.url, this.headersOf(server), this.fetch);
      latencyMs = Math.round(performance.now() - started);
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      this.logger.warn(`catalog sync of ${server.slug} failed: ${reason}`);
      await this.prisma.client.mcpServer.update({
        where: { id: serverId },
        data: { catalogError: reason.slice(0, 500), healthStatus: "unhealthy", healthCheckedAt: new Date() },
      });
      return { ok: false, error: reason };
    }
    const existing = await this.prisma.client.mcpTool.findMany({ where: { serverId } });
    const plan = reconcile(server, existing, listed);
    const recordSync = (tx: PrismaTransactionClient) =>
      tx.mcpServer.update({
        where: { id: serverId },
        data: {
          catalogSyncedAt: new Date(),
          catalogError: null,
          healthStatus: "healthy",
          healthCheckedAt: new Date(),
          healthLatencyMs: latencyMs,
        },
      });
    if (plan.length === 0) {
      await recordSync(this.prisma.client);
      return { ok: true, tools: listed.length, changed: false };
    }
    await this.changes.commit(
      "catalog.synced",
      async (tx) => {
        for (const step of plan) await step(tx);
        await recordSync(tx);
      },
      { target: { type: "server", id: serverId } },
    );
    return { ok: true, tools: listed.length, changed: true };
  }

  async list(serverId: string): Promise<CatalogTool[]> {
    await this.requireServer(serverId);
    const tools = await this.prisma.client.mcpTool.findMany({ where: { serverId }, orderBy: { name: "asc" } });
    return tools.map(present);
  }

  async get(serverId: string, name: string) {
    const tool = await this.requireTool(serverId, name);
    return {
      ...present(tool),
      approvedDefinition: tool.approvedDefinition,
      changes: tool.approvedDefinition === null ? [] : diffDefinitions(tool.approvedDefinition, tool.definition),
    };
  }

  /** Approves the definition with this digest: the one the admin reviewed, or 409 if it moved since. */
  async approve(serverId: string, name: string, sha256: string): Promise<CatalogTool> {
    const tool = await this.requireTool(serverId, name);
    if (tool.sha256 === null) throw new AppError("CONFLICT", `The upstream no longer lists the tool "${name}"`);
    if (tool.sha256 !== sha256) {
      throw new AppError("CONFLICT", "The tool's definition changed since it was reviewed; review it again", {
        message: `approval of ${name} for ${sha256} but the current definition is ${tool.sha256}`,
      });
    }
    const approved = await this.changes.commit("tool.approved", (tx) =>
      tx.mcpTool.update({
        where: { id: tool.id },
        data: { approvedDefinition: tool.definition ?? undefined, approvedSha256: tool.sha256, approvedAt: new Date() },
      }),
    );
    return present(approved);
  }

  /** Withdraws an approval: the tool is hidden at every gateway until approved again. */
  async revoke(serverId: string, name: string): Promise<CatalogTool> {
    const tool = await this.requireTool(serverId, name);
    const revoked = await this.changes.commit("tool.approval_revoked", (tx) =>
      tx.mcpTool.update({
        where: { id: tool.id },
        data: { approvedDefinition: Prisma.DbNull, approvedSha256: null, approvedAt: null },
      }),
    );
    return present(revoked);
  }

  /** The server's upstream headers, decrypted for one connection. */
  upstreamHeaders(server: McpServer): Record<string, string> {
    return this.headersOf(server);
  }

  private headersOf(server: McpServer): Record<string, string> {
    const record = serverHeadersRecord(server);
    if (!record) return {};
    const headers = this.vault.decrypt(record, serverHeadersBinding(server.id));
    try {
      return JSON.parse(headers.toString("utf8")) as Record<string, string>;
    } finally {
      headers.fill(0);
    }
  }

  private async requireServer(serverId: string) {
    await requireServerInScope(this.prisma.client, serverId);
  }

  private async requireTool(serverId: string, name: string): Promise<McpTool> {
    await this.requireServer(serverId);
    const tool = await this.prisma.client.mcpTool.findUnique({ where: { serverId_name: { serverId, name } } });
    if (!tool) throw AppError.notFound("Tool");
    return tool;
  }
}

type Step = (tx: PrismaTransactionClient) => Promise<unknown>;

/** The writes that bring the stored catalog to what the upstream lists now; none when nothing changed. */
function reconcile(server: McpServer, existing: McpTool[], listed: RawTool[]): Step[] {
  const byName = new Map(existing.map((tool) => [tool.name, tool]));
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const definition of listed) {
    if (seen.has(definition.name)) continue;
    seen.add(definition.name);
    const sha256 = toolDefinitionDigest(definition);
    const json = definition as Prisma.InputJsonValue;
    const known = byName.get(definition.name);
    if (!known) {
      const approve = server.toolApproval === "auto";
      steps.push((tx) =>
        tx.mcpTool.create({
          data: {
            serverId: server.id,
            name: definition.name,
            definition: json,
            sha256,
            ...(approve ? { approvedDefinition: json, approvedSha256: sha256, approvedAt: new Date() } : {}),
          },
        }),
      );
    } else if (known.sha256 !== sha256) {
      steps.push((tx) => tx.mcpTool.update({ where: { id: known.id }, data: { definition: json, sha256 } }));
    }
  }
  for (const known of existing) {
    if (!seen.has(known.name) && known.sha256 !== null) {
      steps.push((tx) =>
        tx.mcpTool.update({
          where: { id: known.id },
          data: { definition: Prisma.DbNull, sha256: null },
        }),
      );
    }
  }
  return steps;
}

function present(tool: McpTool): CatalogTool {
  return {
    name: tool.name,
    status: toolStatus(tool),
    sha256: tool.sha256,
    approvedSha256: tool.approvedSha256,
    approvedAt: tool.approvedAt,
    definition: tool.definition,
  };
}
