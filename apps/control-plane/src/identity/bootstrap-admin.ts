import { Inject, Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { digestAccessToken, displayPrefixOf, mintAccessToken } from "@switchboard/snapshot";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";

const BOOTSTRAP_ADMIN_EMAIL = "admin@switchboard.local";

/**
 * Makes sure someone can use the admin API: the configured bootstrap token is provisioned for the
 * bootstrap admin (idempotently); with none configured and no org admin yet, one is minted once.
 */
@Injectable()
export class BootstrapAdmin implements OnModuleInit {
  private readonly logger = new Logger(BootstrapAdmin.name);
  /** Set only when this start minted the token; the caller prints it once. */
  generatedToken: string | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.bootstrapAdminToken;
    if (configured) return this.provision(configured);
    if ((await this.prisma.client.user.count({ where: { role: "org_admin" } })) > 0) return;
    const minted = mintAccessToken();
    await this.provision(minted);
    this.generatedToken = minted;
  }

  private async provision(token: string): Promise<void> {
    const digest = digestAccessToken(token, this.config.tokenDigestKey);
    const existing = await this.prisma.client.accessToken.findUnique({ where: { digest }, include: { user: true } });
    if (existing) {
      // An admin revoked it or demoted its user on purpose; a restart must not undo that.
      if (existing.revokedAt || existing.user?.status !== "active" || existing.user.role !== "org_admin") {
        this.logger.warn("SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN is revoked or no longer an active org admin's; left as is");
      }
      return;
    }
    await this.changes.commit("bootstrap-admin.provisioned", async (tx) => {
      const admin = await tx.user.upsert({
        where: { email: BOOTSTRAP_ADMIN_EMAIL },
        create: { email: BOOTSTRAP_ADMIN_EMAIL, name: "Bootstrap admin", role: "org_admin" },
        update: { role: "org_admin", status: "active" },
      });
      await tx.accessToken.create({
        data: { userId: admin.id, name: "bootstrap", displayPrefix: displayPrefixOf(token), digest },
      });
    });
  }
}
