import { ContractRegistry, DisclosureReceivedV1 } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import { translateAuditEvent } from '../disclosure-relay';
import { dataHashOf } from './data-hash';
import { decideReceipt, isRefusal, type DisclosureToAcknowledge } from './receipt-rules';

const disclosure: DisclosureToAcknowledge = {
  disclosureId: '7b0b8f4e-3c55-5a2e-9d0a-1f2e3d4c5b6a',
  studentId: 'student-1',
  requesterSub: 'curator-1',
  released: ['identification', 'guardian_contacts'],
  receiptAt: null,
};
const curator = { sub: 'curator-1', role: 'curator', org: 'welfare-area:w1' };
const dataHash = dataHashOf({ identification: { name: 'Oppilas' } });
const at = '2026-03-01T10:00:00.000Z';

describe('a disclosure receipt', () => {
  it('records the released categories and the data hash the requester received', () => {
    const received = decideReceipt(disclosure, { receivedCategories: ['guardian_contacts', 'identification'], dataHash }, curator, at);
    expect(received).toEqual({
      type: 'DisclosureReceived',
      disclosureId: disclosure.disclosureId,
      studentId: 'student-1',
      receiver: curator,
      receivedCategories: ['guardian_contacts', 'identification'],
      dataHash,
      receivedAt: at,
    });
  });

  it('is refused to anyone but the requester', () => {
    const outcome = decideReceipt(disclosure, { receivedCategories: ['identification', 'guardian_contacts'], dataHash }, { ...curator, sub: 'nurse-1', role: 'nurse' }, at);
    expect(outcome).toMatchObject({ refused: 'not_the_requester' });
  });

  it('is refused for a decision that released nothing', () => {
    const outcome = decideReceipt({ ...disclosure, released: [] }, { receivedCategories: ['identification'], dataHash }, curator, at);
    expect(outcome).toMatchObject({ refused: 'nothing_released' });
  });

  it('is refused once a receipt is on record', () => {
    const outcome = decideReceipt({ ...disclosure, receiptAt: at }, { receivedCategories: ['identification', 'guardian_contacts'], dataHash }, curator, at);
    expect(outcome).toMatchObject({ refused: 'already_receipted' });
  });

  it.each([
    ['fewer categories', ['identification']],
    ['more categories', ['identification', 'guardian_contacts', 'grades']],
    ['other categories', ['identification', 'grades']],
    ['a repeated category', ['identification', 'guardian_contacts', 'identification']],
  ] as const)('is refused when it names %s than were released', (_, receivedCategories) => {
    const outcome = decideReceipt(disclosure, { receivedCategories, dataHash }, curator, at);
    expect(isRefusal(outcome) && outcome.refused).toBe('categories_mismatch');
  });
});

describe('the data hash', () => {
  it('is the SHA-256 of canonical JSON, so member order does not change it', () => {
    expect(dataHashOf({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(dataHashOf({ a: { c: 'x', d: [1, 2] }, b: 1 }));
    // sha256('{}')
    expect(dataHashOf({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('the relay', () => {
  it('publishes a receipt as DisclosureReceivedV1, keyed by student', () => {
    const received = decideReceipt(disclosure, { receivedCategories: ['identification', 'guardian_contacts'], dataHash }, curator, at);
    const event = { id: 'e1', streamId: 'audit-student-1', type: 'DisclosureReceived', data: received } as unknown as RecordedEvent;
    const message = translateAuditEvent(event)!;
    expect(message).toMatchObject({ key: 'student-1', type: 'DisclosureReceived', schemaVersion: 1 });
    const validated = new ContractRegistry([DisclosureReceivedV1]).validate(message.type, message.schemaVersion, message.payload);
    expect(validated).toMatchObject({ ok: true, payload: { disclosureId: disclosure.disclosureId, dataHash, receiver: curator } });
  });
});
