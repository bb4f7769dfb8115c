import { Inject, Injectable } from "@nestjs/common";
import { buildPolicyIndex, type PolicyIndex, publicSnapshotJwk, SnapshotVerifier } from "@switchboard/snapshot";
import { AppError } from "../common/app-error.js";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";

/**
 * The latest compiled snapshot as the gateways see it: verified with the fleet's own public key and
 * indexed by the same code. Kept per version, so explaining costs no recompilation.
 */
@Injectable()
export class CompiledPolicy {
  private readonly verifier: SnapshotVerifier;
  private cached: { version: bigint; index: Promise<PolicyIndex> } | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.verifier = new SnapshotVerifier([publicSnapshotJwk(config.snapshotSigningKey)]);
  }

  async latest(): Promise<PolicyIndex> {
    const head = await this.prisma.client.policySnapshot.findFirst({
      orderBy: { version: "desc" },
      select: { version: true },
    });
    if (!head) throw new AppError("SERVICE_UNAVAILABLE", "No snapshot has been compiled yet");
    if (this.cached?.version !== head.version) {
      const index = this.load(head.version);
      this.cached = { version: head.version, index };
      index.catch(() => {
        if (this.cached?.index === index) this.cached = undefined;
      });
    }
    return this.cached.index;
  }

  private async load(version: bigint): Promise<PolicyIndex> {
    const row = await this.prisma.client.policySnapshot.findUniqueOrThrow({ where: { version } });
    const verified = await this.verifier.verify(row.envelope, 0);
    return buildPolicyIndex(verified.snapshot, verified.sha256);
  }
}
