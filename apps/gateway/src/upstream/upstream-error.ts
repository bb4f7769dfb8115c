/** Why an upstream call failed. The caller sees a generic JSON-RPC error, never these details. */
export class UpstreamError extends Error {
  constructor(
    readonly kind: "timeout" | "cancelled" | "unavailable" | "protocol",
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = "UpstreamError";
  }
}
