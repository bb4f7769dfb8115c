import { hostname } from "node:os";
import { resolve } from "node:path";
import { type DataPlaneSealingJwk, parseTrustedSnapshotKeys, type SnapshotPublicJwk } from "@switchboard/snapshot";
import { z } from "zod";

export type GatewayConfig = {
  natsUrl: string | undefined;
  fleet: string;
  host: string;
  port: number;
  gatewayId: string;
  trustedKeys: SnapshotPublicJwk[];
  dataPlanePrivateKey: DataPlaneSealingJwk;
  tokenDigestKey: Buffer;
  sessionSecret: Buffer;
  sessionMaxAgeMs: number;
  snapshotDir: string;
  bodyLimitBytes: number;
  upstreamTimeoutMs: number;
  allowedOrigins: string[];
  allowedHosts: string[];
};

const jsonText = (what: string) =>
  z.string().transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: `${what} must be JSON` });
      return z.NEVER;
    }
  });

const EnvSchema = z.object({
  NATS_URL: z.string().min(1).optional(),
  SWITCHBOARD_FLEET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
    .default("default"),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  GATEWAY_ID: z.string().min(1).max(128).optional(),
  SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: z.string({ message: "is required" }).transform((text, context) => {
    try {
      return parseTrustedSnapshotKeys(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: jsonText("the data-plane private key").pipe(
    z.object({ kty: z.literal("OKP"), crv: z.literal("X25519"), d: z.string(), x: z.string(), kid: z.string() }),
  ),
  SWITCHBOARD_TOKEN_DIGEST_KEY: z
    .string({ message: "is required" })
    .transform((text) => Buffer.from(text, "base64"))
    .refine((key) => key.length >= 32, "must be at least 32 bytes, base64-encoded"),
  SWITCHBOARD_SESSION_SECRET: z
    .string({ message: "is required" })
    .transform((text) => Buffer.from(text, "base64"))
    .refine((key) => key.length >= 32, "must be at least 32 bytes, base64-encoded"),
  GATEWAY_SESSION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60),
  SWITCHBOARD_SNAPSHOT_DIR: z.string().min(1).optional(),
  GATEWAY_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  GATEWAY_ALLOWED_ORIGINS: z.string().optional(),
  GATEWAY_ALLOWED_HOSTS: z.string().optional(),
});

export class GatewayConfigError extends Error {
  override name = "GatewayConfigError";
}

/** Reads the gateway's configuration from the environment; every bad variable is named at once. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new GatewayConfigError(`invalid gateway configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    natsUrl: values.NATS_URL,
    fleet: values.SWITCHBOARD_FLEET,
    host: values.GATEWAY_HOST,
    port: values.GATEWAY_PORT,
    gatewayId: values.GATEWAY_ID ?? `${hostname()}-${process.pid}`,
    trustedKeys: values.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS,
    dataPlanePrivateKey: values.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY,
    tokenDigestKey: values.SWITCHBOARD_TOKEN_DIGEST_KEY,
    sessionSecret: values.SWITCHBOARD_SESSION_SECRET,
    sessionMaxAgeMs: values.GATEWAY_SESSION_MAX_AGE_SECONDS * 1000,
    snapshotDir: resolve(values.SWITCHBOARD_SNAPSHOT_DIR ?? `.switchboard/gateway/${values.SWITCHBOARD_FLEET}`),
    bodyLimitBytes: values.GATEWAY_BODY_LIMIT_BYTES,
    upstreamTimeoutMs: values.GATEWAY_UPSTREAM_TIMEOUT_MS,
    allowedOrigins: commaList(values.GATEWAY_ALLOWED_ORIGINS),
    allowedHosts: commaList(values.GATEWAY_ALLOWED_HOSTS),
  };
}

function commaList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}
