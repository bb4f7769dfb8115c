import { Injectable } from "@nestjs/common";
import type { VirtualServer, VirtualServerTool } from "@switchboard/database";
import { AppError, type FieldError } from "../../common/app-error.js";
import { type Page, type PageQuery, pageArguments, toPage } from "../../common/cursor-pagination.js";
import { PrismaService } from "../../common/prisma.service.js";
import { isUniqueViolation } from "../../common/prisma-errors.js";
import { PolicyChanges } from "../../snapshots/policy-changes.js";
import { SLUG_PATTERN } from "../dto/server.dto.js";
import { slugFromName } from "../slug-from-name.js";
import type { CreateVirtualServerDto, VirtualServerView } from "./dto/virtual-server.dto.js";

type Stored = VirtualServer & { tools: VirtualServerTool[] };

function present(server: Stored): VirtualServerView {
  return {
    id: server.id,
    name: server.name,
    slug: server.slug,
    description: server.description,
    tools: [...server.tools]
      .sort((a, b) => a.position - b.position)
      .map((tool) => ({ name: tool.name, serverId: tool.serverId, tool: tool.tool, description: tool.description })),
    createdAt: server.createdAt,
  };
}

/** Virtual MCP servers: curated tools from several servers under one endpoint, no deployment. */
@Injectable()
export class VirtualServersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async create(input: CreateVirtualServerDto): Promise<VirtualServerView> {
    const slug = input.slug ?? slugFromName(input.name);
    if (!SLUG_PATTERN.test(slug)) {
      throw AppError.invalid([{ field: "slug", message: "no valid slug can be derived from the name; give one" }]);
    }
    const tools = input.tools.map((tool, position) => ({ ...tool, name: tool.name ?? tool.tool, position }));
    const duplicates = tools.filter((tool, index) => tools.findIndex((other) => other.name === tool.name) !== index);
    if (duplicates.length > 0) {
      throw AppError.invalid(
        duplicates.map((tool) => ({ field: `tools[${tool.position}].name`, message: `"${tool.name}" is used twice` })),
      );
    }
    try {
      const created = await this.changes.commit("virtual-server.created", async (tx) => {
        const errors: FieldError[] = [];
        for (const tool of tools) {
          const known = await tx.mcpTool.findUnique({
            where: { serverId_name: { serverId: tool.serverId, name: tool.tool } },
            select: { sha256: true },
          });
          if (!known || known.sha256 === null) {
            errors.push({ field: `tools[${tool.position}].tool`, message: `no tool "${tool.tool}" on that server` });
          }
        }
        if (errors.length > 0) throw AppError.invalid(errors);
        return tx.virtualServer.create({
          data: {
            name: input.name,
            slug,
            description: input.description ?? null,
            tools: {
              create: tools.map((tool) => ({
                serverId: tool.serverId,
                tool: tool.tool,
                name: tool.name,
                description: tool.description ?? null,
                position: tool.position,
              })),
            },
          },
          include: { tools: true },
        });
      });
      return present(created);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A virtual server "${slug}" already exists`);
      throw error;
    }
  }

  async list(query: PageQuery): Promise<Page<VirtualServerView>> {
    const rows = await this.prisma.client.virtualServer.findMany({ ...pageArguments(query), include: { tools: true } });
    return toPage(rows, query.limit, present);
  }

  async get(id: string): Promise<VirtualServerView> {
    const server = await this.prisma.client.virtualServer.findUnique({ where: { id }, include: { tools: true } });
    if (!server) throw AppError.notFound("Virtual server");
    return present(server);
  }

  /** Deletes the virtual server and every grant on it. */
  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "virtual-server.deleted",
      async (tx) => {
        const deleted = await tx.virtualServer.deleteMany({ where: { id } });
        if (deleted.count === 0) throw AppError.notFound("Virtual server");
        await tx.grant.deleteMany({ where: { targetType: "virtual_server", targetId: id } });
      },
      { target: { type: "virtual-server", id } },
    );
  }
}
