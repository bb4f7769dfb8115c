import { namespaceToolName, splitNamespacedToolName } from "@switchboard/snapshot";
import { type CallScope, principalKey } from "../enforcement/call-scope.js";
import { featureServers } from "../enforcement/feature-servers.js";
import type { SealedCodec } from "../session/sealed-codec.js";
import type { UpstreamClient, UpstreamRequestOptions } from "../upstream/upstream-client.js";
import { UpstreamError } from "../upstream/upstream-error.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import { JsonRpcErrorCode, type JsonRpcRequest, jsonRpcError } from "./json-rpc.js";

const CURSOR_PURPOSE = "aggregate-list-cursor";
const RESOURCE_NOT_FOUND = -32002;
const MAX_PROMPT_PAGES = 20;

/** Where an aggregated listing stopped: sealed, so a cursor opens only for its own caller, endpoint and method. */
type ListCursor = { principal: string; endpoint: string; method: string; serverId: string; upstream?: string };

/** The aggregated list methods and the field each answers with. */
const LIST_FIELDS: Record<string, "resources" | "resourceTemplates" | "prompts"> = {
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
  "prompts/list": "prompts",
};

type Forward = (
  target: UpstreamTarget,
  method: string,
  params: unknown,
) => Promise<{ result?: unknown; error?: unknown }>;

/**
 * Resources, prompts, completions and logging on the aggregate `/mcp`, over every server granted
 * broadly (see feature-servers.ts). Prompt names get the tool prefix (`<slug><separator><name>`);
 * resource URIs and URI templates become `<slug>+<uri>`, so a read, subscription or completion goes
 * back to the server that listed it. Lists are merged in slug order, one upstream page per answer,
 * under composite cursors sealed to the caller, endpoint and method.
 */
export class AggregateFeatures {
  constructor(
    private readonly upstreams: UpstreamClient,
    private readonly codec: SealedCodec,
  ) {}

  async handle(request: JsonRpcRequest, scope: CallScope, options: (target: UpstreamTarget) => UpstreamRequestOptions) {
    const forward: Forward = (target, method, params) =>
      this.upstreams.request(principalKey(scope.principal), target, method, params, options(target));
    const params = request.params ?? {};
    const servers = featureServers(scope);
    const field = LIST_FIELDS[request.method];
    if (field) return this.list(request, scope, servers, field, forward);
    switch (request.method) {
      case "resources/read":
      case "resources/subscribe":
      case "resources/unsubscribe": {
        const located = locateResource(servers, params.uri);
        if (!located) return jsonRpcError(request.id, RESOURCE_NOT_FOUND, "Resource not found");
        const answer = await forward(located.target, request.method, { ...params, uri: located.uri });
        return reply(request, answer, (result) => prefixReadContents(result, located.target.slug));
      }
      case "prompts/get": {
        const located = await this.locatePrompt(servers, params.name, scope.separator, forward);
        if (!located) return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, "Unknown prompt");
        return reply(request, await forward(located.target, request.method, { ...params, name: located.name }));
      }
      case "completion/complete": {
        const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
        const located =
          ref?.type === "ref/prompt"
            ? mapName(await this.locatePrompt(servers, ref.name, scope.separator, forward), (name) => ({
                ...ref,
                name,
              }))
            : ref?.type === "ref/resource"
              ? mapName(locateResource(servers, ref.uri), (uri) => ({ ...ref, uri }))
              : undefined;
        if (!located) return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, "Unknown completion reference");
        return reply(request, await forward(located.target, request.method, { ...params, ref: located.ref }));
      }
      case "logging/setLevel": {
        await Promise.allSettled(servers.map((target) => forward(target, request.method, params)));
        return { jsonrpc: "2.0", id: request.id, result: {} };
      }
      default:
        return jsonRpcError(request.id, JsonRpcErrorCode.methodNotFound, `Method not found: ${request.method}`);
    }
  }

  /** Rewrites a resource URI an upstream sent (e.g. in `notifications/resources/updated`) for `/mcp`. */
  static prefixUri(slug: string, uri: string): string {
    return `${slug}+${uri}`;
  }

  /**
   * The server and upstream name of an aggregated prompt name. A name that had to be shortened or
   * sanitised cannot be split back, so the server's prompt list is consulted then.
   */
  private async locatePrompt(servers: UpstreamTarget[], name: unknown, separator: string, forward: Forward) {
    if (typeof name !== "string") return undefined;
    const split = splitNamespacedToolName(name, separator);
    const target = split && servers.find((server) => server.slug === split.serverSlug);
    if (!target || !split) return undefined;
    if (namespaceToolName(target.slug, split.rest, separator) === name) return { target, name: split.rest };
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PROMPT_PAGES; page++) {
      const result = (await forward(target, "prompts/list", cursor ? { cursor } : {})).result as
        | { prompts?: { name?: unknown }[]; nextCursor?: unknown }
        | undefined;
      for (const prompt of result?.prompts ?? []) {
        if (typeof prompt.name === "string" && namespaceToolName(target.slug, prompt.name, separator) === name) {
          return { target, name: prompt.name };
        }
      }
      if (typeof result?.nextCursor !== "string" || !result.nextCursor) return undefined;
      cursor = result.nextCursor;
    }
    return undefined;
  }

  private async list(
    request: JsonRpcRequest,
    scope: CallScope,
    servers: UpstreamTarget[],
    field: "resources" | "resourceTemplates" | "prompts",
    forward: Forward,
  ) {
    const owner = { principal: principalKey(scope.principal), endpoint: scope.endpoint.path, method: request.method };
    let position = 0;
    let upstreamCursor: string | undefined;
    if (request.params?.cursor !== undefined) {
      const cursor =
        typeof request.params.cursor === "string"
          ? this.codec.open<ListCursor>(CURSOR_PURPOSE, request.params.cursor)
          : undefined;
      position = servers.findIndex((target) => target.serverId === cursor?.serverId);
      const matches =
        cursor?.principal === owner.principal && cursor.endpoint === owner.endpoint && cursor.method === owner.method;
      if (!cursor || !matches || position < 0) {
        return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, "Invalid cursor");
      }
      upstreamCursor = cursor.upstream;
    }
    for (; position < servers.length; position++) {
      const target = servers[position] as UpstreamTarget;
      const answer = await forward(target, request.method, upstreamCursor ? { cursor: upstreamCursor } : {}).catch(
        (error: unknown) => {
          if (error instanceof UpstreamError) return undefined;
          throw error;
        },
      );
      upstreamCursor = undefined;
      const result = answer?.result as Record<string, unknown> | undefined;
      const items = Array.isArray(result?.[field]) ? (result[field] as Record<string, unknown>[]) : [];
      const next = typeof result?.nextCursor === "string" && result.nextCursor ? result.nextCursor : undefined;
      const following = next ? target : servers[position + 1];
      if (items.length === 0 && !next) continue;
      const nextCursor =
        following &&
        this.codec.seal(CURSOR_PURPOSE, {
          ...owner,
          serverId: following.serverId,
          ...(next ? { upstream: next } : {}),
        } satisfies ListCursor);
      return {
        jsonrpc: "2.0",
        id: request.id,
        result: {
          [field]: items.map((item) => renameItem(item, field, target.slug, scope.separator)),
          ...(nextCursor ? { nextCursor } : {}),
        },
      };
    }
    return { jsonrpc: "2.0", id: request.id, result: { [field]: [] } };
  }
}

