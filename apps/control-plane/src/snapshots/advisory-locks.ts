/**
 * Postgres advisory lock keys of the control plane, in one place so two purposes never share a key.
 * Both are transaction-scoped (pg_advisory_xact_lock): a crashed holder releases them with its connection.
 */
export const AdvisoryLock = {
  /** Held from a change's PolicyRevision insert to its commit: revisions become visible in version order. */
  policyRevision: 7_262_301,
  /** Held while a snapshot is compiled, stored and published: one compiler at a time across replicas. */
  snapshotPublication: 7_262_302,
} as const;
