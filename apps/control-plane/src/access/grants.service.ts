import { Injectable } from "@nestjs/common";
import type { Grant } from "@switchboard/database";
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
    const filter = {
      ...(query.subjectId ? { subjectId: query.subjectId } : {}),
      ...(query.targetId ? { targetId: query.targetId } : {}),
    };
    const rows = await this.prisma.client.grant.findMany({ ...page, where: { ...filter, ...page.where } });
    return toPage(rows, query.limit, present);
  }

  async get(id: string): Promise<GrantView> {
    const grant = await this.prisma.client.grant.findUnique({ where: { id } });
    if (!grant) throw AppError.notFound("Grant");
    return present(grant);
  }

  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "grant.deleted",
      async (tx) => {
        const deleted = await tx.grant.deleteMany({ where: { id } });
        if (deleted.count === 0) throw AppError.notFound("Grant");
      },
      { target: { type: "grant", id } },
    );
  }
}
