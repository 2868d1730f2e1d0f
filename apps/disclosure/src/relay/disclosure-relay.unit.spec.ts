import { AuditCheckpointSignedV1, ContractRegistry } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import { CHECKPOINT_STREAM, type AuditCheckpoint } from '@silta/audit-trail';
import { formatCheckpoint, generateSignerKey, signNote } from '@silta/transparency';
import { translateAuditEvent } from './disclosure-relay';

describe('what disclosure publishes of its audit log', () => {
  it('publishes each signed checkpoint as AuditCheckpointSignedV1, keyed by origin, and nothing else of it', () => {
    const root = new Uint8Array(32).fill(7);
    const origin = 'silta.test/audit';
    const note = signNote(formatCheckpoint({ origin, size: 3, root }), generateSignerKey(origin));
    const checkpoint: AuditCheckpoint = { origin, size: 3, rootHash: Buffer.from(root).toString('base64'), note, createdAt: '2026-03-10T09:00:00.000Z' };
    const event = { id: 'e-1', streamId: CHECKPOINT_STREAM, type: 'AuditCheckpointSigned', data: { ...checkpoint, extra: 'not published' } } as unknown as RecordedEvent;
    const message = translateAuditEvent(event)!;
    expect(message.key).toBe('silta.test/audit');
    expect(message.payload).toEqual(checkpoint);
    const validated = new ContractRegistry([AuditCheckpointSignedV1]).validate(message.type, message.schemaVersion, message.payload);
    expect(validated).toMatchObject({ ok: true });
  });
});
