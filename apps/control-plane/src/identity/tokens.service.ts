import { Inject, Injectable } from "@nestjs/common";
import { type AccessToken, Prisma, type PrismaTransactionClient } from "@switchboard/database";
import { digestAccessToken, displayPrefixOf, mintAccessToken } from "@switchboard/snapshot";
import { AppError } from "../common/app-error.js";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { requireTargets } from "../common/policy-refs.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreatedTokenView, CreateTokenDto, TokenList, TokenView } from "./dto/token.dto.js";

export type TokenOwner = { type: "user" | "virtual-account"; id: string };

function present(token: AccessToken): TokenView {
  return {
    id: token.id,
    owner: token.userId
      ? { type: "user", id: token.userId }
      : { type: "virtual-account", id: token.virtualAccountId as string },
    name: token.name,
    scope: (token.scope as TokenView["scope"]) ?? null,
    displayPrefix: token.displayPrefix,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
    lastUsedAt: token.lastUsedAt,
    createdAt: token.createdAt,
  };
}

const ownerColumn = (owner: TokenOwner) =>
  owner.type === "user" ? { userId: owner.id } : { virtualAccountId: owner.id };

@Injectable()
export class TokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  /** Mints a token; the secret is in this answer only, the database keeps its HMAC digest. */
  async create(owner: TokenOwner, input: CreateTokenDto): Promise<CreatedTokenView> {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw AppError.invalid([{ field: "expiresAt", message: "expiresAt must be in the future" }]);
    }
    const token = mintAccessToken();
    const record = await this.changes.commit("token.created", async (tx) => {
      await this.requireOwner(tx, owner);
      if (input.scope) await requireTargets(tx, input.scope, "scope");
      return tx.accessToken.create({
        data: {
          ...ownerColumn(owner),
          scope: input.scope ? input.scope.map(({ type, id }) => ({ type, id })) : Prisma.DbNull,
          name: input.name,
          displayPrefix: displayPrefixOf(token),
          digest: digestAccessToken(token, this.config.tokenDigestKey),
          expiresAt,
        },
      });
    });
    return { ...present(record), token };
  }

  async listFor(owner: TokenOwner): Promise<TokenList> {
    await this.requireOwner(this.prisma.client, owner);
    const tokens = await this.prisma.client.accessToken.findMany({
      where: ownerColumn(owner),
      orderBy: { createdAt: "asc" },
    });
    return { items: tokens.map(present) };
  }

  private async requireOwner(tx: PrismaTransactionClient, owner: TokenOwner): Promise<void> {
    const where = { where: { id: owner.id }, select: { id: true } };
    const found = owner.type === "user" ? await tx.user.findUnique(where) : await tx.virtualAccount.findUnique(where);
    if (!found) throw AppError.notFound(owner.type === "user" ? "User" : "Virtual account");
  }

  async get(id: string): Promise<TokenView> {
    const token = await this.prisma.client.accessToken.findUnique({ where: { id } });
    if (!token) throw AppError.notFound("Token");
    return present(token);
  }

  async revoke(id: string): Promise<void> {
    await this.changes.commit(
      "token.revoked",
      async (tx) => {
        const revoked = await tx.accessToken.updateMany({
          where: { id, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        if (revoked.count === 0 && !(await tx.accessToken.findUnique({ where: { id }, select: { id: true } }))) {
          throw AppError.notFound("Token");
        }
      },
      { target: { type: "token", id } },
    );
  }
}
