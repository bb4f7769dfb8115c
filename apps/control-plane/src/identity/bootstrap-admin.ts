import { Inject, Injectable, type OnModuleInit } from "@nestjs/common";
import { digestAccessToken, displayPrefixOf, mintAccessToken } from "@switchboard/snapshot";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";

const BOOTSTRAP_EMAIL = "admin@switchboard.local";

/**
 * Makes sure someone can use the admin API: the configured bootstrap token is provisioned for the
 * bootstrap admin (idempotently); with none configured and no org admin yet, one is minted once.
 */
@Injectable()
export class BootstrapAdmin implements OnModuleInit {
  /** Set only when this start minted the token; the caller prints it once. */
  generatedToken: string | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    let token = this.config.bootstrapAdminToken;
    if (!token) {
      if ((await this.prisma.client.user.count({ where: { role: "org_admin" } })) > 0) return;
      token = mintAccessToken();
      this.generatedToken = token;
    }
    const digest = digestAccessToken(token, this.config.tokenDigestKey);
    if (await this.prisma.client.accessToken.findUnique({ where: { digest }, select: { id: true } })) return;
    const secret = token;
    await this.changes.commit("bootstrap-admin.provisioned", async (tx) => {
      const admin = await tx.user.upsert({
        where: { email: BOOTSTRAP_EMAIL },
        create: { email: BOOTSTRAP_EMAIL, name: "Bootstrap admin", role: "org_admin" },
        update: { role: "org_admin", status: "active" },
      });
      await tx.accessToken.create({
        data: { userId: admin.id, name: "bootstrap", displayPrefix: displayPrefixOf(secret), digest },
      });
    });
  }
}
