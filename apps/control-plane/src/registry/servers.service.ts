import { randomUUID } from "node:crypto";
import { Inject, Injectable } from "@nestjs/common";
import { type McpServer, Prisma } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, pageArguments, toPage } from "../common/cursor-pagination.js";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import { isUniqueViolation } from "../common/prisma-errors.js";
import { actorGroupScope } from "../common/request-actor.js";
import { requireGroupInScope, requireServerInScope, serversInScope } from "../common/server-scope.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CredentialVault } from "../credentials/credential-vault.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import { CatalogWatch } from "./catalog/catalog-watch.js";
import { ToolCatalogService } from "./catalog/tool-catalog.service.js";
import { checkUpstreamUrl } from "./catalog/upstream-address-guard.js";
import {
  type CreateServerDto,
  type ServerAuthInput,
  type ServerQuery,
  type ServerView,
  SLUG_PATTERN,
  type UpdateServerDto,
} from "./dto/server.dto.js";
import { serverHeadersBinding, serverHeadersRecord } from "./server-auth.js";
import { slugFromName } from "./slug-from-name.js";
import { upstreamHeaderErrors } from "./upstream-headers.js";

/** The group servers go into when an org admin names none (created by the migration). */
const DEFAULT_GROUP = "default";

function validHeaders(auth: ServerAuthInput | undefined): Record<string, string> | undefined {
  if (!auth) return undefined;
  if (auth.type === "none") {
    if (auth.headers !== undefined)
      throw AppError.invalid([{ field: "auth.headers", message: 'not allowed with type "none"' }]);
    return undefined;
  }
  const headers = auth.headers ?? {};
  const errors = upstreamHeaderErrors(headers);
  if (errors.length > 0) throw AppError.invalid(errors);
  return headers;
}

