import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { PageQuery } from "../common/cursor-pagination.js";
import { idParam } from "../common/id-param.js";
import { CreateServerDto, ServerPage, ServerView } from "./dto/server.dto.js";
import { ServersService } from "./servers.service.js";

@ApiTags("servers")
@Controller("servers")
export class ServersController {
  constructor(private readonly servers: ServersService) {}

  @Post()
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(409, "The slug is taken")
  @ApiCreatedResponse({ type: ServerView })
  create(@Body() input: CreateServerDto): Promise<ServerView> {
    return this.servers.create(input);
  }

  @Get()
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: ServerPage })
  list(@Query() query: PageQuery): Promise<ServerPage> {
    return this.servers.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server")
  @ApiOkResponse({ type: ServerView })
  get(@Param("id", idParam) id: string): Promise<ServerView> {
    return this.servers.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server")
  @ApiNoContentResponse({ description: "Deleted, with every grant on it" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.servers.remove(id);
  }
}
