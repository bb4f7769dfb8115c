import { Injectable } from "@nestjs/common";
import { AppError } from "../common/app-error.js";
import { PrismaService } from "../common/prisma.service.js";
import type { SnapshotInfo } from "./dto/snapshot-info.dto.js";

/** Reads the stored snapshots for admins; the envelopes themselves stay on the bus and in the outbox. */
@Injectable()
export class SnapshotHistory {
  constructor(private readonly prisma: PrismaService) {}

  async latest(): Promise<SnapshotInfo> {
    const snapshot = await this.prisma.client.policySnapshot.findFirst({
      orderBy: { version: "desc" },
      select: { version: true, sha256: true, sizeBytes: true, createdAt: true, publishedAt: true },
    });
    if (!snapshot) throw AppError.notFound("Snapshot");
    return { ...snapshot, version: Number(snapshot.version) };
  }
}
