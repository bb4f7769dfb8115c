import { Controller, Delete, Get, HttpCode, Param } from "@nestjs/common";
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { idParam } from "../common/id-param.js";
import { TokenView } from "./dto/token.dto.js";
import { TokensService } from "./tokens.service.js";

@ApiTags("tokens")
@Controller("tokens")
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get(":id")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such token")
  @ApiOkResponse({ type: TokenView })
  get(@Param("id", idParam) id: string): Promise<TokenView> {
    return this.tokens.get(id);
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such token")
  @ApiNoContentResponse({ description: "Revoked; every gateway refuses it from the next snapshot" })
  revoke(@Param("id", idParam) id: string): Promise<void> {
    return this.tokens.revoke(id);
  }
}
