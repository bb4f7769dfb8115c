import { Module } from "@nestjs/common";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { BootstrapAdmin } from "./bootstrap-admin.js";
import { TeamsController } from "./teams.controller.js";
import { TeamsService } from "./teams.service.js";
import { TokenUsageRecorder } from "./token-usage-recorder.js";
import { TokensController } from "./tokens.controller.js";
import { TokensService } from "./tokens.service.js";
import { UsersController } from "./users.controller.js";
import { UsersService } from "./users.service.js";
import { VirtualAccountsController } from "./virtual-accounts.controller.js";
import { VirtualAccountsService } from "./virtual-accounts.service.js";

@Module({
  imports: [SnapshotsModule],
  controllers: [UsersController, TokensController, TeamsController, VirtualAccountsController],
  providers: [UsersService, TokensService, TeamsService, VirtualAccountsService, TokenUsageRecorder, BootstrapAdmin],
})
export class IdentityModule {}
