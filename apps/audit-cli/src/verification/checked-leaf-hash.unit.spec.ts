import { createHash } from 'node:crypto';
import { canonicalJson, eventLeafHash } from '@silta/transparency';
import { AuditFailure } from '../failures';
import { disclosureDecided } from '../testing';
import { checkedLeafHash } from './leaf-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const data = disclosureDecided('student-1', 3);
const leafHash = hex(eventLeafHash({ type: 'DisclosureDecided', data }));
const at = { id: '0b6a8f4e-3c1d-4e7a-9f2b-6d5c8a1e7f30', streamId: 'audit-student-1', revision: 3n, type: 'DisclosureDecided', metadata: { leafHash } };

/** The verdict and message of checkedLeafHash, or its hash. */
function outcome(event: Parameters<typeof checkedLeafHash>[1]): string {
  try {
    return hex(checkedLeafHash(7, event));
  } catch (error) {
    return `${(error as AuditFailure).code}: ${(error as Error).message}`;
  }
}

describe('checking a leaf read as stored text', () => {
  afterEach(() => jest.restoreAllMocks());

  it('hashes canonical stored text without parsing it', () => {
    const parse = jest.spyOn(JSON, 'parse');
    expect(outcome({ ...at, dataText: canonicalJson(data) })).toBe(leafHash);
    expect(parse).not.toHaveBeenCalled();
  });

  it('gives the verdict and message of the parsed read for every other text', () => {
    const canonical = canonicalJson(data);
    const texts = [
      JSON.stringify(data), // a log written before payloads were stored canonically: still verifies
      JSON.stringify(data, null, 2),
      canonical.replace('"partial"', '"permit"'),
      canonical.replace('"student-1"', '"student-2"'),
      '{"9":1,"10":2}',
    ];
    for (const dataText of texts) {
      expect(outcome({ ...at, dataText })).toBe(outcome({ ...at, data: JSON.parse(dataText) }));
    }
    expect(outcome({ ...at, dataText: JSON.stringify(data) })).toBe(leafHash);
  });

  it('does not take a non-canonical text whose recorded hash was made over that very text', () => {
    // Someone with write access rehashes a reordered payload: the exact path refuses it, so must this.
    const reordered = JSON.stringify({ zz: 1, ...data });
    const overText = createHash('sha256').update(`\u0000{"data":${reordered},"type":"DisclosureDecided"}`).digest('hex');
    const event = { ...at, metadata: { leafHash: overText }, dataText: reordered };
    expect(outcome(event)).toMatch(/^leaf_hash_mismatch: leaf 7 \(stream audit-student-1, revision 3\): payload does not match its recorded hash/);
    expect(outcome(event)).toBe(outcome({ ...event, dataText: undefined, data: JSON.parse(reordered) }));
  });

  it('hashes a v2 leaf (id, stream, revision and previous under the hash) as the reference does, from canonical text or not', () => {
    const v2 = { ...at, metadata: { leafVersion: 2 } };
    const reference = (event: { id: string; streamId: string }, previous: number | null) =>
      hex(eventLeafHash({ v: 2, id: event.id, stream: event.streamId, revision: 3, previous, type: 'DisclosureDecided', data }));
    const parse = jest.spyOn(JSON, 'parse');
    expect(hex(checkedLeafHash(7, { ...v2, dataText: canonicalJson(data) }, 5))).toBe(reference(at, 5));
    expect(parse).not.toHaveBeenCalled();
    expect(hex(checkedLeafHash(7, { ...v2, dataText: JSON.stringify(data, null, 2) }, null))).toBe(reference(at, null));
    const oddId = { ...v2, id: 'an "odd" id' };
    expect(hex(checkedLeafHash(7, { ...oddId, dataText: canonicalJson(data) }, 5))).toBe(reference(oddId, 5));
    expect(hex(checkedLeafHash(7, { ...v2, data }, 4))).not.toBe(reference(at, 5));
  });
});
