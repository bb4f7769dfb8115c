import { Body, Controller, Delete, Get, HttpCode, Param, Post } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { idParam } from "../common/id-param.js";
import { VirtualAccountView } from "./dto/team.dto.js";
import { CreatedTokenView, CreateTokenDto, TokenList } from "./dto/token.dto.js";
import { TokensService } from "./tokens.service.js";
import { VirtualAccountsService } from "./virtual-accounts.service.js";

@ApiTags("virtual accounts")
@Controller("virtual-accounts")
export class VirtualAccountsController {
  constructor(
    private readonly accounts: VirtualAccountsService,
    private readonly tokens: TokensService,
  ) {}

  @Get(":id")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such virtual account")
  @ApiOkResponse({ type: VirtualAccountView })
  get(@Param("id", idParam) id: string): Promise<VirtualAccountView> {
    return this.accounts.get(id);
  }

  @Post(":id/deactivate")
  @HttpCode(200)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such virtual account")
  @ApiOkResponse({ type: VirtualAccountView, description: "Deactivated: every gateway refuses its tokens" })
  deactivate(@Param("id", idParam) id: string): Promise<VirtualAccountView> {
    return this.accounts.setStatus(id, "deactivated");
  }

  @Post(":id/reactivate")
  @HttpCode(200)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such virtual account")
  @ApiOkResponse({ type: VirtualAccountView })
  reactivate(@Param("id", idParam) id: string): Promise<VirtualAccountView> {
    return this.accounts.setStatus(id, "active");
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such virtual account")
  @ApiNoContentResponse({ description: "Deleted, with its tokens and grants" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.accounts.remove(id);
  }

  @Post(":id/tokens")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such virtual account, or a scope target does not exist")
  @ApiCreatedResponse({ type: CreatedTokenView, description: "The secret is in this answer only" })
  createToken(@Param("id", idParam) id: string, @Body() input: CreateTokenDto): Promise<CreatedTokenView> {
    return this.tokens.create({ type: "virtual-account", id }, input);
  }

  @Get(":id/tokens")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such virtual account")
  @ApiOkResponse({ type: TokenList })
  listTokens(@Param("id", idParam) id: string): Promise<TokenList> {
    return this.tokens.listFor({ type: "virtual-account", id });
  }
}
