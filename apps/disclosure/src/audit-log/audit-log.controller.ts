import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { EntityId } from '@silta/contracts';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { AuditProofs } from './audit-proofs';
import { AuditBundleAnswer } from './audit-bundle.responses';

const id = EntityId;
export const BundleQuery = z
  .strictObject({ studentId: id.optional(), disclosureId: id.optional() })
  .refine((q) => (q.studentId === undefined) !== (q.disclosureId === undefined), { message: 'give exactly one of studentId and disclosureId' });
export type BundleQuery = z.infer<typeof BundleQuery>;

/** Offline bundles for `silta-audit verify-bundle`; the rest of /v1/audit/log comes from @silta/audit-trail. */
@Controller('v1/audit/log')
export class AuditBundleController {
  constructor(private readonly proofs: AuditProofs) {}

  @Get('bundle')
  @Roles('auditor', 'student')
  @Responds({ 403: ['no_organisation', 'not_your_student'], 404: ['disclosure_not_found', 'student_not_in_scope'], 500: ['audit_log_diverged'] })
  @Answers(AuditBundleAnswer)
  @Summary(
    "Offline bundle of a student's (studentId) or one disclosure's (disclosureId) audit events in your scope, each with its inclusion proof against a signed checkpoint; " +
      'a student may ask for their own (studentId = themself): every event of their stream, with the proof that it is complete (docs/audit-log-format.md)',
  )
  bundle(@Query(new ZodPipe(BundleQuery)) query: BundleQuery, @Caller() caller: Principal) {
    return this.proofs.bundle(query, caller);
  }
}
