import { z } from "zod";

/** The snapshot format version. A gateway refuses a snapshot whose schemaVersion it does not know. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

const id = z.string().min(1).max(128);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const isoTime = z.string().datetime({ offset: true });

export const SnapshotUserSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  active: z.boolean(),
});

/** A gateway token, present only as the HMAC-SHA-256 digest of its secret. */
export const SnapshotTokenSchema = z.object({
  id,
  userId: id,
  digest: sha256Hex,
  expiresAt: isoTime.nullable(),
});

export const SnapshotUpstreamAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  /** Header values sealed to the data plane's key (a compact JWE); only gateways can open them. */
  z.object({ type: z.literal("headers"), sealedHeaders: z.string().min(1) }),
]);

export const SnapshotServerSchema = z.object({
  id,
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/),
  name: z.string(),
  url: z.string().url(),
  auth: SnapshotUpstreamAuthSchema,
});

export const SnapshotGrantSchema = z.object({
  id,
  subject: z.object({ type: z.literal("user"), id }),
  target: z.object({ type: z.literal("server"), id }),
  /** Tool allow-list; null means every tool of the target. */
  tools: z.array(z.string().min(1)).nullable(),
});

export const PolicySnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  version: z.number().int().positive(),
  issuedAt: isoTime,
  users: z.array(SnapshotUserSchema),
  tokens: z.array(SnapshotTokenSchema),
  servers: z.array(SnapshotServerSchema),
  grants: z.array(SnapshotGrantSchema),
});

export type PolicySnapshot = z.infer<typeof PolicySnapshotSchema>;
export type SnapshotUser = z.infer<typeof SnapshotUserSchema>;
export type SnapshotToken = z.infer<typeof SnapshotTokenSchema>;
export type SnapshotServer = z.infer<typeof SnapshotServerSchema>;
export type SnapshotGrant = z.infer<typeof SnapshotGrantSchema>;
export type SnapshotUpstreamAuth = z.infer<typeof SnapshotUpstreamAuthSchema>;
