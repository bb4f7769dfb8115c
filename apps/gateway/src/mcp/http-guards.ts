import type { FastifyRequest } from "fastify";
import { SUPPORTED_PROTOCOL_VERSIONS } from "./protocol-versions.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * DNS rebinding: a page on evil.example resolving to 127.0.0.1 reaches a loopback gateway with a
 * foreign Host. Loopback names always pass; other names only when listed, or when the gateway is
 * bound beyond loopback and no list is configured (a load balancer's name is then not known).
 */
export function isHostAllowed(request: FastifyRequest, allowedHosts: string[], boundToLoopback: boolean): boolean {
  const host = request.headers.host;
  if (!host) return false;
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? "");
  if (LOOPBACK_HOSTS.has(hostname.toLowerCase())) return true;
  if (allowedHosts.length > 0) return allowedHosts.includes(hostname);
  return !boundToLoopback;
}

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
