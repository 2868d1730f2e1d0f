import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Caller, Public, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { AuditProofs } from './audit-proofs';

const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ProofQuery = z.strictObject({ size: treeSize.optional() });
export type ProofQuery = z.infer<typeof ProofQuery>;

export const ConsistencyQuery = z.strictObject({ from: treeSize, to: treeSize.optional() });
export type ConsistencyQuery = z.infer<typeof ConsistencyQuery>;

const id = z.string().min(1).max(200);
export const BundleQuery = z
  .strictObject({ studentId: id.optional(), disclosureId: id.optional() })
  .refine((q) => (q.studentId === undefined) !== (q.disclosureId === undefined), { message: 'give exactly one of studentId and disclosureId' });
export type BundleQuery = z.infer<typeof BundleQuery>;

/**
 * The tamper-evident audit log: the public key, signed checkpoints (C2SP signed notes over the
 * RFC 9162 root), inclusion and consistency proofs, and offline bundles for `silta-audit verify-bundle`.
 */
@Controller('v1/audit/log')
export class AuditLogController {
  constructor(private readonly proofs: AuditProofs) {}

  @Get('key')
  @Public()
  @Summary('The audit log\'s origin and its Ed25519 verifier key (C2SP <name>+<hash>+<base64>): checkpoints verify with it')
  key() {
    return this.proofs.identity();
  }

  @Post('checkpoints')
  @HttpCode(200)
  @Roles('auditor')
  @Summary('Sign a checkpoint of the audit log now (if it grew) and answer the latest: { origin, size, rootHash, note, createdAt }')
  checkpoint() {
    return this.proofs.checkpointNow();
  }

  @Get('checkpoints/latest')
  @Roles('auditor')
  @Summary('The latest signed checkpoint: { origin, size, rootHash (base64), note (C2SP signed note), createdAt }')
  latest() {
    return this.proofs.latest();
  }

  @Get('proof/:disclosureId')
  @Roles('auditor')
  @Summary('Inclusion proof of a disclosure\'s decision against the checkpoint of size `size` (default latest): { leafIndex, treeSize, leafHash (hex), proof [base64], checkpoint }')
  proof(@Param('disclosureId') disclosureId: string, @Query(new ZodPipe(ProofQuery)) query: ProofQuery) {
    return this.proofs.inclusion(disclosureId, query.size);
  }

  @Get('consistency')
  @Roles('auditor')
  @Summary('Consistency proof between the log at size `from` and at size `to` (default latest checkpoint): { from, to, proof [base64] }')
  consistency(@Query(new ZodPipe(ConsistencyQuery)) query: ConsistencyQuery) {
    return this.proofs.consistency(query.from, query.to);
  }

  @Get('bundle')
  @Roles('auditor')
  @Summary('Offline bundle of a student\'s (studentId) or one disclosure\'s (disclosureId) audit events in your scope, each with its inclusion proof against a signed checkpoint')
  bundle(@Query(new ZodPipe(BundleQuery)) query: BundleQuery, @Caller() caller: Principal) {
    return this.proofs.bundle(query, caller);
  }
}
