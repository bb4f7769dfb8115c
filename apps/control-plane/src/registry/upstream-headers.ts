import type { FieldError } from "../common/app-error.js";

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const MAX_HEADERS = 50;
const MAX_VALUE_LENGTH = 8_192;
/** Headers the gateway sets itself on every upstream request; an admin may not override them. */
const RESERVED = new Set([
  "host",
  "content-length",
  "content-type",
  "accept",
  "connection",
  "transfer-encoding",
  "mcp-session-id",
  "mcp-protocol-version",
]);

/** Field errors for a static upstream header map; values are never echoed into a message. */
export function upstreamHeaderErrors(headers: Record<string, unknown>): FieldError[] {
  const entries = Object.entries(headers);
  const errors: FieldError[] = entries.flatMap(([name, value]): FieldError[] => {
    const field = `auth.headers.${name}`;
    if (!HEADER_NAME.test(name)) return [{ field, message: "not a valid header name" }];
    if (RESERVED.has(name.toLowerCase())) return [{ field, message: "set by the gateway itself" }];
    if (typeof value !== "string" || value.length === 0 || value.length > MAX_VALUE_LENGTH)
      return [{ field, message: `must be a string of 1-${MAX_VALUE_LENGTH} characters` }];
    // Header values are visible ASCII, spaces and tabs; anything else could split or smuggle headers.
    if (!/^[\t\x20-\x7e\x80-\xff]+$/.test(value)) return [{ field, message: "must be a single line of text" }];
    return [];
  });
  if (entries.length === 0) errors.push({ field: "auth.headers", message: "headers auth needs at least one header" });
  if (entries.length > MAX_HEADERS) errors.push({ field: "auth.headers", message: `at most ${MAX_HEADERS} headers` });
  const lowerNames = entries.map(([name]) => name.toLowerCase());
  if (new Set(lowerNames).size !== lowerNames.length)
    errors.push({ field: "auth.headers", message: "header names must differ in more than case" });
  return errors;
}
