import { ContractRegistry, consentContracts } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { ConfidentialityEvent, ConsentEvent } from '../domain';
import { confidentialityCodec, consentCodec } from '../consent-store/event-codecs';
import { translateConsentEvent } from './consent-messages';

const contracts = new ContractRegistry(consentContracts);
const guardian = { kind: 'guardian', id: 'g-1' } as const;

function recorded(event: ConsentEvent, revision = 0n): RecordedEvent {
  const stored = consentCodec.encode(event);
  // Through JSON, as the store keeps it.
  const data = JSON.parse(JSON.stringify(stored.data)) as unknown;
  return { ...stored, data, streamId: `consent-${event.consentId}`, revision, position: 10n + revision, metadata: stored.metadata ?? {}, recordedAt: new Date() };
}

function translated(event: ConsentEvent) {
  const message = translateConsentEvent(recorded(event));
  if (!message) throw new Error(`${event.type} was not translated`);
  const validation = contracts.validate(message.type, message.schemaVersion, message.payload);
  if (!validation.ok) throw new Error(validation.error);
  return message;
}

function translatedDeclaration(event: ConfidentialityEvent) {
  const stored = confidentialityCodec.encode(event);
  const data = JSON.parse(JSON.stringify(stored.data)) as unknown;
  const message = translateConsentEvent({ ...stored, data, streamId: `confidentiality-${event.studentId}`, revision: 0n, position: 1n, metadata: stored.metadata ?? {}, recordedAt: new Date() });
  if (!message) throw new Error(`${event.type} was not translated`);
  const validation = contracts.validate(message.type, message.schemaVersion, message.payload);
  if (!validation.ok) throw new Error(validation.error);
  return message;
}

describe('consent events on silta.consent.v1', () => {
  it('publish a grant as ConsentGranted v1 keyed by student, with its whole scope', () => {
    const message = translated({
      type: 'ConsentGranted',
      consentId: 'c-1',
      version: 2,
      studentId: 's-1',
      grantedBy: guardian,
      scope: {
        categories: ['absences', 'grades'],
        recipient: { welfareAreaId: 'w-1', roles: ['curator'] },
        purpose: 'follow-up',
        validFrom: '2026-01-10T08:00:00.000Z',
        validUntil: '2026-06-01T00:00:00.000Z',
      },
      grantedAt: '2026-01-10T08:00:00.000Z',
    });
    expect(message).toEqual({
      key: 's-1',
      type: 'ConsentGranted',
      schemaVersion: 1,
      payload: {
        consentId: 'c-1',
        version: 2,
        studentId: 's-1',
        grantedBy: guardian,
        categories: ['absences', 'grades'],
        recipient: { welfareAreaId: 'w-1', roles: ['curator'] },
        purpose: 'follow-up',
        validFrom: '2026-01-10T08:00:00.000Z',
        validUntil: '2026-06-01T00:00:00.000Z',
        grantedAt: '2026-01-10T08:00:00.000Z',
      },
    });
  });

  it('leave out roles and validUntil when the consent names none', () => {
    const message = translated({
      type: 'ConsentGranted',
      consentId: 'c-1',
      version: 1,
      studentId: 's-1',
      grantedBy: { kind: 'student', id: 's-1' },
      scope: { categories: ['absences'], recipient: { welfareAreaId: 'w-1' }, purpose: 'p', validFrom: '2026-01-10T08:00:00.000Z' },
      grantedAt: '2026-01-10T08:00:00.000Z',
    });
    expect(message.payload).not.toHaveProperty('validUntil');
    expect((message.payload as { recipient: object }).recipient).toEqual({ welfareAreaId: 'w-1' });
  });

  it('publish withdrawals, pauses and resumptions with version and time, keeping who and why private', () => {
    const at = '2026-02-01T12:00:00.000Z';
    const common = { consentId: 'c-1', version: 3, studentId: 's-1' };
    expect(translated({ type: 'ConsentWithdrawn', ...common, withdrawnBy: guardian, reason: 'private reason', withdrawnAt: at })).toEqual({
      key: 's-1',
      type: 'ConsentWithdrawn',
      schemaVersion: 1,
      payload: { ...common, at },
    });
    expect(translated({ type: 'ConsentPaused', ...common, pausedBy: guardian, pausedAt: at })).toMatchObject({ type: 'ConsentPaused', payload: { ...common, at } });
    expect(translated({ type: 'ConsentResumed', ...common, resumedBy: guardian, resumedAt: at })).toMatchObject({ type: 'ConsentResumed', payload: { ...common, at } });
  });

  it("publish a student's declaration as GuardianVisibilityChanged v1 keyed by student, naming who declared but not their role or area", () => {
    const at = '2026-03-02T08:00:00.000Z';
    const curator = { kind: 'professional', id: 'p-1', role: 'curator', org: 'welfare-area:w-1' } as const;
    const restricted = translatedDeclaration({ type: 'GuardianVisibilityRestricted', studentId: 's-1', roles: ['curator', 'psychologist'], declaredBy: curator, at });
    expect(restricted).toEqual({
      key: 's-1',
      type: 'GuardianVisibilityChanged',
      schemaVersion: 1,
      payload: { studentId: 's-1', hiddenRoles: ['curator', 'psychologist'], declaredBy: { kind: 'professional', id: 'p-1' }, changedAt: at },
    });
    const restored = translatedDeclaration({ type: 'GuardianVisibilityRestored', studentId: 's-1', declaredBy: { kind: 'student', id: 's-1' }, at });
    expect(restored.payload).toEqual({ studentId: 's-1', hiddenRoles: [], declaredBy: { kind: 'student', id: 's-1' }, changedAt: at });
  });

  it('publish an assessment as the hidden set it leaves, named as changed by the assessor, its reasoning kept private', () => {
    const at = '2026-03-09T08:00:00.000Z';
    const nurse = { kind: 'professional', id: 'p-nurse', role: 'nurse', org: 'welfare-area:w-1' } as const;
    const why = 'The ban clearly conflicts with the child’s interest: the guardians must know.';
    const overridden = translatedDeclaration({ type: 'GuardianBanAssessed', studentId: 's-1', outcome: 'overridden', roles: ['curator'], hiddenRoles: ['nurse', 'doctor'], why, assessedBy: nurse, at });
    expect(overridden).toEqual({
      key: 's-1',
      type: 'GuardianVisibilityChanged',
      schemaVersion: 1,
      payload: { studentId: 's-1', hiddenRoles: ['nurse', 'doctor'], declaredBy: { kind: 'professional', id: 'p-nurse' }, changedAt: at },
    });
    const upheld = translatedDeclaration({ type: 'GuardianBanAssessed', studentId: 's-1', outcome: 'upheld', roles: ['curator'], hiddenRoles: ['curator'], why, assessedBy: nurse, at });
    expect(upheld.payload).toEqual({ studentId: 's-1', hiddenRoles: ['curator'], declaredBy: { kind: 'professional', id: 'p-nurse' }, changedAt: at });
  });

  it('skip events that are not consent events', () => {
    const other = { ...recorded({ type: 'ConsentPaused', consentId: 'c', version: 1, studentId: 's', pausedBy: guardian, pausedAt: '2026-01-01T00:00:00.000Z' }), type: 'SomethingElse' };
    expect(translateConsentEvent(other)).toBeUndefined();
  });
});
