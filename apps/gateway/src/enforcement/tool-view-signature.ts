import { accessibleServers, callableTools, type ScopedPrincipal, type TargetRef } from "@switchboard/snapshot";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import { type EndpointAddress, resolveEndpoint } from "./endpoint.js";

/**
 * A short description of which tools (and approved definitions) policy lets this caller see on
 * this endpoint. When a new snapshot changes it, the caller's tool list changed even if no
 * upstream did.
 */
export function toolViewSignature(policy: ActivePolicy, principal: ScopedPrincipal, address: EndpointAddress): string {
  const endpoint = resolveEndpoint(policy, principal, address);
  if (!endpoint) return "";
  const refs: TargetRef[] =
    endpoint.kind === "aggregate"
      ? accessibleServers(policy.index, principal).map((server) => ({ type: "server", id: server.id }))
      : [endpoint.ref];
  const parts = refs.map((ref) => {
    const tools = [...callableTools(policy.index, principal, ref)].map(([name, pin]) => `${name}=${pin.sha256}`);
    return `${ref.type}:${ref.id}{${tools.join(",")}}`;
  });
  if (endpoint.kind === "virtual") parts.push(JSON.stringify(endpoint.virtualServer.tools));
  return parts.join("|");
}
