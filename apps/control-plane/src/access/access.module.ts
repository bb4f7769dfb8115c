import { Module } from "@nestjs/common";
import { SnapshotsModule } from "../snapshots/snapshots.module.js";
import { GrantsController } from "./grants.controller.js";
import { GrantsService } from "./grants.service.js";

@Module({ imports: [SnapshotsModule], controllers: [GrantsController], providers: [GrantsService] })
export class AccessModule {}
