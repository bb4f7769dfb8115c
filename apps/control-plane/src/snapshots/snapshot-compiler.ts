import { Inject, Injectable, type OnModuleInit } from "@nestjs/common";
import type { PrismaTransactionClient, PolicySnapshot as StoredSnapshot } from "@switchboard/database";
import {
  DataPlaneSealer,
  importSnapshotSigningKey,
  type PolicySnapshot,
  type SnapshotServer,
  type SnapshotSigningKey,
  signSnapshot,
} from "@switchboard/snapshot";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CredentialVault, type VaultRecord } from "../credentials/credential-vault.js";
import { type StoredServerAuth, serverHeadersBinding } from "../registry/server-auth.js";

/**
 * Compiles the whole policy at the latest revision into one signed snapshot, read in a single
 * REPEATABLE READ transaction so the document is self-consistent.
 */
@Injectable()
export class SnapshotCompiler implements OnModuleInit {
  private signingKey!: SnapshotSigningKey;
  private sealer!: DataPlaneSealer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly vault: CredentialVault,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.signingKey = await importSnapshotSigningKey(this.config.snapshotSigningKey);
    this.sealer = await DataPlaneSealer.fromPublicJwk(this.config.dataPlanePublicKey);
  }

  /** The stored snapshot for the latest revision, compiled and signed if it does not exist yet. */
  async compileLatest(): Promise<StoredSnapshot> {
    return this.prisma.client.$transaction(
      async (tx) => {
        const latest = await tx.policyRevision.aggregate({ _max: { version: true } });
        const version = latest._max.version ?? 0n;
        const existing = await tx.policySnapshot.findUnique({ where: { version } });
        if (existing) return existing;
        const signed = await signSnapshot(await this.readPolicy(tx, Number(version)), this.signingKey);
        return tx.policySnapshot.create({
          data: { version, sha256: signed.sha256, sizeBytes: signed.size, envelope: Buffer.from(signed.envelope) },
        });
      },
      { isolationLevel: "RepeatableRead", timeout: 60_000 },
    );
  }

  private async readPolicy(tx: PrismaTransactionClient, version: number): Promise<PolicySnapshot> {
    const now = new Date();
    const users = await tx.user.findMany({ orderBy: { id: "asc" } });
    const tokens = await tx.accessToken.findMany({
      where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { id: "asc" },
    });
    const servers = await tx.mcpServer.findMany({ orderBy: { id: "asc" } });
    const grants = await tx.grant.findMany({ orderBy: { id: "asc" } });
    return {
      schemaVersion: 1,
      version,
      issuedAt: now.toISOString(),
      users: users.map((user) => ({
        id: user.id,
        email: user.email,
        name: user.name,
        active: user.status === "active",
      })),
      tokens: tokens.map((token) => ({
        id: token.id,
        userId: token.userId,
        digest: token.digest,
        expiresAt: token.expiresAt?.toISOString() ?? null,
      })),
      servers: await Promise.all(servers.map((server) => this.compileServer(server))),
      grants: grants.map((grant) => ({
        id: grant.id,
        subject: { type: grant.subjectType, id: grant.subjectId },
        target: { type: grant.targetType, id: grant.targetId },
        tools: grant.allTools ? null : grant.tools,
      })),
    };
  }

  private async compileServer(server: {
    id: string;
    slug: string;
    name: string;
    url: string;
    authType: "none" | "headers";
    authSecret: unknown;
  }): Promise<SnapshotServer> {
    const base = { id: server.id, slug: server.slug, name: server.name, url: server.url };
    if (server.authType === "none") return { ...base, auth: { type: "none" } };
    const stored = server.authSecret as StoredServerAuth;
    const headers = this.vault.decrypt(stored.headers as VaultRecord, serverHeadersBinding(server.id));
    try {
      return { ...base, auth: { type: "headers", sealedHeaders: await this.sealer.seal(headers) } };
    } finally {
      headers.fill(0);
    }
  }
}
