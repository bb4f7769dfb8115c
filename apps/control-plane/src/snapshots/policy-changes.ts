import { createHash } from "node:crypto";
import { Injectable } from "@nestjs/common";
import type { PrismaTransactionClient } from "@switchboard/database";
import { canonicalJson } from "@switchboard/snapshot";
import { PrismaService } from "../common/prisma.service.js";
import { currentActor } from "../common/request-actor.js";
import { AdvisoryLock } from "./advisory-locks.js";
import { SnapshotPublisher } from "./snapshot-publisher.js";

/**
 * Runs a policy-relevant change in one transaction with its PolicyRevision row; the row's version is
 * the version of the first snapshot that contains the change. After commit a snapshot is scheduled.
 */
@Injectable()
export class PolicyChanges {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: SnapshotPublisher,
  ) {}

  /**
   * `reason` names the change in the revision log and the audit log, e.g. "user.created". The audit
   * event names the target given, or else the kind in `reason` and the id of what `change` returns,
   * with the sha256 of the canonical JSON of `before` and of what `change` returns.
   */
  async commit<T>(
    reason: string,
    change: (tx: PrismaTransactionClient) => Promise<T>,
    audit: { target?: { type: string; id: string }; before?: unknown } = {},
  ): Promise<T> {
    const actor = currentActor();
    const result = await this.prisma.client.$transaction(async (tx) => {
      const value = await change(tx);
      await tx.auditEvent.create({
        data: {
          actorType: actor.type,
          actorId: actor.type === "user" ? actor.id : null,
          action: reason,
          targetType: audit.target?.type ?? reason.split(".")[0] ?? null,
          targetId: audit.target?.id ?? idOf(value),
          beforeSha256: audit.before === undefined ? null : digestOf(audit.before),
          afterSha256: isRecord(value) ? digestOf(value) : null,
        },
      });
      // Taken last, so it is held only for the insert and the commit. Without it a transaction
      // holding revision N could commit after one holding N+1, and a compiler reading max = N+1
      // would miss change N for good.
      await tx.$executeRaw`select pg_advisory_xact_lock(${AdvisoryLock.policyRevision})`;
      await tx.policyRevision.create({ data: { reason } });
      return value;
    });
    this.publisher.schedule();
    return result;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function idOf(value: unknown): string | null {
  return isRecord(value) && typeof value.id === "string" ? value.id : null;
}

function digestOf(value: unknown): string {
  // Buffers and bigints have no JSON form of their own; this is a fingerprint, not a copy.
  const json = canonicalJson(
    JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? String(item) : item))),
  );
  return createHash("sha256").update(json).digest("hex");
}
