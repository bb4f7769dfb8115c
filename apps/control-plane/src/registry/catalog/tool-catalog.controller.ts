import { Body, Controller, Get, HttpCode, Param, Post } from "@nestjs/common";
import { ApiOkResponse, ApiTags } from "@nestjs/swagger";
import { Permission } from "../../auth/permissions.js";
import { RequirePermission } from "../../auth/route-access.decorators.js";
import { ApiProblemResponse } from "../../common/api-problem-response.js";
import { idParam } from "../../common/id-param.js";
import { ApproveToolDto, CatalogSyncView, CatalogToolDetail, CatalogToolView } from "./dto/tool.dto.js";
import { ToolCatalogService } from "./tool-catalog.service.js";

@ApiTags("tool catalog")
@Controller("servers/:id")
export class ToolCatalogController {
  constructor(private readonly catalog: ToolCatalogService) {}

  @Get("tools")
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server")
  @ApiOkResponse({ type: [CatalogToolView] })
  list(@Param("id", idParam) id: string) {
    return this.catalog.list(id);
  }

  @Get("tools/:name")
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server or tool")
  @ApiOkResponse({ type: CatalogToolDetail })
  get(@Param("id", idParam) id: string, @Param("name") name: string) {
    return this.catalog.get(id, name);
  }

  @Post("tools/:name/approve")
  @HttpCode(200)
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(400, "The request is not valid")
  @ApiProblemResponse(404, "No such server or tool")
  @ApiProblemResponse(409, "The definition changed since it was reviewed, or the tool is gone")
  @ApiOkResponse({ type: CatalogToolView })
  approve(@Param("id", idParam) id: string, @Param("name") name: string, @Body() input: ApproveToolDto) {
    return this.catalog.approve(id, name, input.sha256);
  }

  @Post("tools/:name/revoke")
  @HttpCode(200)
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server or tool")
  @ApiOkResponse({ type: CatalogToolView })
  revoke(@Param("id", idParam) id: string, @Param("name") name: string) {
    return this.catalog.revoke(id, name);
  }

  @Post("catalog/sync")
  @HttpCode(200)
  @RequirePermission(Permission.RegistryManage)
  @ApiProblemResponse(404, "No such server")
  @ApiOkResponse({ type: CatalogSyncView })
  sync(@Param("id", idParam) id: string) {
    return this.catalog.sync(id);
  }
}
