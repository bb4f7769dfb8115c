/** What an admin API route requires. Org admins hold every permission; members none (yet). */
export enum Permission {
  IdentityManage = "identity:manage",
  RegistryManage = "registry:manage",
  AccessManage = "access:manage",
  FleetRead = "fleet:read",
  AuditRead = "audit:read",
}

export const ROLE_PERMISSIONS: Record<"org_admin" | "member", ReadonlySet<Permission>> = {
  org_admin: new Set(Object.values(Permission)),
  member: new Set(),
};
