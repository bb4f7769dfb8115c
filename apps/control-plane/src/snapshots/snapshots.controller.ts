import { Controller, Get } from "@nestjs/common";
import { ApiOkResponse, ApiProperty, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { AppError } from "../common/app-error.js";
import { PrismaService } from "../common/prisma.service.js";
import { FleetStatus } from "./fleet-status.js";

class SnapshotInfo {
  @ApiProperty({ example: 42 }) version!: number;
  @ApiProperty({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }) sha256!: string;
  @ApiProperty({ description: "Size of the snapshot document in bytes, before compression" }) sizeBytes!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) publishedAt!: Date | null;
}

class GatewayStatusRow {
  @ApiProperty({ example: "gateway-7d9f" }) gatewayId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ enum: ["applied", "rejected", "stale", "heartbeat", "empty"] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() reportedAt!: Date;
}

class FleetPage {
  @ApiProperty({ type: [GatewayStatusRow] }) items!: GatewayStatusRow[];
}

@ApiTags("snapshots")
@Controller()
export class SnapshotsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly fleet: FleetStatus,
  ) {}

  @Get("snapshots/latest")
  @RequirePermission(Permission.FleetRead)
  @ApiOkResponse({ type: SnapshotInfo, description: "The newest compiled snapshot" })
  async latest(): Promise<SnapshotInfo> {
    const snapshot = await this.prisma.client.policySnapshot.findFirst({
      orderBy: { version: "desc" },
      select: { version: true, sha256: true, sizeBytes: true, createdAt: true, publishedAt: true },
    });
    if (!snapshot) throw AppError.notFound("Snapshot");
    return { ...snapshot, version: Number(snapshot.version) };
  }

  @Get("fleet")
  @RequirePermission(Permission.FleetRead)
  @ApiOkResponse({ type: FleetPage, description: "What each gateway last reported" })
  async listFleet(): Promise<FleetPage> {
    const rows = await this.fleet.list();
    return { items: rows.map((row) => ({ ...row, version: Number(row.version) })) };
  }
}
