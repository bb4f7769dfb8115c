import { Inject, Injectable, type OnModuleInit } from "@nestjs/common";
import {
  importSnapshotSigningKey,
  type PolicySnapshot,
  type SignedSnapshot,
  type SnapshotSigningKey,
  signSnapshot,
} from "@switchboard/snapshot";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";

/** Holds the Ed25519 snapshot signing key, imported once at startup (a bad key fails the start). */
@Injectable()
export class SnapshotSigner implements OnModuleInit {
  private key!: SnapshotSigningKey;

  constructor(@Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig) {}

  async onModuleInit(): Promise<void> {
    this.key = await importSnapshotSigningKey(this.config.snapshotSigningKey);
  }

  sign(snapshot: PolicySnapshot): Promise<SignedSnapshot> {
    return signSnapshot(snapshot, this.key);
  }
}
