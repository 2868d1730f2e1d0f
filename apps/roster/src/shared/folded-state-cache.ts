import { decodeEvent, type Decider, type EventStore, type StreamRevision } from '@silta/event-store';

/** A stream's state as folded up to and including `revision`. */
interface Folded {
  readonly state: unknown;
  readonly revision: StreamRevision;
  /** Events folded into it: the entry's share of the budget. */
  readonly weight: number;
}

/**
 * Streams' folded states, kept between reads (issue 17): a read asks the store only for the events
 * after the cached revision and folds those onto the cached state, so a student with thousands of
 * records costs one short query that usually answers nothing, instead of reading and folding them
 * all per request. The tail is read on every call, so an answer is never older than what the store
 * had committed when the call began, whoever wrote it (another roster instance included); nothing
 * has to be invalidated. States are immutable (deciders' evolve returns new objects), so a cached
 * one may be handed out. Least recently used streams go first once the events folded into the kept
 * states pass `maxEvents`, which bounds the memory whatever the streams' lengths.
 */
export class FoldedStateCache {
  private readonly entries = new Map<string, Folded>();
  private weight = 0;

  constructor(private readonly maxEvents: number) {}

  /** The stream's current state, folded by `decider`; a stream never written is its initial state. */
  async load<Event extends { type: string }, State>(
    store: EventStore,
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  ): Promise<State> {
    const cached = this.entries.get(streamId);
    const events = await store.readStream(streamId, cached ? { fromRevision: cached.revision + 1n } : {});
    let state = cached ? (cached.state as State) : decider.initialState;
    for (const event of events) state = decider.evolve(state, decodeEvent(event) as Event);
    const last = events.at(-1);
    if (last) this.keep(streamId, { state, revision: last.revision, weight: (cached?.weight ?? 0) + events.length });
    else if (cached) this.touch(streamId, cached);
    return state;
  }

  private keep(streamId: string, folded: Folded): void {
    const current = this.entries.get(streamId);
    // Two reads of one stream can overlap: keep whichever folded further.
    if (current && current.revision >= folded.revision) return this.touch(streamId, current);
    if (current) this.forget(streamId, current);
    if (folded.weight > this.maxEvents) return;
    this.entries.set(streamId, folded);
    this.weight += folded.weight;
    for (const [oldestId, oldest] of this.entries) {
      if (this.weight <= this.maxEvents) break;
      this.forget(oldestId, oldest);
    }
  }

  /** Moves the entry to the most recently used end (a Map iterates in insertion order). */
  private touch(streamId: string, folded: Folded): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
  }

  private forget(streamId: string, folded: Folded): void {
    this.entries.delete(streamId);
    this.weight -= folded.weight;
  }
}
