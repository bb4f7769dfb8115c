import { Module } from "@nestjs/common";
import { CredentialsModule } from "../credentials/credentials.module.js";
import { FleetStatus } from "./fleet-status.js";
import { PolicyChanges } from "./policy-changes.js";
import { SnapshotCompiler } from "./snapshot-compiler.js";
import { SnapshotPublisher } from "./snapshot-publisher.js";
import { SnapshotsController } from "./snapshots.controller.js";

@Module({
  imports: [CredentialsModule],
  controllers: [SnapshotsController],
  providers: [SnapshotCompiler, SnapshotPublisher, PolicyChanges, FleetStatus],
  exports: [PolicyChanges, SnapshotPublisher],
})
export class SnapshotsModule {}
