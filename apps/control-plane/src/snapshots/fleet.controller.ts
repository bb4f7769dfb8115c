import { Controller, Get } from "@nestjs/common";
import { ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { FleetView } from "./dto/gateway-status.dto.js";
import { FleetStatus } from "./fleet-status.js";

@ApiTags("fleet")
@Controller("fleet")
export class FleetController {
  constructor(private readonly fleet: FleetStatus) {}

  @Get()
  @RequirePermission(Permission.FleetRead)
  @ApiOkResponse({ type: FleetView, description: "What each gateway last reported" })
  list(): Promise<FleetView> {
    return this.fleet.list();
  }
}
