import { Inject, Injectable, type OnModuleInit } from "@nestjs/common";
import type { McpServer, PrismaTransactionClient, PolicySnapshot as StoredSnapshot } from "@switchboard/database";
import {
  DataPlaneSealer,
  type PinnedTool,
  type PolicySnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotServer,
  type TargetRef,
} from "@switchboard/snapshot";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { subjectTypeName, targetTypeName } from "../common/policy-refs.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CredentialVault } from "../credentials/credential-vault.js";
import { serverHeadersBinding, serverHeadersRecord } from "../registry/server-auth.js";
import { SnapshotSigner } from "./snapshot-signer.js";

const COMPILE_TIMEOUT_MS = 60_000;
/** A burst of requests may hold every pooled connection for a moment; the compile waits its turn. */
const CONNECTION_WAIT_MS = 10_000;

/**
 * Compiles the whole policy at the latest revision into one signed, stored snapshot. Everything is
 * read in a single REPEATABLE READ transaction, so the document is self-consistent and contains
 * exactly the changes up to its version. Callers hold the snapshot-publication lock.
 */
@Injectable()
export class SnapshotCompiler implements OnModuleInit {
  private sealer!: DataPlaneSealer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly vault: CredentialVault,
    private readonly signer: SnapshotSigner,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.sealer = await DataPlaneSealer.fromPublicJwk(this.config.dataPlanePublicKey);
  }

  /** The stored snapshot of the latest revision, compiled, signed and stored if it does not exist yet. */
  compileLatest(): Promise<StoredSnapshot> {
    return this.prisma.client.$transaction(
      async (tx) => {
        const latest = await tx.policyRevision.aggregate({ _max: { version: true } });
        const version = latest._max.version;
        if (version === null) throw new Error("no policy revision exists yet");
        const existing = await tx.policySnapshot.findUnique({ where: { version } });
        if (existing) return existing;
        const signed = await this.signer.sign(await this.readPolicy(tx, Number(version)));
        return tx.policySnapshot.create({
          data: { version, sha256: signed.sha256, sizeBytes: signed.size, envelope: Buffer.from(signed.envelope) },
        });
      },
      { isolationLevel: "RepeatableRead", timeout: COMPILE_TIMEOUT_MS, maxWait: CONNECTION_WAIT_MS },
    );
  }

  /** Every list is ordered by id so equal policies give equal documents. */
  private async readPolicy(tx: PrismaTransactionClient, version: number): Promise<PolicySnapshot> {
    const now = new Date();
    const users = await tx.user.findMany({
      orderBy: { id: "asc" },
      select: { id: true, email: true, name: true, status: true, teams: { select: { teamId: true } } },
    });
    const teams = await tx.team.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } });
    const accounts = await tx.virtualAccount.findMany({ orderBy: { id: "asc" } });
    // A deactivated owner's tokens are left out, not just flagged: they stop working even on a
    // gateway that forgot to check the owner.
    const tokens = await tx.accessToken.findMany({
      where: {
        revokedAt: null,
        AND: [
          { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
          { OR: [{ user: { status: "active" } }, { virtualAccount: { status: "active" } }] },
        ],
      },
      select: { id: true, userId: true, virtualAccountId: true, digest: true, expiresAt: true, scope: true },
      orderBy: { id: "asc" },
    });
    const servers = await tx.mcpServer.findMany({ orderBy: { id: "asc" } });
    const pins = await this.readPins(tx);
    const virtualServers = await tx.virtualServer.findMany({
      orderBy: { id: "asc" },
      include: { tools: { orderBy: { position: "asc" } } },
    });
    const grants = await tx.grant.findMany({ orderBy: { id: "asc" } });
    return {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      version,
      issuedAt: now.toISOString(),
      users: users.map((user) => ({
        id: user.id,
        email: user.email,
        name: user.name,
        active: user.status === "active",
        teamIds: user.teams.map((membership) => membership.teamId).sort(),
      })),
      teams,
      virtualAccounts: accounts.map((account) => ({
        id: account.id,
        name: account.name,
        teamId: account.teamId,
        active: account.status === "active",
      })),
      tokens: tokens.map((token) => ({
        id: token.id,
        owner: token.userId
          ? { type: "user" as const, id: token.userId }
          : { type: "virtual-account" as const, id: token.virtualAccountId as string },
        digest: token.digest,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        scope: (token.scope as TargetRef[] | null) ?? null,
      })),
      servers: await Promise.all(servers.map((server) => this.compileServer(server, pins.get(server.id) ?? []))),
      virtualServers: virtualServers.map((server) => ({
        id: server.id,
        slug: server.slug,
        name: server.name,
        tools: server.tools.map((tool) => ({
          name: tool.name,
          serverId: tool.serverId,
          tool: tool.tool,
          description: tool.description,
        })),
      })),
      grants: grants.map((grant) => ({
        id: grant.id,
        subject: { type: subjectTypeName(grant.subjectType), id: grant.subjectId },
        target: { type: targetTypeName(grant.targetType), id: grant.targetId },
        tools: grant.toolMode === "all" ? { mode: "all" as const } : { mode: grant.toolMode, names: grant.tools },
      })),
    };
  }

  /** Approved tools whose current definition is still the approved one, per server: the pins. */
  private async readPins(tx: PrismaTransactionClient): Promise<Map<string, PinnedTool[]>> {
    const approved = await tx.mcpTool.findMany({
      where: { approvedSha256: { not: null }, sha256: { not: null } },
      select: { serverId: true, name: true, sha256: true, approvedSha256: true },
      orderBy: [{ serverId: "asc" }, { name: "asc" }],
    });
    const pins = new Map<string, PinnedTool[]>();
    for (const tool of approved) {
      // A changed definition is not pinned: gateways hide the tool until the change is approved.
      if (tool.sha256 !== tool.approvedSha256) continue;
      const list = pins.get(tool.serverId) ?? [];
      list.push({ name: tool.name, sha256: tool.approvedSha256 as string });
      pins.set(tool.serverId, list);
    }
    return pins;
  }

  /** Header values leave the vault only to be sealed at once for the data plane. */
  private async compileServer(server: McpServer, tools: PinnedTool[]): Promise<SnapshotServer> {
    const base = {
      id: server.id,
      slug: server.slug,
      name: server.name,
      url: server.url,
      enabled: server.enabled,
      tools,
    };
    const record = serverHeadersRecord(server);
    if (!record) return { ...base, auth: { type: "none" } };
    const headers = this.vault.decrypt(record, serverHeadersBinding(server.id));
    try {
      return { ...base, auth: { type: "headers", sealedHeaders: await this.sealer.seal(headers) } };
    } finally {
      headers.fill(0);
    }
  }
}
