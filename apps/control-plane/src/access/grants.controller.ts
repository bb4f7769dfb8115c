import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { idParam } from "../common/id-param.js";
import { CreateGrantDto, GrantPage, GrantQuery, GrantView } from "./dto/grant.dto.js";
import { GrantsService } from "./grants.service.js";

@ApiTags("grants")
@Controller("grants")
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post()
  @RequirePermission(Permission.AccessManage)
  @ApiCreatedResponse({ type: GrantView })
  create(@Body() input: CreateGrantDto): Promise<GrantView> {
    return this.grants.create(input);
  }

  @Get()
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: GrantPage })
  list(@Query() query: GrantQuery): Promise<GrantPage> {
    return this.grants.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: GrantView })
  get(@Param("id", idParam) id: string): Promise<GrantView> {
    return this.grants.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.AccessManage)
  @ApiNoContentResponse({ description: "Deleted" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.grants.remove(id);
  }
}
