import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditCheckpointSignedV1 } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { consistencyProof, cosignCheckpoint, cosignerKeyOf, formatCheckpoint, generateSignerKey, leafHash, openCheckpoint, openCosignatures, rootOf, signNote, verifierKeyOf } from '@silta/transparency';
import type { AuditCheckpoint } from './checkpoint';
import type { AuditLogSettings } from './settings';
import { COSIGNATURE_STREAM, WITNESS_ALARM_STREAM, Witness, httpConsistencySource, witnessedStreamOf, type ConsistencySource, type CosignedCheckpoint } from './witness';

const ourKey = generateSignerKey('silta.test/welfare-area');
const peerKey = generateSignerKey('silta.test/municipality');
const peerOrigin = 'silta.test/municipality';
const settings: AuditLogSettings = {
  origin: 'silta.test/welfare-area',
  signerKey: ourKey,
  verifierKey: verifierKeyOf(ourKey),
  checkpointIntervalMs: 0,
  peer: { origin: 'silta.test/municipality', verifierKey: verifierKeyOf(peerKey), url: 'http://peer.invalid' },
};

/** The peer's log: leaf hashes, with checkpoints signed by whoever holds `key`. */
class PeerLog {
  readonly leaves: Uint8Array[] = [];
  grow(count: number, tag = 'x'): this {
    for (let i = 0; i < count; i++) this.leaves.push(leafHash(new TextEncoder().encode(`${tag}-${this.leaves.length}`)));
    return this;
  }
  checkpoint(size = this.leaves.length, key = peerKey, origin = peerOrigin): AuditCheckpoint {
    const root = rootOf(this.leaves.slice(0, size));
    return { origin, size, rootHash: Buffer.from(root).toString('base64'), note: signNote(formatCheckpoint({ origin, size, root }), key), createdAt: '2026-01-01T00:00:00.000Z' };
  }
  /** What the peer's consistency endpoint answers. */
  readonly source: ConsistencySource = async (from, to) =>
    to > this.leaves.length ? { refused: `to (${to}) is larger than the audit log` } : { proof: consistencyProof(this.leaves, from, to).map((h) => Buffer.from(h).toString('base64')) };
}

