import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../../auth/permissions.js";
import { RequirePermission } from "../../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../../common/api-problem-response.js";
import { PageQuery } from "../../common/cursor-pagination.js";
import { idParam } from "../../common/id-param.js";
import { CreateServerGroupDto, ServerGroupPage, ServerGroupView } from "./dto/server-group.dto.js";
import { ServerGroupsService } from "./server-groups.service.js";

@ApiTags("server groups")
@Controller("server-groups")
export class ServerGroupsController {
  constructor(private readonly groups: ServerGroupsService) {}

  @Post()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(409, "The name is taken")
  @ApiCreatedResponse({ type: ServerGroupView })
  create(@Body() input: CreateServerGroupDto): Promise<ServerGroupView> {
    return this.groups.create(input);
  }

  @Get()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: ServerGroupPage })
  list(@Query() query: PageQuery): Promise<ServerGroupPage> {
    return this.groups.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such server group")
  @ApiOkResponse({ type: ServerGroupView })
  get(@Param("id", idParam) id: string): Promise<ServerGroupView> {
    return this.groups.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such server group")
  @ApiProblemResponse(409, "The group still has servers")
  @ApiNoContentResponse({ description: "Deleted" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.groups.remove(id);
  }

  @Put(":id/managers/:userId")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such server group or user")
  @ApiOkResponse({ type: ServerGroupView, description: "The user manages the group" })
  addManager(@Param("id", idParam) id: string, @Param("userId", idParam) userId: string): Promise<ServerGroupView> {
    return this.groups.setManager(id, userId, true);
  }

  @Delete(":id/managers/:userId")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such server group or user")
  @ApiOkResponse({ type: ServerGroupView })
  removeManager(@Param("id", idParam) id: string, @Param("userId", idParam) userId: string): Promise<ServerGroupView> {
    return this.groups.setManager(id, userId, false);
  }
}
