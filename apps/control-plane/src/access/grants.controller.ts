import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { idParam } from "../common/id-param.js";
import { CreateGrantDto, GrantPage, GrantQuery, GrantView } from "./dto/grant.dto.js";
import { GrantsService } from "./grants.service.js";

@ApiTags("grants")
@Controller("grants")
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post()
  @RequirePermission(Permission.AccessManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such subject user or target server")
  @ApiCreatedResponse({ type: GrantView })
  create(@Body() input: CreateGrantDto): Promise<GrantView> {
    return this.grants.create(input);
  }

  @Get()
  @RequirePermission(Permission.AccessManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: GrantPage })
  list(@Query() query: GrantQuery): Promise<GrantPage> {
    return this.grants.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.AccessManage)
  @ApiProblemResponse(404, "No such grant")
  @ApiOkResponse({ type: GrantView })
  get(@Param("id", idParam) id: string): Promise<GrantView> {
    return this.grants.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.AccessManage)
  @ApiProblemResponse(404, "No such grant")
  @ApiNoContentResponse({ description: "Deleted" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.grants.remove(id);
  }
}
