import type { GrantSubjectType, GrantTargetType, PrismaTransactionClient } from "@switchboard/database";
import { AppError } from "./app-error.js";

/** API names ("virtual-server") ↔ column values ("virtual_server"). */
export const targetTypeColumn = (type: "server" | "virtual-server"): GrantTargetType =>
  type === "server" ? "server" : "virtual_server";
export const targetTypeName = (type: GrantTargetType): "server" | "virtual-server" =>
  type === "server" ? "server" : "virtual-server";
export const subjectTypeColumn = (type: "user" | "team" | "virtual-account"): GrantSubjectType =>
  type === "virtual-account" ? "virtual_account" : type;
export const subjectTypeName = (type: GrantSubjectType): "user" | "team" | "virtual-account" =>
  type === "virtual_account" ? "virtual-account" : type;

/** Throws 404 naming the field when a referenced server or virtual server does not exist. */
export async function requireTargets(
  tx: PrismaTransactionClient,
  targets: { type: "server" | "virtual-server"; id: string }[],
  field: string,
): Promise<void> {
  for (const [index, target] of targets.entries()) {
    const found =
      target.type === "server"
        ? await tx.mcpServer.findUnique({ where: { id: target.id }, select: { id: true } })
        : await tx.virtualServer.findUnique({ where: { id: target.id }, select: { id: true } });
    if (!found) throw AppError.notFound(`Target ${target.type} (${field}[${index}])`);
  }
}

/** Throws 404 when the grant's subject does not exist. */
export async function requireSubject(
  tx: PrismaTransactionClient,
  subject: { type: "user" | "team" | "virtual-account"; id: string },
): Promise<void> {
  const where = { where: { id: subject.id }, select: { id: true } };
  const found =
    subject.type === "user"
      ? await tx.user.findUnique(where)
      : subject.type === "team"
        ? await tx.team.findUnique(where)
        : await tx.virtualAccount.findUnique(where);
  if (!found) throw AppError.notFound(`Subject ${subject.type}`);
}
