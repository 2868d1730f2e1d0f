import type { EventStore, NewEvent, RecordedEvent, StreamRevision } from './port';

/**
 * A pure decider (STYLE.md): `decide` turns a command and the current state into new events,
 * `evolve` folds an event into the state. Neither does I/O; time and ids come in the command.
 */
export interface Decider<Command, Event extends { type: string }, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

/** Reads a stream and folds it; `revision` is undefined when the stream does not exist. */
export async function loadState<Event extends { type: string }, State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  toEvent: (recorded: RecordedEvent) => Event = (recorded) => ({ type: recorded.type, ...(recorded.data as object) }) as Event,
): Promise<{ state: State; revision: StreamRevision | undefined }> {
  const events = await store.readStream(streamId);
  const state = events.reduce((s, e) => decider.evolve(s, toEvent(e)), decider.initialState);
  return { state, revision: events.at(-1)?.revision };
}

export interface HandledCommand<Event> {
  readonly events: readonly Event[];
  /** Ids of the appended events, in order (empty when the decider produced none). */
  readonly eventIds: readonly string[];
  /** Global position of the last appended event. */
  readonly position: bigint | undefined;
}

/**
 * The whole command path in one place: read the stream, fold, decide, append at the revision that
 * was read. A concurrent writer makes the append fail with WrongExpectedVersionError.
 */
export async function handleCommand<Command, Event extends { type: string }, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  toNewEvent: (event: Event) => NewEvent,
): Promise<HandledCommand<Event>> {
  const { state, revision } = await loadState(store, streamId, decider);
  const events = decider.decide(command, state);
  if (events.length === 0) return { events, eventIds: [], position: undefined };
  const newEvents = events.map(toNewEvent);
  const result = await store.appendToStream(streamId, newEvents, revision ?? 'no_stream');
  return { events, eventIds: newEvents.map((e) => e.id), position: result.position };
}
