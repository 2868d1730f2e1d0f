import { ReceiptRefusal, decideReceipt, type DisclosureToAcknowledge } from './receipt-rules';

const disclosure: DisclosureToAcknowledge = {
  disclosureId: '7b0b8f4e-3c55-5a2e-9d0a-1f2e3d4c5b6a',
  studentId: 'student-1',
  requesterSub: 'curator-1',
  released: ['identification', 'guardian_contacts'],
  receiptAt: null,
};
const curator = { sub: 'curator-1', role: 'curator', org: 'welfare-area:w1' };
const dataHash = 'ab'.repeat(32);
const at = '2026-03-01T10:00:00.000Z';

/** A ReceiptRefusal with this code. */
const refusal = (code: string) => expect.objectContaining({ constructor: ReceiptRefusal, code });

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
    const receipt = () => decideReceipt(disclosure, { receivedCategories: ['identification', 'guardian_contacts'], dataHash }, { ...curator, sub: 'nurse-1', role: 'nurse' }, at);
    expect(receipt).toThrow(refusal('not_the_requester'));
  });

  it('is refused for a decision that released nothing', () => {
    const receipt = () => decideReceipt({ ...disclosure, released: [] }, { receivedCategories: ['identification'], dataHash }, curator, at);
    expect(receipt).toThrow(refusal('nothing_released'));
  });

  it('is refused once a receipt is on record', () => {
    const receipt = () => decideReceipt({ ...disclosure, receiptAt: at }, { receivedCategories: ['identification', 'guardian_contacts'], dataHash }, curator, at);
    expect(receipt).toThrow(refusal('already_receipted'));
  });

  it.each([
    ['fewer categories', ['identification']],
    ['more categories', ['identification', 'guardian_contacts', 'grades']],
    ['other categories', ['identification', 'grades']],
    ['a repeated category', ['identification', 'guardian_contacts', 'identification']],
  ] as const)('is refused when it names %s than were released', (_, receivedCategories) => {
    const receipt = () => decideReceipt(disclosure, { receivedCategories, dataHash }, curator, at);
    expect(receipt).toThrow(refusal('categories_mismatch'));
  });
});
