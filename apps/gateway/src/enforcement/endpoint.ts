import { type ScopedPrincipal, type SnapshotVirtualServer, type TargetRef, targetAccess } from "@switchboard/snapshot";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/**
 * Where an MCP request arrived: `/mcp` (every server the caller may use, tools namespaced),
 * `/mcp/{slug}` (one server, upstream names) or `/mcp/v/{slug}` (a virtual server, curated names).
 */
export type Endpoint =
  | { kind: "aggregate"; path: string }
  | { kind: "server"; path: string; ref: TargetRef; upstream: UpstreamTarget }
  | { kind: "virtual"; path: string; ref: TargetRef; virtualServer: SnapshotVirtualServer };

export type EndpointAddress = { kind: Endpoint["kind"]; slug?: string };

export function endpointPath(address: EndpointAddress): string {
  if (address.kind === "aggregate") return "/mcp";
  return address.kind === "server" ? `/mcp/${address.slug}` : `/mcp/v/${address.slug}`;
}

/**
 * The endpoint in this snapshot, or undefined when it does not exist for this caller: an unknown,
 * disabled or ungranted server answers exactly like a missing one.
 */
export function resolveEndpoint(
  policy: ActivePolicy,
  principal: ScopedPrincipal,
  address: EndpointAddress,
): Endpoint | undefined {
  const path = endpointPath(address);
  if (address.kind === "aggregate") return { kind: "aggregate", path };
  const slug = address.slug ?? "";
  if (address.kind === "server") {
    const server = policy.index.serversBySlug.get(slug);
    const upstream = server && policy.upstreams.get(server.id);
    if (!server?.enabled || !upstream) return undefined;
    const ref = { type: "server" as const, id: server.id };
    return targetAccess(policy.index, principal, ref) ? { kind: "server", path, ref, upstream } : undefined;
  }
  const virtualServer = policy.index.virtualServersBySlug.get(slug);
  if (!virtualServer) return undefined;
  const ref = { type: "virtual-server" as const, id: virtualServer.id };
  return targetAccess(policy.index, principal, ref) ? { kind: "virtual", path, ref, virtualServer } : undefined;
}
