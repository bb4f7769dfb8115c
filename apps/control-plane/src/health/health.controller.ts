import { Controller, Get } from "@nestjs/common";
import { ApiOkResponse, ApiProperty, ApiTags } from "@nestjs/swagger";
import { Public } from "../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import { DatabaseHealth } from "./database-health.js";

export class HealthView {
  @ApiProperty({ enum: ["ok"] }) status!: "ok";
}

/** For load balancers and orchestrators, which carry no token. */
@ApiTags("health")
@Controller("health")
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: HealthView, description: "The process serves and its database answers" })
  @ApiProblemResponse(503, "The database does not answer")
  check(): Promise<HealthView> {
    return this.database.check();
  }
}
