import { encodeEvent } from './decider';
import { causedByMessage, eventMetadata } from './metadata';

describe('eventMetadata', () => {
  it('records correlation id, causation id, actor and schema version', () => {
    expect(eventMetadata({ correlationId: 'req-1', causationId: 'msg-1', actor: 'user-1', schemaVersion: 2 })).toEqual({
      correlationId: 'req-1',
      causationId: 'msg-1',
      actor: 'user-1',
      schemaVersion: 2,
    });
  });

  it('always records a schema version (1 when none is named) and leaves absent fields out', () => {
    expect(eventMetadata()).toStrictEqual({ schemaVersion: 1 });
    expect(eventMetadata({ actor: 'user-1' })).toStrictEqual({ actor: 'user-1', schemaVersion: 1 });
  });

  it('is what encodeEvent stamps on an event a request made', () => {
    const event = encodeEvent({ type: 'Happened', at: 'now' }, { correlationId: 'req-1', actor: 'user-1' });
    expect(event.metadata).toStrictEqual({ correlationId: 'req-1', actor: 'user-1', schemaVersion: 1 });
  });
});

describe('causedByMessage', () => {
  it("names the message's event as the cause and carries its correlation id on", () => {
    expect(eventMetadata(causedByMessage({ eventId: 'event-1', correlationId: 'req-1' }))).toStrictEqual({
      correlationId: 'req-1',
      causationId: 'event-1',
      schemaVersion: 1,
    });
    expect(eventMetadata(causedByMessage({ eventId: 'event-1', correlationId: undefined }))).toStrictEqual({ causationId: 'event-1', schemaVersion: 1 });
  });
});
