/** Runtime errors whose messages name code (a property, a variable), not the data being handled. */
const CODE_MESSAGES = [TypeError, RangeError, ReferenceError];

/**
 * An error's stack for a log line without its message, which may quote the request or the data
 * being handled (a driver's "invalid input syntax: …", JSON.parse's snippet of its input): the
 * error's type, its `code` when it has one, and where it was thrown. Runtime type, range and
 * reference errors keep their message, which names code.
 */
export function stackWithoutMessage(error: unknown): string {
  if (!(error instanceof Error)) return `${typeof error} thrown`;
  const type = error.constructor?.name || 'Error';
  const code = (error as { code?: unknown }).code;
  const head = CODE_MESSAGES.some((kind) => error.constructor === kind)
    ? `${type}: ${error.message}`
    : `${type}${typeof code === 'string' || typeof code === 'number' ? ` (code ${code})` : ''}: message not logged`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames].join('\n');
}
