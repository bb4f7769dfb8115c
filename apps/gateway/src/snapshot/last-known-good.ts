import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "./atomic-file.js";

const ENVELOPE_FILE = "snapshot.jws";
const HIGHEST_SEEN_FILE = "highest-version.json";

/** What names a snapshot: its version and the sha256 of its document. */
export type SnapshotIdentity = { version: number; sha256: string };

/**
 * The last verified and activated snapshot envelope on local disk, and the identity of the highest
 * version ever activated. The second survives an envelope that can no longer be verified (e.g.
 * after a key rotation), so a replayed older snapshot is still refused after a restart.
 */
export class LastKnownGoodStore {
  constructor(private readonly directory: string) {}

  async readEnvelope(): Promise<Uint8Array | null> {
    return readIfPresent(join(this.directory, ENVELOPE_FILE));
  }

  async readHighestSeen(): Promise<SnapshotIdentity | null> {
    const bytes = await readIfPresent(join(this.directory, HIGHEST_SEEN_FILE));
    if (!bytes) return null;
    const value = JSON.parse(Buffer.from(bytes).toString("utf8")) as Partial<SnapshotIdentity>;
    if (!Number.isSafeInteger(value.version) || typeof value.sha256 !== "string") {
      throw new Error(`${HIGHEST_SEEN_FILE} does not hold a snapshot identity`);
    }
    return { version: value.version as number, sha256: value.sha256 };
  }

  /**
   * Envelope first: a crash between the two writes leaves the highest version one behind the
   * envelope, which only means the envelope's own version counts, never a floor above it.
   */
  async write(envelope: Uint8Array, identity: SnapshotIdentity): Promise<void> {
    await writeFileAtomically(this.directory, ENVELOPE_FILE, envelope);
    await writeFileAtomically(this.directory, HIGHEST_SEEN_FILE, Buffer.from(JSON.stringify(identity)));
  }
}

async function readIfPresent(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
