import { Module } from "@nestjs/common";
import { CredentialsModule } from "../credentials/credentials.module.js";
import { FleetController } from "./fleet.controller.js";
import { FleetStatus } from "./fleet-status.js";
import { PolicyChanges } from "./policy-changes.js";
import { SnapshotCompiler } from "./snapshot-compiler.js";
import { SnapshotHistory } from "./snapshot-history.js";
import { SnapshotPublisher } from "./snapshot-publisher.js";
import { SnapshotSigner } from "./snapshot-signer.js";
import { SnapshotsController } from "./snapshots.controller.js";

@Module({
  imports: [CredentialsModule],
  controllers: [SnapshotsController, FleetController],
  providers: [SnapshotSigner, SnapshotCompiler, SnapshotPublisher, SnapshotHistory, PolicyChanges, FleetStatus],
  exports: [PolicyChanges, SnapshotPublisher],
})
export class SnapshotsModule {}
