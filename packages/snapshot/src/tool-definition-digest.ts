import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/**
 * The sha256 (hex) of a tool definition's canonical form: every field an upstream sends for the
 * tool (name, title, description, schemas, annotations, ...) except `_meta`, with keys sorted. Both
 * planes use this one function: the control plane pins the digest of what an admin approved, the
 * gateway compares the upstream's current definition against the pin.
 */
export function toolDefinitionDigest(tool: Record<string, unknown>): string {
  const { _meta: _ignored, ...definition } = tool;
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}
