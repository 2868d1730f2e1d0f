import { z } from 'zod';
import { DataCategory } from './categories';
import { defineContract } from './contract';
import { WelfareRole } from './roster.contracts';
import { Topics } from './topics';

const id = z.string().min(1).max(200);
const isoDateTime = z.iso.datetime({ offset: true });

export const ConsentGrantedV1 = defineContract({
  type: 'ConsentGranted',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: z.strictObject({
    consentId: id,
    version: z.number().int().positive(),
    studentId: id,
    grantedBy: z.strictObject({ kind: z.enum(['guardian', 'student']), id }),
    categories: z.array(DataCategory).min(1),
    recipient: z.strictObject({ welfareAreaId: id, roles: z.array(WelfareRole).min(1).optional() }),
    purpose: z.string().min(1).max(500),
    validFrom: isoDateTime,
    validUntil: isoDateTime.optional(),
    grantedAt: isoDateTime,
  }),
  key: (p) => p.studentId,
});

const consentChange = z.strictObject({
  consentId: id,
  version: z.number().int().positive(),
  studentId: id,
  at: isoDateTime,
});

export const ConsentWithdrawnV1 = defineContract({
  type: 'ConsentWithdrawn',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const ConsentPausedV1 = defineContract({
  type: 'ConsentPaused',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const ConsentResumedV1 = defineContract({
  type: 'ConsentResumed',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
});

/**
 * The welfare professions whose disclosures a student can hide from their guardians: curator and
 * psychologist visits (1287/2013 18 §, 812/2000 11 §) and, a minor's health data being theirs to
 * keep from guardians (potilaslaki 785/1992 9 § 2 mom), nurse and doctor ones too.
 *
 * Widened in place from curator and psychologist (no V2): a consumer still on the narrower enum
 * dead-letters a message naming nurse or doctor, and since GuardianVisibilityChangedV1 narrows
 * access that raises an alarm for the student, and that consumer's decisions about the student
 * deny until an operator resolves it (fails closed). Its guardian-facing views keep the previous
 * hidden set meanwhile: the alarm is what tells the operator to upgrade it.
 */
export const ConfidentialRole = z.enum(['curator', 'psychologist', 'nurse', 'doctor']);
export type ConfidentialRole = z.infer<typeof ConfidentialRole>;

/**
 * Which welfare professions' disclosures the student's guardians may no longer learn of, as of
 * `changedAt`; the whole current set each time (empty: guardians see everything again), so the
 * newest message by `changedAt` is the state. Declared by the student, or by a welfare
 * professional on the student's behalf; or, after a health-care professional's assessment of a
 * ban on curator or psychologist disclosures, the set that assessment leaves (`declaredBy` is then
 * the assessor).
 */
export const GuardianVisibilityChangedV1 = defineContract({
  type: 'GuardianVisibilityChanged',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: z.strictObject({
    studentId: id,
    hiddenRoles: z
      .array(ConfidentialRole)
      .max(ConfidentialRole.options.length)
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
    declaredBy: z.strictObject({ kind: z.enum(['student', 'professional']), id }),
    changedAt: isoDateTime,
  }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

/** The fields a student's capacity is judged in, each by its own professionals. */
export const CapacityField = z.enum(['social_welfare', 'health_care']);
export type CapacityField = z.infer<typeof CapacityField>;

/**
 * The field each profession judges capacity in, one table for consent (who may assess) and the
 * decision (whose judgement counts): a curator works in social welfare; a psychologist, nurse or
 * doctor in health care, their records being patient records.
 */
export const CAPACITY_FIELD_OF: Readonly<Record<z.infer<typeof WelfareRole>, CapacityField>> = {
  curator: 'social_welfare',
  psychologist: 'health_care',
  nurse: 'health_care',
  doctor: 'health_care',
};

/**
 * A professional of the field (social welfare: curator; health care: nurse, doctor, psychologist)
 * judged on `assessedOn` whether the student decides the field's matters themselves. The newest
 * per student and field by `assessedAt` is the state. Narrows access: an assessment to false makes
 * guardians' consents count again and the student's own no longer.
 */
export const CapacityAssessedV1 = defineContract({
  type: 'CapacityAssessed',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: z.strictObject({
    studentId: id,
    field: CapacityField,
    decidesForSelf: z.boolean(),
    assessedOn: z.iso.date(),
    assessedBy: z.strictObject({ kind: z.literal('professional'), id, role: WelfareRole }),
    assessedAt: isoDateTime,
  }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const consentContracts = [ConsentGrantedV1, ConsentWithdrawnV1, ConsentPausedV1, ConsentResumedV1, GuardianVisibilityChangedV1, CapacityAssessedV1] as const;