@Injectable()
export class ServersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    private readonly vault: CredentialVault,
    private readonly catalog: ToolCatalogService,
    private readonly watch: CatalogWatch,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async create(input: CreateServerDto): Promise<ServerView> {
    const slug = input.slug ?? slugFromName(input.name);
    if (!SLUG_PATTERN.test(slug)) {
      throw AppError.invalid([{ field: "slug", message: "no valid slug can be derived from the name; give one" }]);
    }
    const headers = validHeaders(input.auth);
    const refused = await checkUpstreamUrl(input.url, this.config.allowPrivateUpstreams);
    if (refused) {
      throw AppError.invalid([
        { field: "url", message: `${refused}; private upstreams need SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS=true` },
      ]);
    }
    const groupId = await this.groupFor(input.groupId);
    // The id is chosen before the insert because the ciphertext is bound to it.
    const id = randomUUID();
    const authSecret = headers && this.vault.encrypt(Buffer.from(JSON.stringify(headers)), serverHeadersBinding(id));
    try {
      const server = await this.changes.commit("server.created", (tx) =>
        tx.mcpServer.create({
          data: {
            id,
            groupId,
            name: input.name,
            slug,
            url: input.url,
            authType: headers ? "headers" : "none",
            authSecret,
            toolApproval: input.toolApproval ?? "auto",
            description: input.description ?? null,
            tags: [...new Set(input.tags ?? [])],
            enabled: input.enabled ?? true,
          },
        }),
      );
      // What the upstream lists now is catalogued (and, under auto approval, approved) before the
      // answer, so the server's tools are usable as soon as the snapshot that follows is out.
      await this.catalog.sync(server.id);
      void this.watch.reconcile().catch(() => {
        // Retried on the next scheduled round.
      });
      return this.get(server.id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A server with the slug "${slug}" already exists`);
      throw error;
    }
  }

  /** The group a new server goes into: the one asked for (if the caller manages it), else the caller's default. */
  private async groupFor(requested: string | undefined): Promise<string> {
    if (requested) {
      if (!(await this.prisma.client.serverGroup.findUnique({ where: { id: requested }, select: { id: true } }))) {
        throw AppError.notFound("Server group");
      }
      requireGroupInScope(requested);
      return requested;
    }
    const scope = actorGroupScope();
    if (scope === null) {
      const fallback = await this.prisma.client.serverGroup.findUnique({ where: { name: DEFAULT_GROUP } });
      if (fallback) return fallback.id;
      throw AppError.invalid([{ field: "groupId", message: "groupId is required (there is no default group)" }]);
    }
    if (scope.length === 1) return scope[0] as string;
    throw AppError.invalid([{ field: "groupId", message: "groupId is required: you manage several groups" }]);
  }

  async list(query: ServerQuery): Promise<Page<ServerView>> {
    const page = pageArguments(query);
    const where = {
      ...page.where,
      ...serversInScope(),
      ...(query.groupId ? { AND: [{ groupId: query.groupId }] } : {}),
      ...(query.tag ? { tags: { has: query.tag } } : {}),
      ...(query.enabled ? { enabled: query.enabled === "true" } : {}),
    };
    const rows = await this.prisma.client.mcpServer.findMany({ ...page, where });
    return toPage(rows, query.limit, (server) => this.present(server));
  }

  async get(id: string): Promise<ServerView> {
    await requireServerInScope(this.prisma.client, id);
    const server = await this.prisma.client.mcpServer.findUnique({ where: { id } });
    if (!server) throw AppError.notFound("Server");
    return this.present(server);
  }

  /**
   * Updates a server. With `ifMatch` (the ETag the caller read) the update applies only if nobody
   * changed the server since: 412 otherwise. A new URL or credential re-reads the catalog.
   */
  async update(id: string, input: UpdateServerDto, ifMatch: string | undefined): Promise<ServerView> {
    const expected = ifMatch === undefined ? undefined : revisionOf(ifMatch);
    if (input.url) {
      const refused = await checkUpstreamUrl(input.url, this.config.allowPrivateUpstreams);
      if (refused) {
        throw AppError.invalid([
          { field: "url", message: `${refused}; private upstreams need SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS=true` },
        ]);
      }
    }
    const headers = validHeaders(input.auth);
    await this.changes.commit(
      "server.updated",
      async (tx) => {
        await requireServerInScope(tx, id);
        const current = await tx.mcpServer.findUnique({ where: { id }, select: { revision: true } });
        if (!current) throw AppError.notFound("Server");
        if (expected !== undefined && current.revision !== expected) {
          throw new AppError("PRECONDITION_FAILED", "The server changed since it was read; read it again");
        }
        const updated = await tx.mcpServer.updateMany({
          where: { id, revision: current.revision },
          data: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.url !== undefined ? { url: input.url } : {}),
            ...(input.toolApproval !== undefined ? { toolApproval: input.toolApproval } : {}),
            ...(input.description !== undefined ? { description: input.description || null } : {}),
            ...(input.tags !== undefined ? { tags: [...new Set(input.tags)] } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.auth !== undefined
              ? {
                  authType: headers ? ("headers" as const) : ("none" as const),
                  authSecret: headers
                    ? (this.vault.encrypt(Buffer.from(JSON.stringify(headers)), serverHeadersBinding(id)) as object)
                    : Prisma.DbNull,
                }
              : {}),
            revision: { increment: 1 },
          },
        });
        if (updated.count === 0) {
          throw new AppError("PRECONDITION_FAILED", "The server changed since it was read; read it again");
        }
      },
      { target: { type: "server", id } },
    );
    if (input.url !== undefined || input.auth !== undefined) await this.catalog.sync(id);
    return this.get(id);
  }

  /** Deletes the server with every grant on it. */
  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "server.deleted",
      async (tx) => {
        await requireServerInScope(tx, id);
        const deleted = await tx.mcpServer.deleteMany({ where: { id } });
        if (deleted.count === 0) throw AppError.notFound("Server");
        await tx.grant.deleteMany({ where: { targetType: "server", targetId: id } });
      },
      { target: { type: "server", id } },
    );
  }

  /** Header values never leave the vault through the API: only their names are shown. */
  private present(server: McpServer): ServerView {
    const record = serverHeadersRecord(server);
    let auth: ServerView["auth"] = { type: "none" };
    if (record) {
      const headers = this.vault.decrypt(record, serverHeadersBinding(server.id));
      try {
        auth = { type: "headers", headerNames: Object.keys(JSON.parse(headers.toString("utf8"))) };
      } finally {
        headers.fill(0);
      }
    }
    return {
      id: server.id,
      name: server.name,
      slug: server.slug,
      groupId: server.groupId,
      url: server.url,
      auth,
      toolApproval: server.toolApproval,
      description: server.description,
      tags: server.tags,
      enabled: server.enabled,
      revision: server.revision,
      catalog: { syncedAt: server.catalogSyncedAt, error: server.catalogError },
      health: { status: server.healthStatus, checkedAt: server.healthCheckedAt, latencyMs: server.healthLatencyMs },
      createdAt: server.createdAt,
    };
  }
}

/** The revision an ETag names: `"3"` or `W/"3"`; anything else matches nothing. */
function revisionOf(etag: string): number {
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(etag.trim());
  return match ? Number(match[1]) : -1;
}
