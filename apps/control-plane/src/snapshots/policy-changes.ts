import { Injectable } from "@nestjs/common";
import type { PrismaTransactionClient } from "@switchboard/database";
import { PrismaService } from "../common/prisma.service.js";
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

  /** `reason` names the change in the revision log, e.g. "user.created". */
  async commit<T>(reason: string, change: (tx: PrismaTransactionClient) => Promise<T>): Promise<T> {
    const result = await this.prisma.client.$transaction(async (tx) => {
      const value = await change(tx);
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
