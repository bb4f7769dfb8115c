import type { ScopedPrincipal } from "@switchboard/snapshot";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import type { BoundUpstreamSession } from "../upstream/upstream-client.js";
import type { Endpoint } from "./endpoint.js";

/** What one MCP request may reach: decided by the snapshot in force, the caller and the endpoint. */
export type CallScope = {
  policy: ActivePolicy;
  principal: ScopedPrincipal;
  endpoint: Endpoint;
  /** The client capabilities the agent declared in its session; upstream sessions present these. */
  clientCapabilities: Record<string, unknown>;
  /** The agent session's bound upstream sessions, by server id (empty before initialize completes). */
  bound: Record<string, BoundUpstreamSession>;
  /** Between a server's slug and a tool or prompt name on the aggregate endpoint. */
  separator: string;
};

/** The key upstream sessions, agent sessions and relayed ids are bound to. */
export function principalKey(principal: { kind: string; id: string }): string {
  return `${principal.kind}:${principal.id}`;
}
