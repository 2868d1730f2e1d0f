/** Stable codes for what an audit check found wrong; the message names what and where. */
export type AuditFailureCode =
  | 'missing_leaf_hash'
  | 'leaf_hash_mismatch'
  | 'root_mismatch'
  | 'log_truncated'
  | 'log_shrank'
  | 'no_checkpoint'
  | 'checkpoint_invalid'
  | 'inclusion_proof_invalid'
  | 'consistency_proof_invalid'
  | 'malformed_bundle'
  | 'replay_differs'
  | 'cosignature_invalid'
  | 'no_cosignature'
  | 'map_mismatch'
  | 'incomplete';

/** The log, a bundle or a proof is not what it claims to be: exit code 1. */
export class AuditFailure extends Error {
  constructor(
    readonly code: AuditFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditFailure';
  }
}

/** The command line was wrong: exit code 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
