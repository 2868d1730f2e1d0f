import type { Logger } from './logger';

/**
 * Stops the given parts in order on SIGTERM or SIGINT, then exits: 0 if they stopped cleanly,
 * 1 otherwise. For plain processes; Nest apps use enableShutdownHooks() instead.
 */
export function stopOnSignals(parts: ReadonlyArray<{ stop(): Promise<void> }>, logger: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, stopping`);
    (async () => {
      for (const part of parts) await part.stop();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
