import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
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
  @ApiCreatedResponse({ type: ServerView })
  create(@Body() input: CreateServerDto): Promise<ServerView> {
    return this.servers.create(input);
  }

  @Get()
  @RequirePermission(Permission.RegistryManage)
  @ApiOkResponse({ type: ServerPage })
  list(@Query() query: PageQuery): Promise<ServerPage> {
    return this.servers.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.RegistryManage)
  @ApiOkResponse({ type: ServerView })
  get(@Param("id", idParam) id: string): Promise<ServerView> {
    return this.servers.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.RegistryManage)
  @ApiNoContentResponse({ description: "Deleted, with every grant on it" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.servers.remove(id);
  }
}
