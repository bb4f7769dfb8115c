import { Inject, Injectable, type OnApplicationShutdown } from "@nestjs/common";
import { createPrismaClient, type PrismaClient } from "@switchboard/database";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CONTROL_PLANE_CONFIG } from "./injection-tokens.js";

/**
 * The one Prisma client of the process. It disconnects in the last shutdown phase (its module is
 * global, so its hooks run after every other module's), once requests and snapshot publication are done.
 */
@Injectable()
export class PrismaService implements OnApplicationShutdown {
  readonly client: PrismaClient;

  constructor(@Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig) {
    this.client = createPrismaClient(config.databaseUrl);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
  }
}
