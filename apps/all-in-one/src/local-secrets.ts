import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type DeploymentKeys, generateDeploymentKeys, mintAccessToken } from "@switchboard/snapshot";

export type LocalSecrets = DeploymentKeys & { SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: string };

/**
 * The embedded mode's keys and bootstrap admin token: generated on first start and kept in the
 * git-ignored data directory (mode 0600), so restarts keep the same tokens and snapshots valid.
 */
export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, "secrets.json");
  const existing = existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>) : {};
  // Keys added by a newer version are generated; the ones already there are kept.
  const secrets: LocalSecrets = {
    ...(await generateDeploymentKeys()),
    SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: mintAccessToken(),
    ...existing,
  };
  if (Object.keys(existing).length === Object.keys(secrets).length) return secrets;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}
