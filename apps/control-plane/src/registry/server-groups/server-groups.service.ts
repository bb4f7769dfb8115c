import { Injectable } from "@nestjs/common";
import type { ServerGroup, ServerGroupManager } from "@switchboard/database";
import { AppError } from "../../common/app-error.js";
import { type Page, type PageQuery, pageArguments, toPage } from "../../common/cursor-pagination.js";
import { PrismaService } from "../../common/prisma.service.js";
import { isUniqueViolation } from "../../common/prisma-errors.js";
import { PolicyChanges } from "../../snapshots/policy-changes.js";
import type { CreateServerGroupDto, ServerGroupView } from "./dto/server-group.dto.js";

function present(group: ServerGroup & { managers: ServerGroupManager[] }): ServerGroupView {
  return {
    id: group.id,
    name: group.name,
    managerIds: group.managers.map((manager) => manager.userId),
    createdAt: group.createdAt,
  };
}

/** Server groups and who manages them: naming managers raises their rights, so org admins only. */
@Injectable()
export class ServerGroupsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async create(input: CreateServerGroupDto): Promise<ServerGroupView> {
    try {
      const group = await this.changes.commit("server-group.created", (tx) =>
        tx.serverGroup.create({ data: { name: input.name }, include: { managers: true } }),
      );
      return present(group);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("CONFLICT", `A server group named "${input.name}" already exists`);
      throw error;
    }
  }

  async list(query: PageQuery): Promise<Page<ServerGroupView>> {
    const rows = await this.prisma.client.serverGroup.findMany({
      ...pageArguments(query),
      include: { managers: true },
    });
    return toPage(rows, query.limit, present);
  }

  async get(id: string): Promise<ServerGroupView> {
    const group = await this.prisma.client.serverGroup.findUnique({ where: { id }, include: { managers: true } });
    if (!group) throw AppError.notFound("Server group");
    return present(group);
  }

  /** Only an empty group can go: its servers would otherwise be left without managers' home. */
  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "server-group.deleted",
      async (tx) => {
        if (!(await tx.serverGroup.findUnique({ where: { id }, select: { id: true } }))) {
          throw AppError.notFound("Server group");
        }
        if ((await tx.mcpServer.count({ where: { groupId: id } })) > 0) {
          throw new AppError("CONFLICT", "The server group still has servers; move or delete them first");
        }
        await tx.serverGroup.delete({ where: { id } });
      },
      { target: { type: "server-group", id } },
    );
  }

  async setManager(groupId: string, userId: string, manages: boolean): Promise<ServerGroupView> {
    await this.changes.commit(
      manages ? "server-group.manager_added" : "server-group.manager_removed",
      async (tx) => {
        if (!(await tx.serverGroup.findUnique({ where: { id: groupId }, select: { id: true } }))) {
          throw AppError.notFound("Server group");
        }
        if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
          throw AppError.notFound("User");
        }
        if (manages) {
          await tx.serverGroupManager.upsert({
            where: { groupId_userId: { groupId, userId } },
            create: { groupId, userId },
            update: {},
          });
        } else {
          await tx.serverGroupManager.deleteMany({ where: { groupId, userId } });
        }
      },
      { target: { type: "server-group", id: groupId } },
    );
    return this.get(groupId);
  }
}
