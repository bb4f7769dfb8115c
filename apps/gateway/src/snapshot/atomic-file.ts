import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";

/**
 * Replaces `directory/name` with `bytes` so a crash leaves either the old or the new file, never a
 * torn one: temp file, fsync, rename, then fsync of the directory so the rename itself is durable.
 */
export async function writeFileAtomically(directory: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(directory, { recursive: true });
  const target = join(directory, name);
  const temporary = `${target}.${process.pid}.tmp`;
  const file = await open(temporary, "w", 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, target);
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
