import { describe, expect, it } from "vitest";
import {
  isValidToolNameSeparator,
  namespaceToolName,
  splitNamespacedToolName,
  TOOL_NAME_PATTERN,
} from "./tool-names.js";

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

  it("uses a configured separator, refusing ones a slug could contain", () => {
    expect(namespaceToolName("my-server", "read", "_")).toBe("my-server_read");
    expect(splitNamespacedToolName("my-server_read_file", "_")).toEqual({ serverSlug: "my-server", rest: "read_file" });
    expect(splitNamespacedToolName("my-serverXread", "X")).toEqual({ serverSlug: "my-server", rest: "read" });
    expect(isValidToolNameSeparator("__")).toBe(true);
    expect(isValidToolNameSeparator("-")).toBe(false);
    expect(isValidToolNameSeparator("x")).toBe(false);
    expect(isValidToolNameSeparator(".")).toBe(false);
    expect(isValidToolNameSeparator("_____")).toBe(false);
  });
});
