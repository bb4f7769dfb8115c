import { Module } from "@nestjs/common";
import { CredentialsModule } from "../credentials/credentials.module.js";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { CatalogSchedule } from "./catalog/catalog-schedule.js";
import { CatalogWatch } from "./catalog/catalog-watch.js";
import { ToolCatalogController } from "./catalog/tool-catalog.controller.js";
import { ToolCatalogService } from "./catalog/tool-catalog.service.js";
import { ServerGroupsController } from "./server-groups/server-groups.controller.js";
import { ServerGroupsService } from "./server-groups/server-groups.service.js";
import { ServersController } from "./servers.controller.js";
import { ServersService } from "./servers.service.js";
import { VirtualServersController } from "./virtual-servers/virtual-servers.controller.js";
import { VirtualServersService } from "./virtual-servers/virtual-servers.service.js";

@Module({
  imports: [CredentialsModule, SnapshotsModule],
  controllers: [ServersController, ServerGroupsController, ToolCatalogController, VirtualServersController],
  providers: [
    ServersService,
    ServerGroupsService,
    ToolCatalogService,
    VirtualServersService,
    CatalogSchedule,
    CatalogWatch,
  ],
})
export class RegistryModule {}
