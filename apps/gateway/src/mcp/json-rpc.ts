/** JSON-RPC 2.0 as MCP uses it: one message per POST. */
export type JsonRpcId = string | number;

export type JsonRpcRequest = { jsonrpc: "2.0"; id: JsonRpcId; method: string; params?: Record<string, unknown> };
export type JsonRpcNotification = { jsonrpc: "2.0"; method: string; params?: Record<string, unknown> };
export type JsonRpcMessage =
  | { kind: "request"; message: JsonRpcRequest }
  | { kind: "notification"; message: JsonRpcNotification }
  | { kind: "response"; message: { id: JsonRpcId; result?: unknown; error?: unknown } };

export const JsonRpcErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

export type JsonRpcErrorBody = { jsonrpc: "2.0"; id: JsonRpcId | null; error: { code: number; message: string } };

export function jsonRpcError(id: JsonRpcId | null, code: number, message: string): JsonRpcErrorBody {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

export type ParseOutcome = { ok: true; value: JsonRpcMessage } | { ok: false; error: JsonRpcErrorBody };

function isId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** MCP params are always an object, never a JSON-RPC positional array. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the body once and checks the JSON-RPC shape; batches are not part of MCP 2025-06-18+. */
export function parseJsonRpcMessage(body: Buffer): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, error: jsonRpcError(null, JsonRpcErrorCode.parseError, "Parse error: the body is not JSON") };
  }
  if (Array.isArray(value)) return invalid(null, "batches are not supported");
  if (typeof value !== "object" || value === null) return invalid(null, "expected a JSON-RPC object");
  const candidate = value as Record<string, unknown>;
  // JSON-RPC answers an invalid request with its id when the id itself is readable.
  const id = isId(candidate.id) ? candidate.id : null;
  if (candidate.jsonrpc !== "2.0") return invalid(id, '"jsonrpc" must be "2.0"');
  if (candidate.params !== undefined && !isObject(candidate.params)) return invalid(id, '"params" must be an object');
  if (typeof candidate.method === "string" && candidate.method.length > 0) {
    if (candidate.id === undefined)
      return { ok: true, value: { kind: "notification", message: candidate as JsonRpcNotification } };
    if (!isId(candidate.id)) return invalid(null, '"id" must be a string or a number');
    return { ok: true, value: { kind: "request", message: candidate as JsonRpcRequest } };
  }
  if (
    candidate.method === undefined &&
    isId(candidate.id) &&
    Object.hasOwn(candidate, "result") !== Object.hasOwn(candidate, "error")
  ) {
    return {
      ok: true,
      value: { kind: "response", message: candidate as { id: JsonRpcId; result?: unknown; error?: unknown } },
    };
  }
  return invalid(id, "expected a request, a notification or a response");
}

function invalid(id: JsonRpcId | null, message: string): ParseOutcome {
  return { ok: false, error: jsonRpcError(id, JsonRpcErrorCode.invalidRequest, `Invalid Request: ${message}`) };
}
