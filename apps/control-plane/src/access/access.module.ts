import { Module } from "@nestjs/common";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { AccessController } from "./access.controller.js";
import { AccessExplainer } from "./access-explainer.js";
import { CompiledPolicy } from "./compiled-policy.js";
import { GrantsController } from "./grants.controller.js";
import { GrantsService } from "./grants.service.js";

@Module({
  imports: [SnapshotsModule],
  controllers: [GrantsController, AccessController],
  providers: [GrantsService, CompiledPolicy, AccessExplainer],
})
export class AccessModule {}
