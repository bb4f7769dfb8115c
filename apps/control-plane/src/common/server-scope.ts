import type { PrismaClientOrTransaction } from "@switchboard/database";
import { AppError } from "./app-error.js";
import { actorGroupScope } from "./request-actor.js";

/** A Prisma filter keeping a server query within the current actor's groups. */
export function serversInScope(): { groupId?: { in: string[] } } {
  const scope = actorGroupScope();
  return scope === null ? {} : { groupId: { in: scope } };
}

/** Throws 403 when the group is not one the current actor manages (org admins manage all). */
export function requireGroupInScope(groupId: string): void {
  const scope = actorGroupScope();
  if (scope !== null && !scope.includes(groupId)) {
    throw new AppError("FORBIDDEN", "This server group is not one you manage");
  }
}

/** The server, or 404; 403 when it belongs to a group the current actor does not manage. */
export async function requireServerInScope(db: PrismaClientOrTransaction, serverId: string) {
  const server = await db.mcpServer.findUnique({ where: { id: serverId }, select: { id: true, groupId: true } });
  if (!server) throw AppError.notFound("Server");
  requireGroupInScope(server.groupId);
  return server;
}

/** Org admins only: for actions that span groups (virtual servers, grants on them). */
export function requireAllGroups(): void {
  if (actorGroupScope() !== null) throw new AppError("FORBIDDEN", "Only org admins can do this");
}
