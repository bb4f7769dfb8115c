import type { FastifyReply } from "fastify";
import type { Logger } from "pino";
import type { EndpointAddress } from "../enforcement/endpoint.js";
import { resolveEndpoint } from "../enforcement/endpoint.js";
import { featureServers } from "../enforcement/feature-servers.js";
import { canReachServer } from "../enforcement/server-reach.js";
import type { ToolCatalog } from "../enforcement/tool-catalog.js";
import { toolViewSignature } from "../enforcement/tool-view-signature.js";
import type { McpSession } from "../session/session-sealer.js";
import type { StreamEventIds } from "../session/stream-event-ids.js";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import type { SnapshotLifecycle } from "../snapshot/snapshot-lifecycle.js";
import type { UpstreamInbound } from "../upstream/read-json-rpc-response.js";
import type { UpstreamClient } from "../upstream/upstream-client.js";
import { followUpstreamEvents } from "../upstream/upstream-event-stream.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import { AggregateFeatures } from "./aggregate-features.js";
import { NotificationStream } from "./notification-stream.js";
import type { ServerRequestRelay } from "./server-request-relay.js";

export type SessionNotificationDependencies = {
  lifecycle: SnapshotLifecycle;
  upstreams: UpstreamClient;
  catalog: ToolCatalog;
  serverRequests: ServerRequestRelay;
  eventIds: StreamEventIds;
  logger: Logger;
};

export type StreamRequest = {
  policy: ActivePolicy;
  principal: Parameters<typeof toolViewSignature>[1];
  address: EndpointAddress;
  session: McpSession;
  sessionId: string;
  lastEventId: string | undefined;
};

const TOOLS_CHANGED = { jsonrpc: "2.0", method: "notifications/tools/list_changed" } as const;

/** Upstream notifications about the agent's own exchanges with the upstream, relayed as they are. */
const SESSION_NOTIFICATIONS = new Set(["notifications/elicitation/complete", "notifications/progress"]);

/** Notifications an upstream sends on its own stream that reach an agent only through pass-through. */
const PASS_THROUGH_NOTIFICATIONS = new Set([
  "notifications/resources/updated",
  "notifications/resources/list_changed",
  "notifications/prompts/list_changed",
  "notifications/message",
]);

/**
 * Serves an agent session's GET stream: `tools/list_changed` whenever a snapshot changes the
 * caller's tool view (also on resumption, when it changed while the client was away), and the
 * bound upstream sessions' own streams relayed — list changes after re-filtering, resource
 * updates and logs where they pass through, server-to-client requests under sealed ids.
 * Returns a function that ends the stream; undefined when `Last-Event-ID` is not this session's.
 */
export function openSessionNotifications(
  dependencies: SessionNotificationDependencies,
  request: StreamRequest,
  reply: FastifyReply,
  onClose: () => void,
): (() => void) | undefined {
  const { lifecycle, upstreams, catalog, serverRequests, eventIds, logger } = dependencies;
  const { principal, address, session, sessionId } = request;
  let view = toolViewSignature(request.policy, principal, address);
  let seq = 0;
  let missedChange = false;
  if (request.lastEventId !== undefined) {
    const resumed = eventIds.resume(sessionId, request.lastEventId);
    if (!resumed) return undefined;
    seq = resumed.seq;
    missedChange = resumed.viewDigest !== eventIds.viewDigest(view);
  }
  const nextEventId = () => eventIds.issue(sessionId, view, ++seq);
  const following = new AbortController();
  const stream: NotificationStream = new NotificationStream(reply, nextEventId(), () => {
    following.abort();
    stopListening();
    onClose();
  });
  const send = (message: unknown) => stream.send(message, nextEventId());
  if (missedChange) send(TOOLS_CHANGED);

  const stopListening = lifecycle.onEachActivation((policy) => {
    const next = toolViewSignature(policy, principal, address);
    if (next === view) return;
    view = next;
    send(TOOLS_CHANGED);
  });

  const relay = serverRequests.relayFor(principal, session.clientCapabilities, following.signal, send);
  const onUpstreamMessage =
    (target: UpstreamTarget, origin: McpSession["upstreams"][string]) => (message: UpstreamInbound) => {
      const policy = lifecycle.policy;
      if (!policy || !canReachServer(policy.index, principal, target.serverId)) return;
      if (message.id !== undefined) {
        relay.onInbound(message, origin, target);
      } else if (SESSION_NOTIFICATIONS.has(message.method)) {
        send(message);
      } else if (message.method === "notifications/tools/list_changed") {
        catalog.forget(target);
        send(TOOLS_CHANGED);
      } else if (PASS_THROUGH_NOTIFICATIONS.has(message.method)) {
        const endpoint = resolveEndpoint(policy, principal, address);
        const scope = endpoint && { policy, principal, endpoint };
        if (!scope || !featureServers(scope).some((server) => server.serverId === target.serverId)) return;
        send(endpoint.kind === "aggregate" ? prefixResourceUri(message, target.slug) : message);
      }
    };
  for (const [serverId, bound] of Object.entries(session.upstreams)) {
    const target = request.policy.upstreams.get(serverId);
    if (!target) continue;
    followUpstreamEvents(upstreams, target, bound, following.signal, onUpstreamMessage(target, bound), logger);
  }
  return () => stream.end();
}

/** On `/mcp`, resource URIs carry their server's slug (see aggregate-features.ts). */
function prefixResourceUri(message: UpstreamInbound, slug: string): UpstreamInbound {
  const params = message.params as { uri?: unknown } | undefined;
  if (message.method !== "notifications/resources/updated" || typeof params?.uri !== "string") return message;
  return { ...message, params: { ...params, uri: AggregateFeatures.prefixUri(slug, params.uri) } };
}
