import { Injectable } from "@nestjs/common";
import {
  accessibleServers,
  accessibleVirtualServers,
  callableTools,
  decideToolCall,
  type PolicyIndex,
  type ScopedPrincipal,
} from "@switchboard/snapshot";
import { AppError } from "../common/app-error.js";
import { CompiledPolicy } from "./compiled-policy.js";
import type { EffectiveAccessView, ExplainQuery, ExplainView, PrincipalQuery } from "./dto/access.dto.js";

/**
 * What a principal can see and call, and why a call is allowed or denied — answered by the same
 * decision functions, over the same snapshot, that gateways enforce.
 */
@Injectable()
export class AccessExplainer {
  constructor(private readonly policy: CompiledPolicy) {}

  async effective(query: PrincipalQuery): Promise<EffectiveAccessView> {
    const index = await this.policy.latest();
    const principal = principalIn(index, query);
    const toolsOf = (type: "server" | "virtual-server", id: string) => [
      ...callableTools(index, principal, { type, id }).keys(),
    ];
    return {
      snapshotVersion: index.version,
      servers: accessibleServers(index, principal).map((server) => ({
        id: server.id,
        slug: server.slug,
        tools: toolsOf("server", server.id),
      })),
      virtualServers: accessibleVirtualServers(index, principal).map((server) => ({
        id: server.id,
        slug: server.slug,
        tools: toolsOf("virtual-server", server.id),
      })),
    };
  }

  async explain(query: ExplainQuery): Promise<ExplainView> {
    const index = await this.policy.latest();
    const decision = decideToolCall(
      index,
      principalIn(index, query),
      { type: query.targetType, id: query.targetId },
      query.tool,
    );
    return decision.allowed
      ? { snapshotVersion: index.version, allowed: true, grantIds: decision.grantIds, upstream: decision.upstream }
      : { snapshotVersion: index.version, allowed: false, reason: decision.reason, grantIds: decision.grantIds };
  }
}

/** The principal as the snapshot knows it; any token's scope aside (explain answers for the principal). */
function principalIn(index: PolicyIndex, query: PrincipalQuery): ScopedPrincipal {
  const known =
    query.principalType === "user"
      ? index.usersById.has(query.principalId)
      : index.virtualAccountsById.has(query.principalId);
  if (!known) throw AppError.notFound(query.principalType === "user" ? "User" : "Virtual account");
  return { kind: query.principalType, id: query.principalId, tokenId: "", scope: null };
}
