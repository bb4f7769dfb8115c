import { Controller, Get } from "@nestjs/common";
import { ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { SnapshotInfo } from "./dto/snapshot-info.dto.js";
import { SnapshotHistory } from "./snapshot-history.js";

@ApiTags("snapshots")
@Controller("snapshots")
export class SnapshotsController {
  constructor(private readonly history: SnapshotHistory) {}

  @Get("latest")
  @RequirePermission(Permission.FleetRead)
  @ApiOkResponse({ type: SnapshotInfo, description: "The newest compiled snapshot" })
  latest(): Promise<SnapshotInfo> {
    return this.history.latest();
  }
}
