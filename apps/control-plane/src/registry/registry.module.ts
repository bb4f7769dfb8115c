import { Module } from "@nestjs/common";
import { CredentialsModule } from "../credentials/credentials.module.js";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { ServersController } from "./servers.controller.js";
import { ServersService } from "./servers.service.js";

@Module({
  imports: [CredentialsModule, SnapshotsModule],
  controllers: [ServersController],
  providers: [ServersService],
})
export class RegistryModule {}
