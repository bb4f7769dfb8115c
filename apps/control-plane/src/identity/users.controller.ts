import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { idParam } from "../common/id-param.js";
import { CreatedTokenView, CreateTokenDto, TokenList } from "./dto/token.dto.js";
import { CreateUserDto, UserPage, UserQuery, UserView } from "./dto/user.dto.js";
import { TokensService } from "./tokens.service.js";
import { UsersService } from "./users.service.js";

@ApiTags("users")
@Controller("users")
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  @Post()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(409, "The email is taken")
  @ApiCreatedResponse({ type: UserView })
  create(@Body() input: CreateUserDto): Promise<UserView> {
    return this.users.create(input);
  }

  @Get()
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: UserQuery): Promise<UserPage> {
    return this.users.list(query);
  }

  @Get(":id")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such user")
  @ApiOkResponse({ type: UserView })
  get(@Param("id", idParam) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Post(":id/deactivate")
  @HttpCode(200)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such user")
  @ApiProblemResponse(409, "The last active org admin cannot be deactivated")
  @ApiOkResponse({ type: UserView, description: "Deactivated: every gateway refuses the user's tokens" })
  deactivate(@Param("id", idParam) id: string): Promise<UserView> {
    return this.users.setStatus(id, "deactivated");
  }

  @Post(":id/reactivate")
  @HttpCode(200)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such user")
  @ApiOkResponse({ type: UserView })
  reactivate(@Param("id", idParam) id: string): Promise<UserView> {
    return this.users.setStatus(id, "active");
  }

  @Delete(":id")
  @HttpCode(204)
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such user")
  @ApiProblemResponse(409, "The last active org admin cannot be deleted")
  @ApiNoContentResponse({ description: "Deleted, with their tokens and grants" })
  remove(@Param("id", idParam) id: string): Promise<void> {
    return this.users.remove(id);
  }

  @Post(":id/tokens")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such user")
  @ApiCreatedResponse({ type: CreatedTokenView, description: "The token secret appears in this response only" })
  createToken(@Param("id", idParam) id: string, @Body() input: CreateTokenDto): Promise<CreatedTokenView> {
    return this.tokens.create({ type: "user", id }, input);
  }

  @Get(":id/tokens")
  @RequirePermission(Permission.IdentityManage)
  @ApiProblemResponse(404, "No such user")
  @ApiOkResponse({ type: TokenList })
  listTokens(@Param("id", idParam) id: string): Promise<TokenList> {
    return this.tokens.listFor({ type: "user", id });
  }
}
