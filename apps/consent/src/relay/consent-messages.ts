import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import {
  CapacityAssessedV1,
  ConsentGrantedV1,
  ConsentPausedV1,
  ConsentResumedV1,
  ConsentWithdrawnV1,
  GuardianVisibilityChangedV1,
  type IntegrationEventContract,
} from '@silta/contracts';
import { unreachable, type ConfidentialRole } from '../domain';
import { capacityCodec, confidentialityCodec, consentCodec } from '../consent-store/event-codecs';

/**
 * Translates a stored consent or confidentiality event into its public contract on
 * silta.consent.v1, keyed by student id. Who changed a consent and why (a withdrawal's reason)
 * stay private: readers need only what the consent covers and when its status changed.
 */
export function translateConsentEvent(recorded: RecordedEvent): OutgoingMessage | undefined {
  if (confidentialityCodec.holds(recorded)) return translateConfidentialityEvent(recorded);
  if (capacityCodec.holds(recorded)) return translateCapacityEvent(recorded);
  if (!consentCodec.holds(recorded)) return undefined;
  const event = consentCodec.decode(recorded);
  switch (event.type) {
    case 'ConsentGranted': {
      const { scope } = event;
      const roles = scope.recipient.roles;
      return message(ConsentGrantedV1, {
        consentId: event.consentId,
        version: event.version,
        studentId: event.studentId,
        grantedBy: { kind: event.grantedBy.kind, id: event.grantedBy.id },
        categories: [...scope.categories],
        recipient: { welfareAreaId: scope.recipient.welfareAreaId, ...(roles ? { roles: [...roles] } : {}) },
        purpose: scope.purpose,
        validFrom: scope.validFrom,
        ...(scope.validUntil ? { validUntil: scope.validUntil } : {}),
        grantedAt: event.grantedAt,
      });
    }
    case 'ConsentWithdrawn':
      return message(ConsentWithdrawnV1, { consentId: event.consentId, version: event.version, studentId: event.studentId, at: event.withdrawnAt });
    case 'ConsentPaused':
      return message(ConsentPausedV1, { consentId: event.consentId, version: event.version, studentId: event.studentId, at: event.pausedAt });
    case 'ConsentResumed':
      return message(ConsentResumedV1, { consentId: event.consentId, version: event.version, studentId: event.studentId, at: event.resumedAt });
    default:
      return unreachable(event);
  }
}

/**
 * A declaration or a ban's assessment as the whole set of hidden roles now in force (empty once
 * restored; less what an override lifted), so a reader keeps the newest by `changedAt`. The
 * declarant's or assessor's role and organisation stay private, as does an assessment's reasoning.
 */
function translateConfidentialityEvent(recorded: RecordedEvent): OutgoingMessage {
  const event = confidentialityCodec.decode(recorded);
  switch (event.type) {
    case 'GuardianVisibilityRestricted':
      return visibilityChanged(event.studentId, event.roles, event.declaredBy, event.at);
    case 'GuardianVisibilityRestored':
      return visibilityChanged(event.studentId, [], event.declaredBy, event.at);
    case 'GuardianBanAssessed':
      // An upheld ban is published too (the same set): simpler than a gap, and harmless to readers.
      return visibilityChanged(event.studentId, event.hiddenRoles, event.assessedBy, event.at);
    default:
      return unreachable(event);
  }
}

/** An assessment naming the assessor by id and role only: their welfare area stays private. */
function translateCapacityEvent(recorded: RecordedEvent): OutgoingMessage {
  const event = capacityCodec.decode(recorded);
  const { id, role } = event.assessedBy;
  return message(CapacityAssessedV1, {
    studentId: event.studentId,
    field: event.field,
    decidesForSelf: event.decidesForSelf,
    assessedOn: event.assessedOn,
    assessedBy: { kind: 'professional', id, role },
    assessedAt: event.at,
  });
}

function visibilityChanged(studentId: string, hiddenRoles: readonly ConfidentialRole[], by: { kind: 'student' | 'professional'; id: string }, at: string): OutgoingMessage {
  return message(GuardianVisibilityChangedV1, { studentId, hiddenRoles: [...hiddenRoles], declaredBy: { kind: by.kind, id: by.id }, changedAt: at });
}

function message<Payload>(contract: IntegrationEventContract<string, Payload>, payload: Payload): OutgoingMessage {
  return { key: contract.key(payload), type: contract.type, schemaVersion: contract.schemaVersion, payload };
}
