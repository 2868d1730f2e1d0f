/** What every silta-audit command is given: its arguments, the process's io, and what tests inject. */
import type { EventStore } from '@silta/event-store';
import type { EventStoreLocation } from '@silta/platform/persistence';
import type { DecisionReplayer } from './replay/replay';

/** Where the event store is. */
export type StoreSource = EventStoreLocation;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CliDeps {
  /** Opens the event store; the default opens it as the services do (store-options.ts). */
  readonly openStore?: (source: StoreSource) => Promise<EventStore>;
  /** Re-runs recorded decisions for `replay`; without it decisions are listed, not re-run. */
  readonly replayDecision?: DecisionReplayer;
}

/** One command: parses its own arguments, does its work, answers the exit code. */
export type Command = (args: readonly string[], io: CliIo, deps: CliDeps) => number | Promise<number>;