function renameItem(item: Record<string, unknown>, field: string, slug: string, separator: string) {
  if (field === "prompts" && typeof item.name === "string") {
    return { ...item, name: namespaceToolName(slug, item.name, separator) };
  }
  if (field === "resources" && typeof item.uri === "string")
    return { ...item, uri: AggregateFeatures.prefixUri(slug, item.uri) };
  if (field === "resourceTemplates" && typeof item.uriTemplate === "string") {
    return { ...item, uriTemplate: AggregateFeatures.prefixUri(slug, item.uriTemplate) };
  }
  return item;
}

function locateResource(servers: UpstreamTarget[], uri: unknown) {
  if (typeof uri !== "string") return undefined;
  const plus = uri.indexOf("+");
  const target = plus > 0 ? servers.find((server) => server.slug === uri.slice(0, plus)) : undefined;
  return target && { target, uri: uri.slice(plus + 1), name: uri.slice(plus + 1) };
}

function mapName<T>(located: { target: UpstreamTarget; name: string } | undefined, ref: (name: string) => T) {
  return located && { target: located.target, ref: ref(located.name) };
}

function reply(
  request: JsonRpcRequest,
  answer: { result?: unknown; error?: unknown },
  rewrite: (result: unknown) => unknown = (result) => result,
) {
  return answer.error !== undefined
    ? { jsonrpc: "2.0", id: request.id, error: answer.error }
    : { jsonrpc: "2.0", id: request.id, result: rewrite(answer.result) };
}

function prefixReadContents(result: unknown, slug: string): unknown {
  const contents = (result as { contents?: unknown } | undefined)?.contents;
  if (!Array.isArray(contents)) return result;
  return {
    ...(result as object),
    contents: contents.map((content: Record<string, unknown>) =>
      typeof content.uri === "string" ? { ...content, uri: AggregateFeatures.prefixUri(slug, content.uri) } : content,
    ),
  };
}
