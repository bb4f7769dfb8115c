import { applyDecorators, SetMetadata } from "@nestjs/common";
import { ApiBearerAuth, ApiExtension } from "@nestjs/swagger";
import { ApiProblemResponse } from "../common/api-problem-response.js";
import type { Permission } from "./permissions.js";

export const PERMISSION_KEY = "switchboard:permission";
export const PUBLIC_KEY = "switchboard:public";

/** The one decorator an admin route carries: who may call it, also stated in the OpenAPI document. */
export function RequirePermission(permission: Permission) {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiExtension("x-switchboard-permission", permission),
    ApiProblemResponse(401, "Missing or invalid bearer token"),
    ApiProblemResponse(403, `Requires the ${permission} permission`),
  );
}

/** Opts a route out of authentication; everything else is denied unless it declares a permission. */
export function Public() {
  return SetMetadata(PUBLIC_KEY, true);
}
