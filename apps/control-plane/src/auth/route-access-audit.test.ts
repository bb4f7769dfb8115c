import { Controller, Get, Post } from "@nestjs/common";
import { describe, expect, it } from "vitest";
import { Permission } from "./permissions.js";
import { Public, RequirePermission } from "./route-access.decorators.js";
import { routesWithoutAccessDeclaration } from "./route-access-audit.js";

@Controller("declared")
class DeclaredController {
  @Get()
  @RequirePermission(Permission.IdentityManage)
  list() {}

  @Get("open")
  @Public()
  open() {}

  helper() {}
}

@Controller("forgotten")
class ForgottenController {
  @Get()
  @RequirePermission(Permission.IdentityManage)
  list() {}

  @Post()
  create() {}
}

@Controller("inherits")
class InheritingController extends ForgottenController {}

@Public()
@Controller("public")
class PublicController {
  @Get()
  read() {}
}

describe("routesWithoutAccessDeclaration", () => {
  it("names each route handler that declares neither a permission nor @Public()", () => {
    expect(routesWithoutAccessDeclaration([DeclaredController, PublicController])).toEqual([]);
    expect(routesWithoutAccessDeclaration([ForgottenController, InheritingController])).toEqual([
      "ForgottenController.create",
      "InheritingController.create",
    ]);
  });
});
