import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";

const ENVELOPE_FILE = "snapshot.jws";

/**
 * The last verified and activated snapshot envelope on local disk, written atomically (temp file,
 * fsync, rename, fsync of the directory) so a crash never leaves a torn file behind.
 */
export class LastKnownGoodStore {
  constructor(private readonly directory: string) {}

  async read(): Promise<Uint8Array | null> {
    try {
      return await readFile(join(this.directory, ENVELOPE_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async write(envelope: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const target = join(this.directory, ENVELOPE_FILE);
    const temporary = `${target}.${process.pid}.tmp`;
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(envelope);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
    const directory = await open(this.directory, "r");
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}
