import { createHash } from "node:crypto";

/** Names the aggregated endpoint gives tools and prompts: `<server-slug><separator><name>`, always within this pattern. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const DEFAULT_TOOL_NAME_SEPARATOR = "__";
const MAX_TOOL_NAME = 64;

/**
 * A separator is 1 to 4 characters of the name pattern, at least one of which a slug never holds
 * (`_` or an upper-case letter), so the first place it occurs in a name is where the slug ends.
 */
export function isValidToolNameSeparator(separator: string): boolean {
  return /^[a-zA-Z0-9_-]{1,4}$/.test(separator) && /[_A-Z]/.test(separator);
}

/**
 * Prefixes a tool with its server's slug. Characters outside the pattern become `_`; a name that
 * had to change or that would be too long gets a short hash of the original, so two upstream
 * names never collapse into one.
 */
export function namespaceToolName(
  serverSlug: string,
  toolName: string,
  separator = DEFAULT_TOOL_NAME_SEPARATOR,
): string {
  const prefix = `${serverSlug}${separator}`;
  const sanitized = toolName.replace(/[^a-zA-Z0-9_-]/g, "_");
  const plain = `${prefix}${sanitized}`;
  if (sanitized === toolName && plain.length <= MAX_TOOL_NAME) return plain;
  const hash = createHash("sha256").update(toolName).digest("hex").slice(0, 8);
  const room = Math.max(MAX_TOOL_NAME - prefix.length - hash.length - 1, 1);
  return `${prefix}${sanitized.slice(0, room)}_${hash}`;
}

/** Splits an aggregated name into the server slug and the remainder (see `isValidToolNameSeparator`). */
export function splitNamespacedToolName(
  name: string,
  separator = DEFAULT_TOOL_NAME_SEPARATOR,
): { serverSlug: string; rest: string } | undefined {
  const at = name.indexOf(separator);
  if (at <= 0) return undefined;
  return { serverSlug: name.slice(0, at), rest: name.slice(at + separator.length) };
}
