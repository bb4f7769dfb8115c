import { type DataPlaneSealingJwk, type SnapshotSigningJwk } from "@switchboard/snapshot";
import { z } from "zod";

export type ControlPlaneConfig = {
  databaseUrl: string;
  natsUrl: string | undefined;
  fleet: string;
  host: string;
  port: number;
  snapshotSigningKey: SnapshotSigningJwk;
  dataPlanePublicKey: DataPlaneSealingJwk;
  tokenDigestKey: Buffer;
  vaultKek: Buffer;
  bootstrapAdminToken: string | undefined;
  snapshotCoalesceMs: number;
};

const jsonObject = (what: string) =>
  z.string({ message: "is required" }).transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: `${what} must be JSON` });
      return z.NEVER;
    }
  });

const base64Key = (minimum: number, exact?: number) =>
  z
    .string({ message: "is required" })
    .transform((text) => Buffer.from(text, "base64"))
    .refine(
      (key) => (exact ? key.length === exact : key.length >= minimum),
      exact ? `must be exactly ${exact} bytes, base64-encoded` : `must be at least ${minimum} bytes, base64-encoded`,
    );

const EnvSchema = z.object({
  DATABASE_URL: z.string({ message: "is required" }).min(1),
  NATS_URL: z.string().min(1).optional(),
  SWITCHBOARD_FLEET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
    .default("default"),
  CONTROL_PLANE_HOST: z.string().min(1).default("127.0.0.1"),
  CONTROL_PLANE_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  SWITCHBOARD_SNAPSHOT_SIGNING_KEY: jsonObject("the snapshot signing key").pipe(
    z.looseObject({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), d: z.string(), x: z.string(), kid: z.string() }),
  ),
  SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: jsonObject("the data-plane public key").pipe(
    z.looseObject({ kty: z.literal("OKP"), crv: z.literal("X25519"), x: z.string(), kid: z.string() }),
  ),
  SWITCHBOARD_TOKEN_DIGEST_KEY: base64Key(32),
  SWITCHBOARD_VAULT_KEK: base64Key(32, 32),
  SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  SWITCHBOARD_SNAPSHOT_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(100),
});

export class ControlPlaneConfigError extends Error {
  override name = "ControlPlaneConfigError";
}

/** Reads the control plane's configuration from the environment; every bad variable is named at once. */
export function loadControlPlaneConfig(env: NodeJS.ProcessEnv): ControlPlaneConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ControlPlaneConfigError(`invalid control-plane configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    databaseUrl: values.DATABASE_URL,
    natsUrl: values.NATS_URL,
    fleet: values.SWITCHBOARD_FLEET,
    host: values.CONTROL_PLANE_HOST,
    port: values.CONTROL_PLANE_PORT,
    snapshotSigningKey: values.SWITCHBOARD_SNAPSHOT_SIGNING_KEY as SnapshotSigningJwk,
    dataPlanePublicKey: values.SWITCHBOARD_DATA_PLANE_PUBLIC_KEY as DataPlaneSealingJwk,
    tokenDigestKey: values.SWITCHBOARD_TOKEN_DIGEST_KEY,
    vaultKek: values.SWITCHBOARD_VAULT_KEK,
    bootstrapAdminToken: values.SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN,
    snapshotCoalesceMs: values.SWITCHBOARD_SNAPSHOT_COALESCE_MS,
  };
}
