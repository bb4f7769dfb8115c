import { randomUUID } from "node:crypto";
import { Injectable } from "@nestjs/common";
import type { McpServer } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, type PageQuery, pageArguments, toPage } from "../common/cursor-pagination.js";
import { PrismaService } from "../common/prisma.service.js";
import { isUniqueViolation } from "../common/prisma-errors.js";
import { CredentialVault } from "../credentials/credential-vault.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import { type CreateServerDto, type ServerView, SLUG_PATTERN } from "./dto/server.dto.js";
import { type StoredServerAuth, serverHeadersBinding } from "./server-auth.js";

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "accept",
  "mcp-session-id",
  "mcp-protocol-version",
  "connection",
  "transfer-encoding",
]);

function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
}

function present(server: McpServer): ServerView {
  const auth = server.authSecret as StoredServerAuth | null;
  return {
    id: server.id,
    name: server.name,
    slug: server.slug,
    url: server.url,
    auth: server.authType === "headers" ? { type: "headers", headerNames: auth?.headerNames ?? [] } : { type: "none" },
    createdAt: server.createdAt,
  };
}

@Injectable()
export class ServersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    private readonly vault: CredentialVault,
  ) {}

  async create(input: CreateServerDto): Promise<ServerView> {
    const slug = input.slug ?? slugFromName(input.name);
    if (!SLUG_PATTERN.test(slug)) {
      throw new AppError("VALIDATION_FAILED", "The request is not valid", {
        fieldErrors: [{ field: "slug", message: "no valid slug can be derived from the name; give one" }],
      });
    }
    const id = randomUUID();
    const headers = input.auth?.type === "headers" ? this.validHeaders(input.auth.headers) : undefined;
    const authSecret: StoredServerAuth | undefined = headers && {
      headerNames: Object.keys(headers),
      headers: this.vault.encrypt(Buffer.from(JSON.stringify(headers)), serverHeadersBinding(id)),
    };
    try {
      const server = await this.changes.commit("server.created", (tx) =>
        tx.mcpServer.create({
          data: { id, name: input.name, slug, url: input.url, authType: headers ? "headers" : "none", authSecret },
        }),
      );
      return present(server);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A server with the slug "${slug}" already exists`);
      throw error;
    }
  }

  async list(query: PageQuery): Promise<Page<ServerView>> {
    const rows = await this.prisma.client.mcpServer.findMany(pageArguments(query));
    return toPage(rows, query.limit, present);
  }

  async get(id: string): Promise<ServerView> {
    const server = await this.prisma.client.mcpServer.findUnique({ where: { id } });
    if (!server) throw AppError.notFound("Server");
    return present(server);
  }

  async remove(id: string): Promise<void> {
    await this.changes.commit("server.deleted", async (tx) => {
      const deleted = await tx.mcpServer.deleteMany({ where: { id } });
      if (deleted.count === 0) throw AppError.notFound("Server");
      await tx.grant.deleteMany({ where: { targetType: "server", targetId: id } });
    });
  }

  private validHeaders(headers: Record<string, string> | undefined): Record<string, string> {
    const entries = Object.entries(headers ?? {});
    const problems = entries.flatMap(([name, value]) => {
      if (!HEADER_NAME.test(name)) return [{ field: `auth.headers.${name}`, message: "not a valid header name" }];
      if (RESERVED_HEADERS.has(name.toLowerCase()))
        return [{ field: `auth.headers.${name}`, message: "set by the gateway itself" }];
      if (typeof value !== "string" || /[\r\n]/.test(value))
        return [{ field: `auth.headers.${name}`, message: "must be a single-line string" }];
      return [];
    });
    if (entries.length === 0)
      problems.push({ field: "auth.headers", message: "headers auth needs at least one header" });
    if (problems.length > 0)
      throw new AppError("VALIDATION_FAILED", "The request is not valid", { fieldErrors: problems });
    return Object.fromEntries(entries);
  }
}
