import type { LoggerService } from '@nestjs/common';

const BUFFER = '__SILTA_TEST_LOG__';

/**
 * Adds text to the test's log buffer, which the int and e2e test environment
 * (test/quiet-test-environment.js) prints only when a test fails. Outside it, writes to stderr.
 */
export function recordTestLog(text: string): void {
  const lines = (globalThis as Record<string, unknown>)[BUFFER];
  if (Array.isArray(lines)) lines.push(text);
  else process.stderr.write(text);
}

/** A Nest logger for in-process apps under test: its lines are shown only with a failing test. */
export function quietNestLogger(): LoggerService {
  const line =
    (level: string) =>
    (message: unknown, ...rest: unknown[]): void => {
      const context = typeof rest.at(-1) === 'string' ? ` [${String(rest.at(-1))}]` : '';
      const text = message instanceof Error ? (message.stack ?? message.message) : typeof message === 'string' ? message : JSON.stringify(message);
      const trace = rest.length > 1 && typeof rest[0] === 'string' ? `\n${rest[0]}` : '';
      recordTestLog(`[Nest] ${level.padStart(7)}${context} ${text}${trace}\n`);
    };
  return { log: line('LOG'), error: line('ERROR'), warn: line('WARN'), debug: line('DEBUG'), verbose: line('VERBOSE'), fatal: line('FATAL') };
}
