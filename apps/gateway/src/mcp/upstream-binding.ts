import type { Logger } from "pino";
import type { CallScope } from "../enforcement/call-scope.js";
import { endpointServers } from "../enforcement/endpoint-servers.js";
import type { BoundUpstreamSession, UpstreamClient, UpstreamSession } from "../upstream/upstream-client.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/**
 * How many upstream sessions one agent session binds at most. Each one adds about 130 bytes to the
 * sealed `Mcp-Session-Id`; servers beyond it (or granted after initialize) get per-pod sessions.
 */
export const MAX_BOUND_UPSTREAMS = 16;

export type OpenedUpstreams = Map<UpstreamTarget, UpstreamSession>;

/**
 * Opens one upstream session per server the endpoint reaches, presenting the agent's capabilities,
 * at the agent's `initialize`. An upstream that fails now is left unbound, not fatal.
 */
export async function openUpstreamSessions(
  upstreams: UpstreamClient,
  scope: CallScope,
  logger: Logger,
): Promise<OpenedUpstreams> {
  const targets = endpointServers(scope).slice(0, MAX_BOUND_UPSTREAMS);
  const outcomes = await Promise.allSettled(targets.map((target) => upstreams.open(target, scope.clientCapabilities)));
  const opened: OpenedUpstreams = new Map();
  outcomes.forEach((outcome, position) => {
    const target = targets[position] as UpstreamTarget;
    if (outcome.status === "fulfilled") opened.set(target, outcome.value);
    else logger.warn({ server: target.slug, reason: String(outcome.reason) }, "could not open an upstream session");
  });
  return opened;
}

/** The part of opened sessions that is sealed into the agent's session id: upstreams with a session id. */
export function boundSessions(opened: OpenedUpstreams): Record<string, BoundUpstreamSession> {
  const bound: Record<string, BoundUpstreamSession> = {};
  for (const [target, session] of opened) {
    if (session.sessionId)
      bound[target.serverId] = { sessionId: session.sessionId, protocolVersion: session.protocolVersion };
  }
  return bound;
}
