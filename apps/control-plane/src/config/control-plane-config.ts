import type { DataPlaneSealingJwk, SnapshotSigningJwk } from "@switchboard/snapshot";
import { z } from "zod";

export type ControlPlaneConfig = {
  databaseUrl: string;
  /** Absent only when the caller hands startControlPlane a bus of its own (embedded mode). */
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
  /**
   * Whether upstream URLs may point at loopback, private or link-local addresses. Off by default:
   * the control plane fetches the URLs admins register, so they must not reach internal services.
   */
  allowPrivateUpstreams: boolean;
  /** How often every server's tool catalog is re-read; 0 turns the schedule off. */
  catalogSyncIntervalMs: number;
};

export type LoadControlPlaneConfigOptions = {
  /** The standalone process talks to NATS itself, so NATS_URL is required there. */
  requireNatsUrl?: boolean;
};

const required = (what = "is required") => z.string({ message: what }).trim().min(1, what);

const jsonText = (what: string) =>
  required().transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: `${what} must be JSON` });
      return z.NEVER;
    }
  });

const base64Key = (bytes: { exact: number } | { minimum: number }) =>
  required()
    .refine((text) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(text), "must be base64")
    .transform((text) => Buffer.from(text, "base64"))
    .refine(
      (key) => ("exact" in bytes ? key.length === bytes.exact : key.length >= bytes.minimum),
      "exact" in bytes
        ? `must be exactly ${bytes.exact} bytes, base64-encoded`
        : `must be at least ${bytes.minimum} bytes, base64-encoded`,
    );

const SigningJwk = z.looseObject(
  {
    kty: z.literal("OKP", { message: 'kty must be "OKP"' }),
    crv: z.literal("Ed25519", { message: 'crv must be "Ed25519"' }),
    d: z.string({ message: "the private part d is missing" }),
    x: z.string({ message: "x is missing" }),
    kid: z.string({ message: "kid is missing" }),
  },
  { message: "must be a JWK object" },
);

const SealingPublicJwk = z.looseObject(
  {
    kty: z.literal("OKP", { message: 'kty must be "OKP"' }),
    crv: z.literal("X25519", { message: 'crv must be "X25519"' }),
    x: z.string({ message: "x is missing" }),
    kid: z.string({ message: "kid is missing" }),
  },
  { message: "must be a JWK object" },
);

const urlList = z
  .string()
  .trim()
  .refine(
    (text) => text.split(",").every((entry) => URL.canParse(entry.trim())),
    "must be a URL or comma-separated URLs",
  );

function envSchema(options: LoadControlPlaneConfigOptions) {
  return z.object({
    DATABASE_URL: required().refine(
      (text) => /^postgres(ql)?:\/\//.test(text),
      "must be a postgresql:// connection string",
    ),
    NATS_URL: options.requireNatsUrl ? required().pipe(urlList) : urlList.optional(),
    SWITCHBOARD_FLEET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _")
      .default("default"),
    CONTROL_PLANE_HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
    CONTROL_PLANE_PORT: z.coerce
      .number({ message: "must be a number" })
      .int("must be an integer")
      .min(0, "must be 0-65535")
      .max(65_535, "must be 0-65535")
      .default(4000),
    SWITCHBOARD_SNAPSHOT_SIGNING_KEY: jsonText("the snapshot signing key").pipe(SigningJwk),
    SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: jsonText("the data-plane public key").pipe(SealingPublicJwk),
    SWITCHBOARD_TOKEN_DIGEST_KEY: base64Key({ minimum: 32 }),
    SWITCHBOARD_VAULT_KEK: base64Key({ exact: 32 }),
    SWITCHBOARD_CATALOG_SYNC_SECONDS: z.coerce
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(0, "must not be negative")
      .default(300),
    SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS: z
      .enum(["true", "false"], { message: 'must be "true" or "false"' })
      .default("false")
      .transform((value) => value === "true"),
    SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
    SWITCHBOARD_SNAPSHOT_COALESCE_MS: z.coerce
      .number({ message: "must be a number" })
      .int("must be an integer")
      .min(0, "must be 0-60000")
      .max(60_000, "must be 0-60000")
      .default(100),
  });
}

export class ControlPlaneConfigError extends Error {
  override name = "ControlPlaneConfigError";
}

/** An empty variable counts as unset, as shells and compose files often leave them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

/** Reads the control plane's configuration from the environment; every bad variable is named at once. */
export function loadControlPlaneConfig(
  env: NodeJS.ProcessEnv,
  options: LoadControlPlaneConfigOptions = {},
): ControlPlaneConfig {
  const parsed = envSchema(options).safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path[0] === undefined ? "" : String(issue.path[0])}: ${issue.message}`,
    );
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
    allowPrivateUpstreams: values.SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS,
    catalogSyncIntervalMs: values.SWITCHBOARD_CATALOG_SYNC_SECONDS * 1000,
  };
}
