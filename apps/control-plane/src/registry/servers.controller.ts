import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import type { FastifyReply } from "fastify";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { idParam } from "../common/id-param.js";
import { CreateServerDto, ServerPage, ServerQuery, ServerView, UpdateServerDto } from "./dto/server.dto.js";
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
  list(@Query() query: ServerQuery): Promise<ServerPage> {
    return this.servers.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server")
  @ApiOkResponse({ type: ServerView })
  async get(@Param("id", idParam) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ServerView> {
    return withEtag(reply, await this.servers.get(id));
  }

  @Patch(":id")
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such server")
  @ApiProblemResponse(412, "If-Match names a revision the server no longer has")
  @ApiOkResponse({ type: ServerView, description: "The updated server; its ETag header is the new revision" })
  async update(
    @Param("id", idParam) id: string,
    @Body() input: UpdateServerDto,
    @Headers("if-match") ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServerView> {
    return withEtag(reply, await this.servers.update(id, input, ifMatch));
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

/** The representation's revision as a strong ETag, for If-Match on the next update. */
function withEtag(reply: FastifyReply, server: ServerView): ServerView {
  reply.header("etag", `"${server.revision}"`);
  return server;
}
