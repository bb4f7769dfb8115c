import { applyDecorators, SetMetadata } from "@nestjs/common";
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from "@nestjs/swagger";
import type { Permission } from "./permissions.js";

export const PERMISSION_KEY = "switchboard:permission";
export const PUBLIC_KEY = "switchboard:public";

/** The one decorator an admin route carries: who may call it, also stated in the OpenAPI document. */
export function RequirePermission(permission: Permission) {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiExtension("x-switchboard-permission", permission),
    ApiUnauthorizedResponse({ description: "Missing or invalid bearer token" }),
    ApiForbiddenResponse({ description: `Requires ${permission}` }),
  );
}

/** Opts a route out of authentication; everything else is denied unless it declares a permission. */
export function Public() {
  return SetMetadata(PUBLIC_KEY, true);
}
