import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Who the current request acts for; set by the auth guard, read where mutations are recorded and
 * where group managers are kept to their groups. `managedGroupIds` is null for org admins (every
 * group).
 */
export type Actor = { type: "user"; id: string; managedGroupIds: string[] | null } | { type: "system" };

const storage = new AsyncLocalStorage<{ actor: Actor | undefined }>();

/** Runs `next` (the rest of a request's handling) with a slot for its actor. */
export function withActorSlot(next: () => void): void {
  storage.run({ actor: undefined }, next);
}

/** Records the actor of the request being served. */
export function actAs(actor: Actor): void {
  const store = storage.getStore();
  if (store) store.actor = actor;
}

/** The current actor; the control plane itself when no request is being served (e.g. scheduled work). */
export function currentActor(): Actor {
  return storage.getStore()?.actor ?? { type: "system" };
}

/** The server groups the current actor may act on: null means all of them. */
export function actorGroupScope(): string[] | null {
  const actor = currentActor();
  return actor.type === "user" ? actor.managedGroupIds : null;
}
