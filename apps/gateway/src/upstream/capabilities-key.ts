import { canonicalJson } from "@switchboard/snapshot";

/** A stable key for a set of client capabilities; the common empty set costs nothing. */
export function capabilitiesKey(capabilities: Record<string, unknown>): string {
  for (const _ in capabilities) return canonicalJson(capabilities);
  return "{}";
}
