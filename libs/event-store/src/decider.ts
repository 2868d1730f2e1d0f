import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError, type EventStore, type NewEvent, type RecordedEvent, type StreamRevision } from './port';
import { eventMetadata, type EventMetadataInput } from './metadata';

/**
 * A pure decider (STYLE.md): `decide` turns a command and the current state into new events,
 * `evolve` folds an event into the state. Neither does I/O; time and ids come in the command.
 */
export interface Decider<Command, Event extends { type: string }, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

/**
 * How a stream's domain events are stored: `decode` turns a recorded event back into a domain
 * event (the place to upcast an older `metadata.schemaVersion`), `encode` turns a new one into
 * what the store takes (a fresh id, the command's metadata with the codec's schema version).
 */
export interface EventCodec<Event> {
  decode(recorded: RecordedEvent): Event;
  encode(event: Event, metadata?: EventMetadataInput): NewEvent;
}

/** The shape version `encodeEvent` records when the caller names none. */
export const FIRST_SCHEMA_VERSION = 1;

/** A stored event as `{ type, ...data }`: the default decode, for streams that never changed shape. */
export function decodeEvent<Event extends { type: string }>(recorded: RecordedEvent): Event {
  return { type: recorded.type, ...(recorded.data as object) } as Event;
}

/** A domain event as the store takes it: a fresh id (it also names the event in position tokens). */
export function encodeEvent<Event extends { type: string }>(event: Event, metadata: EventMetadataInput = {}): NewEvent {
  const { type, ...data } = event;
  return { id: randomUUID(), type, data, metadata: eventMetadata({ schemaVersion: FIRST_SCHEMA_VERSION, ...metadata }) };
}

/** A codec that also tells whether a stored event is one of its stream's types. */
export interface TypedEventCodec<Event> extends EventCodec<Event> {
  holds(recorded: RecordedEvent): boolean;
}

export interface TypedEventCodecOptions<Event> {
  /** The shape version new events are written with; FIRST_SCHEMA_VERSION when not given. */
  readonly schemaVersion?: number;
  /** Turns an event stored at an older schema version into today's shape. */
  readonly upcast?: (recorded: RecordedEvent, version: number) => Event;
}

/**
 * The codec of a stream whose events are stored as `{ type, ...data }`: it writes the current schema
 * version, reads that version as stored, hands an older one to `upcast`, and refuses a type or
 * version it does not know (a stream it cannot read is an error, never a silently empty state).
 */
export function typedEventCodec<Event extends { type: string }>(
  types: readonly Event['type'][],
  options: TypedEventCodecOptions<Event> = {},
): TypedEventCodec<Event> {
  const { schemaVersion = FIRST_SCHEMA_VERSION, upcast } = options;
  const holds = (recorded: RecordedEvent) => (types as readonly string[]).includes(recorded.type);
  return {
    holds,
    encode: (event, metadata = {}) => encodeEvent(event, { ...metadata, schemaVersion }),
    decode(recorded) {
      if (!holds(recorded)) throw new Error(`stream ${recorded.streamId}: unknown event type ${recorded.type}`);
      const version = recorded.metadata.schemaVersion ?? FIRST_SCHEMA_VERSION;
      if (version === schemaVersion) return decodeEvent<Event>(recorded);
      if (upcast && version < schemaVersion) return upcast(recorded, version);
      throw new Error(`stream ${recorded.streamId}: ${recorded.type} has unknown schema version ${version}`);
    },
  };
}

/** Reads a stream and folds it; `revision` is undefined when the stream has no events. */
export async function loadState<Event extends { type: string }, State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  decode: (recorded: RecordedEvent) => Event = decodeEvent,
): Promise<{ state: State; revision: StreamRevision | undefined }> {
  const events = await store.readStream(streamId);
  const state = events.reduce((s, e) => decider.evolve(s, decode(e)), decider.initialState);
  return { state, revision: events.at(-1)?.revision };
}

/**
 * How often to decide again when another writer appended first. Waits are exponential with full
 * jitter (a random share of min(maxDelayMs, baseDelayMs · 2^retry)), so writers that collided do
 * not collide again in step.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 never retries. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** In [0, 1); injected by tests to make the waits known. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 5,
  maxDelayMs: 100,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface HandleCommandOptions<Event> {
  readonly codec?: Partial<EventCodec<Event>>;
  /** What the new events record of why they were written (eventMetadata's convention). */
  readonly metadata?: EventMetadataInput;
  readonly retry?: Partial<RetryPolicy>;
}

const BUILD = Symbol('a command built from the state read');

/** A command whose lookups depend on the state read: built again on each attempt. */
export interface CommandFromState<State, Command> {
  readonly [BUILD]: (state: State) => Command | Promise<Command>;
}

/** Marks `build` as a command to be built from the stream's state (see handleCommand). */
export function commandFrom<State, Command>(build: (state: State) => Command | Promise<Command>): CommandFromState<State, Command> {
  return { [BUILD]: build };
}

function isBuiltFromState<State, Command>(command: Command | CommandFromState<State, Command>): command is CommandFromState<State, Command> {
  return typeof command === 'object' && command !== null && BUILD in command;
}

export interface HandledCommand<Event, State> {
  readonly events: readonly Event[];
  /** The stream's state after the new events. */
  readonly state: State;
  /** Ids of the appended events, in order (empty when the decider produced none). */
  readonly eventIds: readonly string[];
  /** Global position of the last appended event. */
  readonly position: bigint | undefined;
  /** The stream's revision after the append (the one read, when nothing was appended). */
  readonly revision: StreamRevision | undefined;
}

/**
 * The command path, the one every decider goes through: read the stream, fold, decide, append at
 * the revision read ('no_stream' when it has no events). When another writer appended first, reads
 * and decides again (deciders are pure, so the new decision may differ, a refusal included), up to
 * `retry.attempts`, then rethrows the WrongExpectedVersionError. Anything else the decider or the
 * codec throws (a domain refusal) is never retried. A command whose lookups depend on the state read
 * is passed as `commandFrom(state => command)`; it is then built again on each attempt.
 */
export async function handleCommand<Command, Event extends { type: string }, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command | CommandFromState<State, Command>,
  options: HandleCommandOptions<Event> = {},
): Promise<HandledCommand<Event, State>> {
  const decode = options.codec?.decode ?? decodeEvent;
  const encode = options.codec?.encode ?? ((event: Event, metadata?: EventMetadataInput) => encodeEvent(event, metadata));
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadState(store, streamId, decider, decode);
    const decided = isBuiltFromState(command) ? await command[BUILD](state) : command;
    const events = decider.decide(decided, state);
    const after = events.reduce(decider.evolve, state);
    if (events.length === 0) return { events, state: after, eventIds: [], position: undefined, revision };
    const newEvents = events.map((event) => encode(event, options.metadata));
    try {
      const result = await store.appendToStream(streamId, newEvents, revision ?? 'no_stream');
      return { events, state: after, eventIds: newEvents.map((e) => e.id), position: result.position, revision: result.nextExpectedRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= retry.attempts) throw error;
      await retry.sleep(retry.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
