import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { currentTraceIds } from '../observability/trace-context';
import { currentRequestId } from './request-context';

export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/** Keys whose value may hold personal data or a secret, wherever a logged object carries them (top level or one below). */
const SENSITIVE_KEYS = ['token', 'password', 'secret', 'name', 'contact', 'email', 'phone', 'records', 'data', 'justification', 'purpose'];
const HEADER_KEYS = ['authorization', 'cookie', '["set-cookie"]'];

/** The object paths pino redacts from every log line (censor REDACTED). */
export const REDACT_PATHS: readonly string[] = [
  ...HEADER_KEYS.flatMap((key) => {
    const path = key.startsWith('[') ? key : `.${key}`;
    return [`headers${path}`, `*.headers${path}`, ...(key.startsWith('[') ? [] : [key, `*.${key}`])];
  }),
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]),
];

export interface AppLoggerOptions {
  readonly service: string;
  /** `json`: one JSON object per line; `pretty`: one readable line per entry. Default: pretty on a terminal, else json. */
  readonly format?: LogFormat;
  readonly level?: LogLevel;
  /** Where lines go; stdout if unset. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
}

/** The format for stdout when LOG_FORMAT is unset: readable on a terminal, JSON for a collector. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return stdout.isTTY ? 'pretty' : 'json';
}

interface ErrorLike {
  readonly type?: string;
  readonly message?: string;
  readonly stack?: string;
}

/** One line for a pretty entry: `[context] msg`, and an error's type, message and first frames. */
function prettyLine(entry: Record<string, unknown>, messageKey: string): string {
  const context = typeof entry.context === 'string' ? `[${entry.context}] ` : '';
  const err = entry.err as ErrorLike | undefined;
  let error = '';
  if (err && typeof err === 'object') {
    const lines = (err.stack ?? '').split('\n');
    const frames = lines
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 4)
      .map((line) => line.trim().slice(3));
    // Nest may pass only a stack: its first line names the error.
    const head = err.message !== undefined ? `${err.type ?? 'Error'}: ${err.message}` : (lines[0] ?? 'Error');
    error = ` (${head}${frames.length ? ` at ${frames.join(' < ')}` : ''})`;
  }
  return `${context}${String(entry[messageKey] ?? '')}${error}`;
}

/**
 * A pino logger for a Silta service: each line has `level`, `time` (ISO 8601), `service`, the
 * caller's fields, `msg`, and inside a request `request_id` (RequestIdMiddleware) and inside a span
 * `trace_id` and `span_id`. Values under REDACT_PATHS are replaced with REDACTED.
 */
export function createAppLogger({ service, format = defaultLogFormat(), level = 'info', destination }: AppLoggerOptions): Pino {
  const stream =
    format === 'pretty'
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for pretty output, never in a deployment's JSON logs
        (require('pino-pretty') as typeof import('pino-pretty')).build({
          singleLine: true,
          colorize: false,
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service,context,err',
          messageFormat: prettyLine,
          // The error is part of the message line (prettyLine), not a block of lines after it.
          errorLikeObjectKeys: [],
          ...(destination && { destination }),
        })
      : (destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return { ...(requestId && { request_id: requestId }), ...currentTraceIds() };
      },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    },
    stream,
  );
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

const PINO_LEVEL: Record<NestLevel, LogLevel> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };

/** A Nest stack argument: Nest passes one as `error(message, stack, context)`. */
const STACK = /^.+\n\s+at .+/s;

/**
 * Nest's LoggerService over pino: `new Logger('context')` anywhere in the app writes through it,
 * with the logger's context as `context`. Nest's convention: the last string argument is the
 * context; for errors, a stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: NestLevel, message: unknown, rest: unknown[]): void {
    const args = [...rest];
    const context = args.length > 0 && typeof args.at(-1) === 'string' && !(level === 'error' && args.length === 1 && STACK.test(args[0] as string)) ? (args.pop() as string) : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    const stack = level === 'error' || level === 'fatal' ? args.find((arg): arg is string => typeof arg === 'string' && STACK.test(arg)) : undefined;
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (typeof message === 'string') {
      text = message;
      if (stack) fields.err = { stack };
    } else if (message && typeof message === 'object') {
      Object.assign(fields, message);
    } else {
      text = String(message);
    }
    const logger = this.pino[PINO_LEVEL[level]].bind(this.pino);
    if (text === undefined) logger(fields);
    else logger(fields, text);
  }
}
