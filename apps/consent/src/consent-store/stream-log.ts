import { encodePositionToken } from '@silta/contracts';
import { handleCommand, loadState, type CommandFromState, type Decider, type EventMetadataInput, type EventCodec, type EventStore } from '@silta/event-store';
import { assertPublishable } from '../relay/publishable';

/** One kind of consent-side stream: how it is named, decided and stored. */
export interface StreamKind<Command, Event extends { type: string }, State> {
  streamOf(key: string): string;
  readonly decider: Decider<Command, Event, State>;
  readonly codec: EventCodec<Event>;
}

/** A command the domain accepted, once its events are stored. */
export interface Accepted<Event, State> {
  readonly events: readonly Event[];
  /** The stream's state after the new events. */
  readonly state: State;
  /** The stream's revision after the append. */
  readonly revision: bigint;
  /** Names the last appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * A consent-side stream on the shared command path (handleCommand: a concurrent writer makes it
 * decide again on the new state), adding what every consent stream needs: the publishable check
 * before anything is appended, and a position token naming the last appended event.
 */
export class StreamLog<Command, Event extends { type: string }, State> {
  constructor(
    private readonly store: EventStore,
    private readonly kind: StreamKind<Command, Event, State>,
  ) {}

  /** The stream's state now; the initial state for a stream with no events. */
  async read(key: string): Promise<State> {
    const { decider, codec } = this.kind;
    return (await loadState(this.store, this.kind.streamOf(key), decider, codec.decode)).state;
  }

  /** `command` may be built from the state read with commandFrom (built again when the command path retries). */
  async execute(key: string, command: Command | CommandFromState<State, Command>, metadata: EventMetadataInput): Promise<Accepted<Event, State>> {
    const streamId = this.kind.streamOf(key);
    const { decode, encode } = this.kind.codec;
    const publishable = (event: Event, eventMetadata?: EventMetadataInput) => {
      const stored = encode(event, eventMetadata);
      assertPublishable(streamId, [stored]);
      return stored;
    };
    const { events, state, eventIds, revision } = await handleCommand(this.store, streamId, this.kind.decider, command, { codec: { decode, encode: publishable }, metadata });
    const last = eventIds.at(-1);
    // Every consent decider appends or refuses; nothing appended has no event to name.
    if (last === undefined || revision === undefined) throw new Error(`stream ${streamId}: the command appended no event`);
    return { events, state, revision, positionToken: encodePositionToken({ service: 'consent', eventId: last }) };
  }
}
