import { z } from "zod";

/** The snapshot format version. A gateway refuses a snapshot whose schemaVersion it does not know. */
export const SNAPSHOT_SCHEMA_VERSION = 2;

const id = z.string().min(1).max(128);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const isoTime = z.string().datetime({ offset: true });
const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);

export const SnapshotUserSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  active: z.boolean(),
  /** Teams the user belongs to; the user's view includes every one of their grants. */
  teamIds: z.array(id),
});

export const SnapshotTeamSchema = z.object({ id, name: z.string() });

/** A service identity owned by a team, for applications. It holds only its own grants. */
export const SnapshotVirtualAccountSchema = z.object({
  id,
  name: z.string(),
  teamId: id,
  active: z.boolean(),
});

export const TokenOwnerSchema = z.object({ type: z.enum(["user", "virtual-account"]), id });

export const TargetRefSchema = z.object({ type: z.enum(["server", "virtual-server"]), id });

/** A gateway token, present only as the HMAC-SHA-256 digest of its secret. */
export const SnapshotTokenSchema = z.object({
  id,
  owner: TokenOwnerSchema,
  digest: sha256Hex,
  expiresAt: isoTime.nullable(),
  /** The targets this token is limited to; null means whatever its owner may use. */
  scope: z.array(TargetRefSchema).nullable(),
});

export const SnapshotUpstreamAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  /** Header values sealed to the data plane's key (a compact JWE); only gateways can open them. */
  z.object({ type: z.literal("headers"), sealedHeaders: z.string().min(1) }),
]);

/**
 * An approved tool, pinned to the sha256 of its definition's canonical form (see
 * `toolDefinitionDigest`). A gateway shows and calls a tool only while the upstream's current
 * definition has exactly this digest.
 */
export const PinnedToolSchema = z.object({ name: z.string().min(1), sha256: sha256Hex });

export const SnapshotServerSchema = z.object({
  id,
  slug,
  name: z.string(),
  url: z.string().url(),
  enabled: z.boolean(),
  auth: SnapshotUpstreamAuthSchema,
  /** Approved tools only; a tool not listed here is hidden and refused. */
  tools: z.array(PinnedToolSchema),
});

export const VirtualToolSchema = z.object({
  /** The name agents see on the virtual server. */
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  serverId: id,
  /** The upstream tool's name on that server. */
  tool: z.string().min(1),
  /** Replaces the upstream description when set. */
  description: z.string().nullable(),
});

/** A curated slice of tools from several servers, served at `/mcp/v/{slug}`. */
export const SnapshotVirtualServerSchema = z.object({
  id,
  slug,
  name: z.string(),
  tools: z.array(VirtualToolSchema),
});

/** Which tools of the target a grant covers: all, only the listed ones, or all but the listed ones. */
export const GrantToolsSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("all") }),
  z.object({ mode: z.literal("allow"), names: z.array(z.string().min(1)) }),
  z.object({ mode: z.literal("deny"), names: z.array(z.string().min(1)) }),
]);

export const SnapshotGrantSchema = z.object({
  id,
  subject: z.object({ type: z.enum(["user", "team", "virtual-account"]), id }),
  target: TargetRefSchema,
  /** Names are upstream tool names for a server, virtual tool names for a virtual server. */
  tools: GrantToolsSchema,
});

export const PolicySnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  version: z.number().int().positive(),
  issuedAt: isoTime,
  users: z.array(SnapshotUserSchema),
  teams: z.array(SnapshotTeamSchema),
  virtualAccounts: z.array(SnapshotVirtualAccountSchema),
  tokens: z.array(SnapshotTokenSchema),
  servers: z.array(SnapshotServerSchema),
  virtualServers: z.array(SnapshotVirtualServerSchema),
  grants: z.array(SnapshotGrantSchema),
});

export type PolicySnapshot = z.infer<typeof PolicySnapshotSchema>;
export type SnapshotUser = z.infer<typeof SnapshotUserSchema>;
export type SnapshotTeam = z.infer<typeof SnapshotTeamSchema>;
export type SnapshotVirtualAccount = z.infer<typeof SnapshotVirtualAccountSchema>;
export type SnapshotToken = z.infer<typeof SnapshotTokenSchema>;
export type TokenOwner = z.infer<typeof TokenOwnerSchema>;
export type TargetRef = z.infer<typeof TargetRefSchema>;
export type SnapshotServer = z.infer<typeof SnapshotServerSchema>;
export type PinnedTool = z.infer<typeof PinnedToolSchema>;
export type SnapshotVirtualServer = z.infer<typeof SnapshotVirtualServerSchema>;
export type VirtualTool = z.infer<typeof VirtualToolSchema>;
export type SnapshotGrant = z.infer<typeof SnapshotGrantSchema>;
export type GrantTools = z.infer<typeof GrantToolsSchema>;
export type SnapshotUpstreamAuth = z.infer<typeof SnapshotUpstreamAuthSchema>;
