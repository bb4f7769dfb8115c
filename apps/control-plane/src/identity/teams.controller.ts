import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { PageQuery } from "../common/cursor-pagination.js";
import { idParam } from "../common/id-param.js";
import {
  CreateTeamDto,
  CreateVirtualAccountDto,
  TeamPage,
  TeamView,
  VirtualAccountList,
  VirtualAccountView,
} from "./dto/team.dto.js";
import { TeamsService } from "./teams.service.js";

@ApiTags("teams")
@Controller("teams")
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(409, "The name is taken")
  @ApiCreatedResponse({ type: TeamView })
  create(@Body() input: CreateTeamDto): Promise<TeamView> {
    return this.teams.create(input);
  }

  @Get()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: TeamPage })
  list(@Query() query: PageQuery): Promise<TeamPage> {
    return this.teams.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such team")
  @ApiOkResponse({ type: TeamView })
  get(@Param("id", idParam) id: string): Promise<TeamView> {
    return this.teams.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such team")
  @ApiNoContentResponse({ description: "Deleted, with its virtual accounts, their tokens and every grant to them" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.teams.remove(id);
  }

  @Put(":id/members/:userId")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such team or user")
  @ApiOkResponse({ type: TeamView, description: "The user is a member (adding twice is harmless)" })
  addMember(@Param("id", idParam) id: string, @Param("userId", idParam) userId: string): Promise<TeamView> {
    return this.teams.addMember(id, userId);
  }

  @Delete(":id/members/:userId")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such team or user")
  @ApiOkResponse({ type: TeamView })
  removeMember(@Param("id", idParam) id: string, @Param("userId", idParam) userId: string): Promise<TeamView> {
    return this.teams.removeMember(id, userId);
  }

  @Post(":id/virtual-accounts")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such team")
  @ApiProblemResponse(409, "The team already has a virtual account of that name")
  @ApiCreatedResponse({ type: VirtualAccountView })
  createVirtualAccount(@Param("id", idParam) id: string, @Body() input: CreateVirtualAccountDto) {
    return this.teams.createVirtualAccount(id, input);
  }

  @Get(":id/virtual-accounts")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such team")
  @ApiOkResponse({ type: VirtualAccountList })
  async listVirtualAccounts(@Param("id", idParam) id: string): Promise<VirtualAccountList> {
    return { items: await this.teams.listVirtualAccounts(id) };
  }
}
