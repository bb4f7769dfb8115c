import { Injectable } from "@nestjs/common";
import type { Grant } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, pageArguments, toPage } from "../common/cursor-pagination.js";
import { PrismaService } from "../common/prisma.service.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreateGrantDto, GrantQuery, GrantView } from "./dto/grant.dto.js";

function present(grant: Grant): GrantView {
  return {
    id: grant.id,
    subject: { type: grant.subjectType, id: grant.subjectId },
    target: { type: grant.targetType, id: grant.targetId },
    tools: grant.allTools ? null : grant.tools,
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
    const grant = await this.changes.commit("grant.created", async (tx) => {
      if (!(await tx.user.findUnique({ where: { id: input.subject.id }, select: { id: true } }))) {
        throw AppError.notFound("Subject user");
      }
      if (!(await tx.mcpServer.findUnique({ where: { id: input.target.id }, select: { id: true } }))) {
        throw AppError.notFound("Target server");
      }
      return tx.grant.create({
        data: {
          subjectType: "user",
          subjectId: input.subject.id,
          targetType: "server",
          targetId: input.target.id,
          allTools: input.tools === undefined,
          tools: [...new Set(input.tools ?? [])],
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
    await this.changes.commit("grant.deleted", async (tx) => {
      const deleted = await tx.grant.deleteMany({ where: { id } });
      if (deleted.count === 0) throw AppError.notFound("Grant");
    });
  }
}
