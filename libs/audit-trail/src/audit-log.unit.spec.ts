import fc from 'fast-check';
import type { NewEvent, EventStore, InlineProjection } from '@silta/event-store';
import { createHash } from 'node:crypto';
import { canonicalJson } from '@silta/transparency';
import { AuditLog, auditPayload } from './audit-log';

const integerLike = (name: string) => /^(0|[1-9][0-9]*)$/.test(name) && Number(name) < 2 ** 32 - 1;
/** Whether any object inside `value` has an integer-like member name (JavaScript lists those first). */
function hasIntegerLikeName(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIntegerLikeName);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([name, member]) => integerLike(name) || hasIntegerLikeName(member));
}

describe('the payload AuditLog.append stores', () => {
  it('keeps the value JSON would store, so the leaf hash is the one it always was', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (event) => {
        const stored = JSON.parse(JSON.stringify(event)) as unknown;
        expect(auditPayload(event)).toEqual(stored);
        expect(canonicalJson(auditPayload(event))).toBe(canonicalJson(stored));
      }),
      { numRuns: 1_000 },
    );
  });

  it('serialises, as the stores write it, to its canonical text unless a member name is integer-like', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (event) => {
        const payload = auditPayload(event);
        if (!hasIntegerLikeName(payload)) expect(JSON.stringify(payload)).toBe(canonicalJson(payload));
      }),
      { numRuns: 2_000 },
    );
    expect(JSON.stringify(auditPayload({ type: 'T', b: { y: 1, x: [{ d: 1, c: 2 }] }, a: undefined }))).toBe('{"b":{"x":[{"c":2,"d":1}],"y":1},"type":"T"}');
    // Integer-like names: JavaScript orders them numerically, so the text is not canonical (verify parses it).
    expect(JSON.stringify(auditPayload({ type: 'T', 10: 1, 9: 2 }))).toBe('{"9":2,"10":1,"type":"T"}');
  });

  it('appends that payload as a v2 leaf, with the hash of its canonical text', async () => {
    const appended: NewEvent[] = [];
    const store = { appendToStream: async (_stream: string, events: NewEvent[]) => (appended.push(...events), { nextRevision: 0n, position: 1n }) } as unknown as EventStore;
    await new AuditLog(store).append('student-1', 'e-1', { type: 'DisclosureDecided', zeta: 1, alpha: { b: 2, a: undefined } } as { type: string });
    const [event] = appended;
    expect(JSON.stringify(event!.data)).toBe('{"alpha":{"b":2},"type":"DisclosureDecided","zeta":1}');
    const canonicalText = '{"alpha":{"b":2},"type":"DisclosureDecided","zeta":1}';
    expect(event!.metadata).toEqual({ schemaVersion: 1, leafVersion: 2, dataHash: createHash('sha256').update(canonicalText).digest('hex') });
  });

  it('records who and what led to the event next to the data hash, which covers only the data', async () => {
    const appended: NewEvent[] = [];
    const store = { appendToStream: async (_stream: string, events: NewEvent[]) => (appended.push(...events), { nextRevision: 0n, position: 1n }) } as unknown as EventStore;
    const event = { type: 'DisclosureReceived', disclosureId: 'd-1' };
    await new AuditLog(store).append('student-1', 'e-1', event);
    await new AuditLog(store).append('student-1', 'e-2', event, { correlationId: 'req-1', causationId: 'msg-1', actor: 'curator-1' });
    const [plain, traced] = appended;
    expect(traced!.metadata).toEqual({ correlationId: 'req-1', causationId: 'msg-1', actor: 'curator-1', schemaVersion: 1, leafVersion: 2, dataHash: plain!.metadata!.dataHash });
  });

  it("hands a projection to the store's appendWithProjection with the same event, and refuses it where the store has none", async () => {
    const projection: InlineProjection = () => ({ table: 'rows', key: ['id'], rows: [] });
    const calls: Array<{ events: NewEvent[]; projection: InlineProjection }> = [];
    const projecting = {
      appendToStream: async () => {
        throw new Error('appendToStream used for an append with a projection');
      },
      appendWithProjection: async (_stream: string, events: NewEvent[], _expected: unknown, given: InlineProjection) => (calls.push({ events, projection: given }), { nextRevision: 0n, position: 1n }),
    } as unknown as EventStore;
    const event = { type: 'DisclosureDecided', disclosureId: 'd-1' };
    await new AuditLog(projecting).append('student-1', 'e-1', event, {}, projection);
    expect(calls).toEqual([{ events: [expect.objectContaining({ id: 'e-1', data: event, metadata: expect.objectContaining({ leafVersion: 2 }) })], projection }]);

    const appended: NewEvent[] = [];
    const plain = { appendToStream: async (_stream: string, events: NewEvent[]) => (appended.push(...events), { nextRevision: 0n, position: 1n }) } as unknown as EventStore;
    expect(new AuditLog(plain).projectsInline).toBe(false);
    await expect(new AuditLog(plain).append('student-1', 'e-2', event, {}, projection)).rejects.toThrow("cannot write rows in an append's transaction");
    expect(appended).toEqual([]);
  });
});
