import { Module } from "@nestjs/common";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { BootstrapAdmin } from "./bootstrap-admin.js";
import { TokensController } from "./tokens.controller.js";
import { TokensService } from "./tokens.service.js";
import { UsersController } from "./users.controller.js";
import { UsersService } from "./users.service.js";

@Module({
  imports: [SnapshotsModule],
  controllers: [UsersController, TokensController],
  providers: [UsersService, TokensService, BootstrapAdmin],
})
export class IdentityModule {}
