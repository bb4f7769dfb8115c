import { Injectable } from "@nestjs/common";
import type { PrismaTransactionClient } from "@switchboard/database";
import { PrismaService } from "../common/prisma.service.js";
import { SnapshotPublisher } from "./snapshot-publisher.js";

/** Revision numbers are handed out in commit order under this lock, so none can commit "behind" a snapshot. */
const REVISION_LOCK_KEY = 7_262_301;

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

  async commit<T>(reason: string, change: (tx: PrismaTransactionClient) => Promise<T>): Promise<T> {
    const result = await this.prisma.client.$transaction(async (tx) => {
      const value = await change(tx);
      await tx.$executeRaw`select pg_advisory_xact_lock(${REVISION_LOCK_KEY})`;
      await tx.policyRevision.create({ data: { reason } });
      return value;
    });
    this.publisher.schedule();
    return result;
  }
}
