import { Injectable } from "@nestjs/common";
import type { Grant, PrismaClientOrTransaction } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, pageArguments, toPage } from "../common/cursor-pagination.js";
import {
  requireSubject,
  requireTargets,
  subjectTypeColumn,
  subjectTypeName,
  targetTypeColumn,
  targetTypeName,
} from "../common/policy-refs.js";
import { PrismaService } from "../common/prisma.service.js";
import { actorGroupScope } from "../common/request-actor.js";
import { requireAllGroups, requireServerInScope, serversInScope } from "../common/server-scope.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreateGrantDto, GrantQuery, GrantView } from "./dto/grant.dto.js";

function present(grant: Grant): GrantView {
  return {
    id: grant.id,
    subject: { type: subjectTypeName(grant.subjectType), id: grant.subjectId },
    target: { type: targetTypeName(grant.targetType), id: grant.targetId },
    tools: grant.toolMode === "all" ? { mode: "all" } : { mode: grant.toolMode, names: grant.tools },
    createdAt: grant.createdAt,
  };
}

@Injectable()
export class GrantsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async create(input: CreateGrantDto): Promise<GrantView> {
    const mode = input.tools?.mode ?? "all";
    const names = input.tools?.names;
    if (mode === "all" && names !== undefined) {
      throw AppError.invalid([{ field: "tools.names", message: 'not allowed with mode "all"' }]);
    }
    if (mode !== "all" && (names === undefined || names.length === 0)) {
      throw AppError.invalid([{ field: "tools.names", message: `mode "${mode}" needs at least one tool name` }]);
    }
    const grant = await this.changes.commit("grant.created", async (tx) => {
      await requireSubject(tx, input.subject);
      await requireTargets(tx, [input.target], "target");
      await requireTargetInScope(tx, input.target.type, input.target.id);
      return tx.grant.create({
        data: {
          subjectType: subjectTypeColumn(input.subject.type),
          subjectId: input.subject.id,
          targetType: targetTypeColumn(input.target.type),
          targetId: input.target.id,
          toolMode: mode,
          tools: [...new Set(names ?? [])],
        },
      });
    });
    return present(grant);
  }

  async list(query: GrantQuery): Promise<Page<GrantView>> {
    const page = pageArguments(query);
    const scope = actorGroupScope();
    const scopedServers =
      scope === null
        ? undefined
        : (await this.prisma.client.mcpServer.findMany({ where: serversInScope(), select: { id: true } })).map(
            (server) => server.id,
          );
    const filter = {
      ...(query.subjectId ? { subjectId: query.subjectId } : {}),
      ...(query.targetId ? { targetId: query.targetId } : {}),
      ...(scopedServers ? { targetType: "server" as const, AND: [{ targetId: { in: scopedServers } }] } : {}),
    };
    const rows = await this.prisma.client.grant.findMany({ ...page, where: { ...filter, ...page.where } });
    return toPage(rows, query.limit, present);
  }

  async get(id: string): Promise<GrantView> {
    const grant = await this.prisma.client.grant.findUnique({ where: { id } });
    if (!grant) throw AppError.notFound("Grant");
    await requireTargetInScope(this.prisma.client, targetTypeName(grant.targetType), grant.targetId);
    return present(grant);
  }

  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "grant.deleted",
      async (tx) => {
        const grant = await tx.grant.findUnique({ where: { id } });
        if (!grant) throw AppError.notFound("Grant");
        await requireTargetInScope(tx, targetTypeName(grant.targetType), grant.targetId);
        await tx.grant.delete({ where: { id } });
      },
      { target: { type: "grant", id } },
    );
  }
}

/** Group managers grant only on their groups' servers; virtual servers span groups (org admins). */
async function requireTargetInScope(
  db: PrismaClientOrTransaction,
  type: "server" | "virtual-server",
  id: string,
): Promise<void> {
  if (type === "virtual-server") requireAllGroups();
  else await requireServerInScope(db, id);
}
