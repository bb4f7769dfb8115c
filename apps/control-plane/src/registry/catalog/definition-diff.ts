export type DefinitionChange = { path: string; before?: unknown; after?: unknown };

/** Field-by-field differences between two JSON values, as JSON-pointer-like paths. */
export function diffDefinitions(before: unknown, after: unknown, path = ""): DefinitionChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffDefinitions(before[key], after[key], `${path}/${key}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) =>
      diffDefinitions(before[index], after[index], `${path}/${index}`),
    ).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    { path: path || "/", ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) },
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
