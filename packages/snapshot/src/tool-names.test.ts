import { describe, expect, it } from "vitest";
import { namespaceToolName, splitNamespacedToolName, TOOL_NAME_PATTERN } from "./tool-names.js";

describe("tool names", () => {
  it("prefixes plain names with the server slug", () => {
    expect(namespaceToolName("github", "create_issue")).toBe("github__create_issue");
    expect(splitNamespacedToolName("github__create_issue")).toEqual({ serverSlug: "github", rest: "create_issue" });
  });

  it("keeps every name within the pattern and distinct", () => {
    const long = "a".repeat(100);
    const names = [
      namespaceToolName("s", "files.read"),
      namespaceToolName("s", "files_read"),
      namespaceToolName("s", long),
    ];
    for (const name of names) expect(name).toMatch(TOOL_NAME_PATTERN);
    expect(new Set(names).size).toBe(3);
    expect(namespaceToolName("s", `${long}x`)).not.toBe(namespaceToolName("s", `${long}y`));
  });
});
