import { ContractRegistry, consentContracts } from '@silta/contracts';
import type { CapacityEvent } from '../domain';
import { capacityCodec } from '../consent-store/event-codecs';
import { translateConsentEvent } from './consent-messages';
import { assertPublishable } from './publishable';

// A capacity assessment on silta.consent.v1: what disclosure's view needs to decide, nothing of
// the assessor beyond id and role.

const contracts = new ContractRegistry(consentContracts);
const at = '2026-03-02T08:00:00.000Z';
const assessed = (overrides: Partial<CapacityEvent> = {}): CapacityEvent => ({
  type: 'CapacityAssessed',
  studentId: 's-1',
  field: 'health_care',
  decidesForSelf: true,
  assessedOn: '2026-03-01',
  assessedBy: { id: 'p-nurse', role: 'nurse', org: 'welfare-area:w-1' },
  at,
  ...overrides,
});

function translated(event: CapacityEvent) {
  const stored = capacityCodec.encode(event);
  // Through JSON, as the store keeps it.
  const data = JSON.parse(JSON.stringify(stored.data)) as unknown;
  const message = translateConsentEvent({ ...stored, data, streamId: `capacity-${event.studentId}`, revision: 0n, position: 1n, metadata: stored.metadata ?? {}, recordedAt: new Date() });
  if (!message) throw new Error(`${event.type} was not translated`);
  return message;
}

describe('capacity assessments on silta.consent.v1', () => {
  it('publish as CapacityAssessed v1 keyed by student, naming the assessor by id and role only', () => {
    const message = translated(assessed());
    expect(message).toEqual({
      key: 's-1',
      type: 'CapacityAssessed',
      schemaVersion: 1,
      payload: {
        studentId: 's-1',
        field: 'health_care',
        decidesForSelf: true,
        assessedOn: '2026-03-01',
        assessedBy: { kind: 'professional', id: 'p-nurse', role: 'nurse' },
        assessedAt: at,
      },
    });
    const validation = contracts.validate(message.type, message.schemaVersion, message.payload);
    expect(validation.ok ? 'valid' : validation.error).toBe('valid');
    expect(JSON.stringify(message.payload)).not.toContain('welfare-area');
  });

  it('narrow access: an assessment to false makes guardians’ consents count again, so an unapplied one must fail closed', () => {
    expect(contracts.find('CapacityAssessed', 1)?.narrowsAccess).toBe(true);
  });

  it('are refused before they are stored when their contract would refuse them', () => {
    const tooLong = capacityCodec.encode(assessed({ assessedBy: { id: 'p'.repeat(250), role: 'nurse', org: 'welfare-area:w-1' } }));
    expect(() => assertPublishable('capacity-s-1', [tooLong])).toThrow(expect.objectContaining({ kind: 'invalid', code: 'invalid_request', detail: expect.stringContaining('assessedBy.id') }));
    expect(() => assertPublishable('capacity-s-1', [capacityCodec.encode(assessed())])).not.toThrow();
  });
});
