import type { FastifyRequest } from "fastify";
import { SUPPORTED_PROTOCOL_VERSIONS } from "./protocol-versions.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Browsers send Origin; a page on another site must not drive a local gateway (DNS rebinding). */
export function isOriginAllowed(request: FastifyRequest, allowedOrigins: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Streamable HTTP clients must accept both JSON and SSE answers. */
export function acceptsMcpResponses(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  if (accept.includes("*/*")) return true;
  return accept.includes("application/json") && accept.includes("text/event-stream");
}

/** Absent means 2025-03-26 by the spec; anything else must be a version we speak. */
export function hasSupportedProtocolVersion(request: FastifyRequest): boolean {
  const version = request.headers["mcp-protocol-version"];
  return version === undefined || (typeof version === "string" && SUPPORTED_PROTOCOL_VERSIONS.has(version));
}
