import { Inject, Injectable, type OnModuleDestroy } from "@nestjs/common";
import { createPrismaClient, type PrismaClient } from "@switchboard/database";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CONTROL_PLANE_CONFIG } from "./injection-tokens.js";

/** The one Prisma client of the process, closed with the application. */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;

  constructor(@Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig) {
    this.client = createPrismaClient(config.databaseUrl);
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}
