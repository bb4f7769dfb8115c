/**
 * What an admin API route requires. Org admins hold every permission. Server-group managers hold
 * the registry and access permissions, limited by the services to their own groups' servers.
 * Members hold none.
 */
export enum Permission {
  IdentityManage = "identity:manage",
  /** Servers and their tool catalogs (group managers: their groups' servers only). */
  RegistryManage = "registry:manage",
  /** Grants (group managers: on their groups' servers only). */
  AccessManage = "access:manage",
  /** Virtual servers, which span groups. */
  VirtualServerManage = "virtual-server:manage",
  /** Effective access and explain for any principal. */
  AccessExplain = "access:explain",
  FleetRead = "fleet:read",
  AuditRead = "audit:read",
}

export type EffectiveRole = "org_admin" | "group_manager" | "member";

export const ROLE_PERMISSIONS: Record<EffectiveRole, ReadonlySet<Permission>> = {
  org_admin: new Set(Object.values(Permission)),
  group_manager: new Set([Permission.RegistryManage, Permission.AccessManage]),
  member: new Set(),
};
