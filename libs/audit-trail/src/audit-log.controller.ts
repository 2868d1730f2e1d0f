import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Answers, Caller, Public, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { AuditLogQueries } from './audit-log-queries';
import { AuditCheckpoint, AuditConsistencyProof, AuditInclusionProof, AuditLogKey, AuditWitnessing } from './audit-log.responses';

const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ProofQuery = z.strictObject({ size: treeSize.optional() });
export type ProofQuery = z.infer<typeof ProofQuery>;

export const ConsistencyQuery = z.strictObject({ from: treeSize, to: treeSize.optional() });
export type ConsistencyQuery = z.infer<typeof ConsistencyQuery>;

/**
 * The party's tamper-evident audit log: the public key, signed checkpoints (C2SP signed notes over
 * the RFC 9162 root), inclusion and consistency proofs, and what the witnessing between the
 * parties found. Consistency proofs are public: they are hashes only, and the other party's
 * witness fetches them before it cosigns.
 */
@Controller('v1/audit/log')
export class AuditLogController {
  constructor(private readonly log: AuditLogQueries) {}

  @Get('key')
  @Public()
  @Responds()
  @Answers(AuditLogKey)
  @Summary("The audit log's origin and its Ed25519 verifier key (C2SP <name>+<hash>+<base64>): checkpoints verify with it")
  key() {
    return this.log.identity();
  }

  @Post('checkpoints')
  @HttpCode(200)
  @Roles('auditor')
  @Responds({ 429: ['rate_limited'], 500: ['audit_log_diverged'] })
  @Answers(AuditCheckpoint)
  @Summary(
    'Sign a checkpoint of the audit log now (if it grew) and answer the latest: { origin, size, rootHash, note, createdAt }. ' +
      'An instance signs on demand at most once per AUDIT_CHECKPOINT_MIN_INTERVAL_MS (sooner: rate_limited, with Retry-After); a log that did not grow is always answered',
  )
  checkpoint() {
    return this.log.checkpointNow();
  }

  @Get('checkpoints/latest')
  @Roles('auditor')
  @Responds({ 404: ['no_checkpoint'], 500: ['audit_log_diverged'] })
  @Answers(AuditCheckpoint)
  @Summary('The latest signed checkpoint: { origin, size, rootHash (base64), note (C2SP signed note), createdAt }')
  latest() {
    return this.log.latest();
  }

  @Get('proof/:eventId')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'], 404: ['no_checkpoint', 'not_in_audit_log'], 409: ['not_in_checkpoint'], 500: ['audit_log_diverged'] })
  @Answers(AuditInclusionProof)
  @Summary("Inclusion proof of an audit event in your organisation's scope (a disclosure's decision: its disclosureId) against the checkpoint of size `size` (default latest): { leafIndex, treeSize, leafHash (hex), proof [base64], checkpoint }")
  proof(@Param('eventId') eventId: string, @Query(new ZodPipe(ProofQuery)) query: ProofQuery, @Caller() caller: Principal) {
    return this.log.inclusion(eventId, query.size, caller);
  }

  @Get('consistency')
  @Public()
  @Responds({ 404: ['no_checkpoint'], 500: ['audit_log_diverged'], 503: ['storage_unavailable'] })
  @Answers(AuditConsistencyProof)
  @Summary('Consistency proof between the log at size `from` and at size `to` (default latest checkpoint): { from, to, proof [base64] }')
  consistency(@Query(new ZodPipe(ConsistencyQuery)) query: ConsistencyQuery) {
    return this.log.consistency(query.from, query.to);
  }

  @Get('witness')
  @Roles('auditor')
  @Responds({ 500: ['audit_log_diverged'] })
  @Answers(AuditWitnessing)
  @Summary("Witnessing between the parties: the peer's key, this log's latest checkpoint the peer cosigned, and alarms (forks, rewrites, forged signatures)")
  witness() {
    return this.log.witnessing();
  }
}
