/** The logging the messaging pieces need; Nest's Logger satisfies it. */
export interface Logger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, trace?: string): void;
}

/** Writes to stderr with a prefix; for scripts and tests. */
export function consoleLogger(prefix: string): Logger {
  const write = (level: string, message: string) => process.stderr.write(`${level} [${prefix}] ${message}\n`);
  return {
    log: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, trace) => write('error', trace ? `${message}\n${trace}` : message),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { log: () => undefined, warn: () => undefined, error: () => undefined };
