import type { McpTool } from "@switchboard/database";

/**
 * approved: usable (the current definition is the approved one). changed: approved once, but the
 * upstream now describes it differently — hidden until the new definition is approved. pending:
 * never approved. removed: the upstream no longer lists it.
 */
export type ToolStatus = "approved" | "changed" | "pending" | "removed";

export function toolStatus(tool: Pick<McpTool, "sha256" | "approvedSha256">): ToolStatus {
  if (tool.sha256 === null) return "removed";
  if (tool.approvedSha256 === null) return "pending";
  return tool.sha256 === tool.approvedSha256 ? "approved" : "changed";
}
