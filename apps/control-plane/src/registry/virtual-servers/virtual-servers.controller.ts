import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../../auth/permissions.js";
import { RequirePermission } from "../../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../../common/api-problem-response.js";
import { PageQuery } from "../../common/cursor-pagination.js";
import { idParam } from "../../common/id-param.js";
import { CreateVirtualServerDto, VirtualServerPage, VirtualServerView } from "./dto/virtual-server.dto.js";
import { VirtualServersService } from "./virtual-servers.service.js";

@ApiTags("virtual servers")
@Controller("virtual-servers")
export class VirtualServersController {
  constructor(private readonly virtualServers: VirtualServersService) {}

  @Post()
  @RequirePermission(Permission.VirtualServerManage)
  @ApiProblemResponse(400, "The request is not valid, or a tool does not exist on its server")
  @ApiProblemResponse(409, "The slug is taken")
  @ApiCreatedResponse({ type: VirtualServerView })
  create(@Body() input: CreateVirtualServerDto): Promise<VirtualServerView> {
    return this.virtualServers.create(input);
  }

  @Get()
  @RequirePermission(Permission.VirtualServerManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: VirtualServerPage })
  list(@Query() query: PageQuery): Promise<VirtualServerPage> {
    return this.virtualServers.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.VirtualServerManage)
  @ApiProblemResponse(404, "No such virtual server")
  @ApiOkResponse({ type: VirtualServerView })
  get(@Param("id", idParam) id: string): Promise<VirtualServerView> {
    return this.virtualServers.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.VirtualServerManage)
  @ApiProblemResponse(404, "No such virtual server")
  @ApiNoContentResponse({ description: "Deleted, with every grant on it" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.virtualServers.remove(id);
  }
}
