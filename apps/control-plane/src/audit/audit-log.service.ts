import { Injectable } from "@nestjs/common";
import { AppError } from "../common/app-error.js";
import { PrismaService } from "../common/prisma.service.js";
import type { AuditPage, AuditQuery } from "./dto/audit-event.dto.js";

/** Reads the audit log, newest first, with filters and keyset pagination on the log position. */
@Injectable()
export class AuditLogService {
  constructor(private readonly prisma: PrismaService) {}

  async list(query: AuditQuery): Promise<AuditPage> {
    const take = query.limit ?? 50;
    let before: bigint | undefined;
    if (query.cursor) {
      const decoded = Buffer.from(query.cursor, "base64url").toString("utf8");
      if (!/^\d{1,19}$/.test(decoded)) {
        throw new AppError("VALIDATION_FAILED", "The cursor is not valid", {
          fieldErrors: [{ field: "cursor", message: "cursor must be a nextCursor returned by this API" }],
        });
      }
      before = BigInt(decoded);
    }
    const rows = await this.prisma.client.auditEvent.findMany({
      where: {
        ...(query.actorId ? { actorId: query.actorId } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.targetType ? { targetType: query.targetType } : {}),
        ...(query.targetId ? { targetId: query.targetId } : {}),
        ...(query.since || query.until
          ? {
              occurredAt: { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lt: query.until } : {}) },
            }
          : {}),
        ...(before !== undefined ? { seq: { lt: before } } : {}),
      },
      orderBy: { seq: "desc" },
      take: take + 1,
    });
    const items = rows.slice(0, take);
    const last = items.at(-1);
    return {
      items: items.map((event) => ({
        seq: String(event.seq),
        occurredAt: event.occurredAt,
        actor: { type: event.actorType, id: event.actorId },
        action: event.action,
        target: { type: event.targetType, id: event.targetId },
        beforeSha256: event.beforeSha256,
        afterSha256: event.afterSha256,
      })),
      nextCursor: rows.length > take && last ? Buffer.from(String(last.seq)).toString("base64url") : null,
    };
  }
}
