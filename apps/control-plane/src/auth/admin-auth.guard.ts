import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { digestAccessToken } from "@switchboard/snapshot";
import type { FastifyRequest } from "fastify";
import { AppError } from "../common/app-error.js";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import { PrismaService } from "../common/prisma.service.js";
import { actAs } from "../common/request-actor.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { type Permission, ROLE_PERMISSIONS } from "./permissions.js";
import { PERMISSION_KEY, PUBLIC_KEY } from "./route-access.decorators.js";

/**
 * The only place that decides access to the admin API. Deny by default: a route must be marked
 * public or declare the permission it needs, and the caller's token must be live.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly logger = new Logger(AdminAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly prisma: PrismaService,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} declares no permission`);
      throw new AppError("FORBIDDEN", "This route is not available");
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (!token) throw new AppError("UNAUTHENTICATED", "A bearer token is required");
    const record = await this.prisma.client.accessToken.findUnique({
      where: { digest: digestAccessToken(token, this.config.tokenDigestKey) },
      include: { user: true },
    });
    const live = record && !record.revokedAt && (!record.expiresAt || record.expiresAt > new Date());
    if (!live) throw new AppError("UNAUTHENTICATED", "The bearer token is not valid");
    // Virtual-account tokens are for calling tools at gateways, never for administration.
    if (!record.user) throw new AppError("FORBIDDEN", "Virtual-account tokens cannot use the admin API");
    if (record.user.status !== "active") throw new AppError("UNAUTHENTICATED", "The bearer token is not valid");
    const managedGroupIds =
      record.user.role === "org_admin"
        ? null
        : (await this.prisma.client.serverGroupManager.findMany({ where: { userId: record.user.id } })).map(
            (managed) => managed.groupId,
          );
    const role = managedGroupIds === null ? "org_admin" : managedGroupIds.length > 0 ? "group_manager" : "member";
    if (!ROLE_PERMISSIONS[role].has(permission)) {
      throw new AppError("FORBIDDEN", `This action requires the ${permission} permission`);
    }
    actAs({ type: "user", id: record.user.id, managedGroupIds });
    return true;
  }
}
