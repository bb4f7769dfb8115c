import { createHash } from "node:crypto";

/** Names the aggregated endpoint gives tools: `<server-slug>__<tool>`, always within this pattern. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const TOOL_NAMESPACE_SEPARATOR = "__";
const MAX_TOOL_NAME = 64;

/**
 * Prefixes a tool with its server's slug. Characters outside the pattern become `_`; a name that
 * had to change or that would be too long gets a short hash of the original, so two upstream
 * names never collapse into one.
 */
export function namespaceToolName(serverSlug: string, toolName: string): string {
  const prefix = `${serverSlug}${TOOL_NAMESPACE_SEPARATOR}`;
  const sanitized = toolName.replace(/[^a-zA-Z0-9_-]/g, "_");
  const plain = `${prefix}${sanitized}`;
  if (sanitized === toolName && plain.length <= MAX_TOOL_NAME) return plain;
  const hash = createHash("sha256").update(toolName).digest("hex").slice(0, 8);
  const room = Math.max(MAX_TOOL_NAME - prefix.length - hash.length - 1, 1);
  return `${prefix}${sanitized.slice(0, room)}_${hash}`;
}

/** Splits an aggregated name into the server slug and the remainder. Slugs never contain `_`. */
export function splitNamespacedToolName(name: string): { serverSlug: string; rest: string } | undefined {
  const at = name.indexOf(TOOL_NAMESPACE_SEPARATOR);
  if (at <= 0) return undefined;
  return { serverSlug: name.slice(0, at), rest: name.slice(at + TOOL_NAMESPACE_SEPARATOR.length) };
}
