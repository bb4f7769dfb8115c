import { Controller, Get, Query } from "@nestjs/common";
import { ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../auth/permissions.js";
import { RequirePermission } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { AccessExplainer } from "./access-explainer.js";
import { EffectiveAccessView, ExplainQuery, ExplainView, PrincipalQuery } from "./dto/access.dto.js";

@ApiTags("access")
@Controller("access")
export class AccessController {
  constructor(private readonly explainer: AccessExplainer) {}

  @Get("effective")
  @RequirePermission(Permission.AccessExplain)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "The principal is not in the latest snapshot")
  @ApiOkResponse({ type: EffectiveAccessView })
  effective(@Query() query: PrincipalQuery): Promise<EffectiveAccessView> {
    return this.explainer.effective(query);
  }

  @Get("explain")
  @RequirePermission(Permission.AccessExplain)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "The principal is not in the latest snapshot")
  @ApiOkResponse({ type: ExplainView })
  explain(@Query() query: ExplainQuery): Promise<ExplainView> {
    return this.explainer.explain(query);
  }
}
