import { type DynamicModule, Global, Module } from "@nestjs/common";
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from "@nestjs/core";
import type { PolicyBus } from "@switchboard/bus";
import { AccessModule } from "./access/access.module.js";
import { AuditModule } from "./audit/audit.module.js";
import { AdminAuthGuard } from "./auth/admin-auth.guard.js";
import { RouteAccessAudit } from "./auth/route-access-audit.js";
import { IdempotencyInterceptor } from "./common/idempotency.interceptor.js";
import { CONTROL_PLANE_CONFIG, POLICY_BUS } from "./common/injection-tokens.js";
import { PrismaService } from "./common/prisma.service.js";
import { ProblemDetailsFilter } from "./common/problem-details.filter.js";
import { createValidationPipe } from "./common/validation-pipe.js";
import type { ControlPlaneConfig } from "./config/control-plane-config.js";
import { HealthModule } from "./health/health.module.js";
import { IdentityModule } from "./identity/identity.module.js";
import { RegistryModule } from "./registry/registry.module.js";
import { SnapshotsModule } from "./snapshots/snapshots.module.js";

/** Configuration, the database and the bus, shared by every bounded context. */
@Global()
@Module({})
class CoreModule {
  static register(config: ControlPlaneConfig, bus: PolicyBus): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONTROL_PLANE_CONFIG, useValue: config },
        { provide: POLICY_BUS, useValue: bus },
        PrismaService,
      ],
      exports: [CONTROL_PLANE_CONFIG, POLICY_BUS, PrismaService],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: ControlPlaneConfig, bus: PolicyBus): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, bus),
        DiscoveryModule,
        SnapshotsModule,
        IdentityModule,
        AuditModule,
        RegistryModule,
        AccessModule,
        HealthModule,
      ],
      providers: [
        RouteAccessAudit,
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