describe('Witness', () => {
  let store: EventStore;
  let peer: PeerLog;
  let witness: Witness;
  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    peer = new PeerLog().grow(5);
    witness = new Witness(store, settings, (from, to) => peer.source(from, to));
  });
  afterEach(() => store.close());

  const cosignedSizes = async () => (await store.readStream(witnessedStreamOf(peerOrigin))).map((e) => (e.data as CosignedCheckpoint).size);

  it("cosigns the peer's first checkpoint and each later one that extends it with a C2SP tlog-cosignature/v1, so both verify", async () => {
    expect(await witness.witness(peer.checkpoint())).toBe('cosigned');
    peer.grow(6);
    expect(await witness.witness(peer.checkpoint())).toBe('cosigned');
    expect(await cosignedSizes()).toEqual([5, 11]);
    const last = (await witness.lastWitnessed(peerOrigin))!;
    expect(openCheckpoint(last.note, [verifierKeyOf(peerKey)]).checkpoint.size).toBe(11);
    const [cosignature] = openCosignatures(last.note, [cosignerKeyOf(ourKey)]);
    expect(cosignature!.timestamp).toBeGreaterThan(Date.parse('2026-01-01') / 1000);
    expect(last.witnessKey).toBe(cosignerKeyOf(settings.verifierKey));
    // a redelivered or older consistent checkpoint changes nothing
    expect(await witness.witness(peer.checkpoint())).toBe('already_witnessed');
    expect(await witness.witness(peer.checkpoint(8))).toBe('already_witnessed');
    expect(await cosignedSizes()).toEqual([5, 11]);
    expect(await witness.alarms()).toEqual([]);
  });

  it('raises an alarm, and cosigns nothing, for a forged signature, a forked log, a rewritten history and an unprovable size', async () => {
    await witness.witness(peer.checkpoint());
    const intruder = generateSignerKey('silta.test/municipality');
    expect(await witness.witness(peer.checkpoint(5, intruder))).toBe('alarm');

    // the same size with another root: two heads of one log
    const fork = new PeerLog().grow(5, 'fork');
    expect(await witness.witness(fork.checkpoint())).toBe('alarm');

    // a later checkpoint of a log whose first five leaves were rewritten: the proof cannot tie it to size 5
    const rewritten = new PeerLog().grow(9, 'rewritten');
    witness = new Witness(store, settings, (from, to) => rewritten.source(from, to));
    expect(await witness.witness(rewritten.checkpoint())).toBe('alarm');

    // a size the peer cannot prove
    const claim = peer.grow(3).checkpoint();
    peer.leaves.splice(6);
    witness = new Witness(store, settings, (from, to) => peer.source(from, to));
    expect(await witness.witness(claim)).toBe('alarm');

    expect(await cosignedSizes()).toEqual([5]);
    const reasons = (await witness.alarms()).map((alarm) => alarm.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/does not verify with the peer's key/),
      expect.stringMatching(/a second root at size 5: the log forked/),
      expect.stringMatching(/not consistent with the checkpoint witnessed at size 5: the log was rewritten or forked/),
      expect.stringMatching(/not consistent with the checkpoint witnessed at size 5: to \(8\) is larger than the audit log/),
    ]);
  });

  it("keeps the peer's cosignature of its own checkpoint only when both keys verify and it is the checkpoint it signed", async () => {
    const own = new PeerLog().grow(3);
    const ours = own.checkpoint(3, ourKey, settings.origin);
    const cosign = (checkpoint: AuditCheckpoint, key = peerKey, witnessKey = cosignerKeyOf(peerKey)): CosignedCheckpoint => ({
      ...checkpoint,
      note: cosignCheckpoint(checkpoint.note, key),
      witnessKey,
      cosignedAt: '2026-01-01T00:00:00.000Z',
    });
    const signedHere = async (size: number) => (size === 3 ? ours : undefined);
    expect(await witness.keep(cosign(ours), signedHere)).toBe('kept');
    const [kept] = await store.readStream(COSIGNATURE_STREAM);
    expect((kept!.data as CosignedCheckpoint).size).toBe(3);
    expect((await witness.latestCosignature())!.rootHash).toBe(ours.rootHash);

    expect(await witness.keep(cosign(ours, generateSignerKey('someone'), 'someone+00000000+AAAA'), signedHere)).toBe('alarm');
    expect(await witness.keep(cosign(ours, generateSignerKey('silta.test/municipality')), signedHere)).toBe('alarm');
    // A cosignature moved from another checkpoint of this log onto this one.
    const later = own.grow(1).checkpoint(4, ourKey, settings.origin);
    const movedLine = cosign(later).note.trimEnd().split('\n').pop()!;
    expect(await witness.keep({ ...cosign(ours), note: `${ours.note}${movedLine}\n` }, signedHere)).toBe('alarm');
    const other = new PeerLog().grow(3, 'other').checkpoint(3, ourKey, settings.origin);
    expect(await witness.keep(cosign(other), signedHere)).toBe('alarm');
    expect(await store.readStream(COSIGNATURE_STREAM)).toHaveLength(1);
    expect(await witness.alarms()).toHaveLength(4);
  });

  it('skips, without an alarm, a checkpoint it cannot check while the peer is unreachable, and witnesses the next', async () => {
    await witness.witness(peer.checkpoint());
    peer.grow(2);
    const down = new Witness(store, settings, async () => ({ unavailable: 'connection refused' }));
    expect(await down.witness(peer.checkpoint())).toBe('peer_unavailable');
    peer.grow(2);
    expect(await witness.witness(peer.checkpoint())).toBe('cosigned');
    expect(await cosignedSizes()).toEqual([5, 9]);
    expect(await witness.alarms()).toEqual([]);
  });

  it("ignores checkpoints of other logs on the topic", async () => {
    expect(await witness.witness(peer.checkpoint(5, generateSignerKey('silta.test/another-municipality'), 'silta.test/another-municipality'))).toBe('not_peer');
    expect(await witness.alarms()).toEqual([]);
    expect(await cosignedSizes()).toEqual([]);
  });

  it("records the message it witnessed from as the cause of what it writes, with the message's correlation id", async () => {
    const manager = {} as EntityManager;
    const message = (type: string, payload: unknown) => ({ eventId: randomUUID(), correlationId: `req-${randomUUID()}`, type, payload });
    const checkpointMessage = message(AuditCheckpointSignedV1.type, peer.checkpoint());
    expect(await witness.apply(checkpointMessage, manager)).toBe(true);
    const forged = message(AuditCheckpointSignedV1.type, peer.checkpoint(5, generateSignerKey('intruder')));
    await witness.apply(forged, manager);
    const [cosigned] = await store.readStream(witnessedStreamOf(peerOrigin));
    const [alarm] = await store.readStream(WITNESS_ALARM_STREAM);
    expect(cosigned!.metadata).toEqual({ correlationId: checkpointMessage.correlationId, causationId: checkpointMessage.eventId, schemaVersion: 1 });
    expect(alarm!.metadata).toEqual({ correlationId: forged.correlationId, causationId: forged.eventId, schemaVersion: 1 });
  });

  it('does nothing without a peer', async () => {
    const alone = new Witness(store, { ...settings, peer: undefined }, null);
    expect(await alone.witness(peer.checkpoint())).toBe('not_configured');
    expect(await alone.keep({ ...peer.checkpoint(), witnessKey: 'k', cosignedAt: randomUUID() }, async () => undefined)).toBe('not_configured');
  });
});

describe("the peer's consistency endpoint, over HTTP", () => {
  it('answers the proof, a refusal for a 4xx problem or a proof that is not strict I-JSON, and unavailable for a 5xx or no answer at all', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      const from = new URL(request.url!, 'http://x').searchParams.get('from');
      if (from === '1') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 1, to: 2, proof: ['AA=='] }));
      if (from === '5') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"proof":["AA=="],"proof":["BB=="]}');
      if (from === '2') return response.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ detail: 'to (9) is larger than the audit log (3 events)' }));
      response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const source = httpConsistencySource(url);
      expect(await source(1, 2)).toEqual({ proof: ['AA=='] });
      expect(await source(2, 9)).toEqual({ refused: 'the peer answered 400 for a consistency proof 2→9: to (9) is larger than the audit log (3 events)' });
      expect(await source(3, 4)).toEqual({ unavailable: 'the peer answered 503 for a consistency proof 3→4' });
      expect(await source(5, 6)).toEqual({
        refused: `the peer's consistency proof 5→6 is not strict I-JSON: ${url}/v1/audit/log/consistency?from=5&to=6: $: duplicate member name "proof" (line 1, column 19)`,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await httpConsistencySource(url)(1, 2)).toEqual({ unavailable: expect.stringMatching(/could not be reached/) });
  });
});
