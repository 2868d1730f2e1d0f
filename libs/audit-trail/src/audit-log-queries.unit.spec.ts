import { Refusal } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import { toProblem } from '@silta/platform';
import { guard } from './audit-log-queries';
import { AuditLogDivergedError } from './checkpointer';

describe("the audit log's answers", () => {
  it('report a log that no longer matches its own leaf hashes as a 500 audit_log_diverged, never as a proof', async () => {
    const event = { id: 'e-1', streamId: 'audit-s-1', position: 7n } as unknown as RecordedEvent;
    const answer = guard(() => Promise.reject(new AuditLogDivergedError(3, event, 'aa', 'bb')));

    const refusal = await answer.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(toProblem(refusal)).toMatchObject({ status: 500, code: 'audit_log_diverged', detail: expect.stringContaining('leaf 3') });
  });

  it('pass any other refusal through unchanged', async () => {
    const notFound = new Refusal('not_found', 'no_checkpoint', 'no checkpoint of size 9');
    await expect(guard(() => Promise.reject(notFound))).rejects.toBe(notFound);
  });
});
