import { Controller, Get, Query } from "@nestjs/common";
import { ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { AuditLogService } from "./audit-log.service.js";
import { AuditPage, AuditQuery } from "./dto/audit-event.dto.js";

@ApiTags("audit")
@Controller("audit-events")
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @RequirePermission(Permission.AuditRead)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: AuditPage })
  list(@Query() query: AuditQuery): Promise<AuditPage> {
    return this.log.list(query);
  }
}
