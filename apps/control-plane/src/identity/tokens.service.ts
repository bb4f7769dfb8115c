import { Inject, Injectable } from "@nestjs/common";
import type { AccessToken } from "@switchboard/database";
import { digestAccessToken, displayPrefixOf, mintAccessToken } from "@switchboard/snapshot";
import { AppError } from "../common/app-error.js";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreatedTokenView, CreateTokenDto, TokenList, TokenView } from "./dto/token.dto.js";

function present(token: AccessToken): TokenView {
  return {
    id: token.id,
    userId: token.userId,
    name: token.name,
    displayPrefix: token.displayPrefix,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
    createdAt: token.createdAt,
  };
}

@Injectable()
export class TokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  /** Mints a token; the secret is in this answer only, the database keeps its HMAC digest. */
  async create(userId: string, input: CreateTokenDto): Promise<CreatedTokenView> {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw AppError.invalid([{ field: "expiresAt", message: "expiresAt must be in the future" }]);
    }
    const token = mintAccessToken();
    const record = await this.changes.commit("token.created", async (tx) => {
      if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) throw AppError.notFound("User");
      return tx.accessToken.create({
        data: {
          userId,
          name: input.name,
          displayPrefix: displayPrefixOf(token),
          digest: digestAccessToken(token, this.config.tokenDigestKey),
          expiresAt,
        },
      });
    });
    return { ...present(record), token };
  }

  async listForUser(userId: string): Promise<TokenList> {
    if (!(await this.prisma.client.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
      throw AppError.notFound("User");
    }
    const tokens = await this.prisma.client.accessToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    return { items: tokens.map(present) };
  }

  async get(id: string): Promise<TokenView> {
    const token = await this.prisma.client.accessToken.findUnique({ where: { id } });
    if (!token) throw AppError.notFound("Token");
    return present(token);
  }

  async revoke(id: string): Promise<void> {
    await this.changes.commit("token.revoked", async (tx) => {
      const revoked = await tx.accessToken.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (revoked.count === 0 && !(await tx.accessToken.findUnique({ where: { id }, select: { id: true } }))) {
        throw AppError.notFound("Token");
      }
    });
  }
}
