import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createAppLogger, PinoNestLogger, REDACTED, type LogFormat } from './app-logger';
import { RequestIdMiddleware } from './request-context';

// What operators read of a service: one JSON object per line they can filter by service, context,
// level and request, with an error's stack; and what must never be in it: personal data and secrets.

/** A logger writing into memory, installed as Nest's logger the way bootstrapService installs it. */
function capture(format: LogFormat = 'json'): { lines(): string[]; entries(): Record<string, unknown>[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  Logger.overrideLogger(new PinoNestLogger(createAppLogger({ service: 'consent', format, level: 'debug', destination })));
  const lines = () => text.split('\n').filter((line) => line !== '');
  return { lines, entries: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Runs `work` inside a request as RequestIdMiddleware serves it, and returns the id it answered with. */
function inRequest(headers: Record<string, string>, work: () => void): string {
  let answered = '';
  new RequestIdMiddleware().use({ headers: { ...headers } }, { setHeader: (_name, value) => (answered = value) }, work);
  return answered;
}

afterAll(() => Logger.overrideLogger(false));

describe('the app logger (LOG_FORMAT=json)', () => {
  it('writes each `new Logger(context)` line as JSON with level, ISO time, service, context and msg', () => {
    const log = capture();
    new Logger('witness').log('witnessed silta.receipts/local at size 3');
    new Logger('relay').warn('relay consent: broker unavailable');
    const [info, warn] = log.entries();
    expect(info).toEqual({ level: 'info', time: expect.any(String), service: 'consent', context: 'witness', msg: 'witnessed silta.receipts/local at size 3' });
    expect(new Date(info!.time as string).toISOString()).toBe(info!.time);
    expect(warn).toMatchObject({ level: 'warn', service: 'consent', context: 'relay' });
  });

  it("carries the request's x-request-id inside a request, a fresh id for a malformed one, and none outside", () => {
    const log = capture();
    const given = inRequest({ 'x-request-id': 'req-4f1c2a' }, () => new Logger('consent').log('granted'));
    const fresh = inRequest({ 'x-request-id': 'Oppilas A1 <script>' }, () => new Logger('consent').log('granted'));
    new Logger('consent').log('outside');
    const [inside, malformed, outside] = log.entries();
    expect(given).toBe('req-4f1c2a');
    expect(inside!.request_id).toBe('req-4f1c2a');
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(malformed!.request_id).toBe(fresh);
    expect(outside).not.toHaveProperty('request_id');
  });

  it("carries the active span's trace_id and span_id", () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const log = capture();
      const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
      context.with(trace.setSpan(context.active(), span), () => new Logger('disclosure').log('decided'));
      expect(log.entries()[0]).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
    } finally {
      context.disable();
    }
  });

  it('keeps an error\'s stack in `err`, whether Nest passes the error or its stack', () => {
    const log = capture();
    const error = new Error('no checkpoint this time');
    new Logger('audit-checkpointer').error(error);
    new Logger('consumer').error('consumer stopped consuming', error.stack);
    const [passed, stacked] = log.entries();
    expect(passed).toMatchObject({ level: 'error', context: 'audit-checkpointer', msg: 'no checkpoint this time', err: { type: 'Error', stack: error.stack } });
    expect(stacked).toMatchObject({ level: 'error', context: 'consumer', msg: 'consumer stopped consuming', err: { stack: error.stack } });
  });

  const sensitive = ['token', 'password', 'secret', 'name', 'contact', 'email', 'phone', 'records', 'data', 'justification', 'purpose'];

  it.each(sensitive)('redacts `%s` in a logged object, at the top and one level down', (key) => {
    const log = capture();
    const value = `personal-${key}-value`;
    new Logger('roster').log({ msg: 'logged object', [key]: value, payload: { [key]: value, studentId: 'student-7' } });
    const [line] = log.lines();
    expect(line).not.toContain(value);
    expect(JSON.parse(line!)).toMatchObject({ [key]: REDACTED, payload: { [key]: REDACTED, studentId: 'student-7' } });
  });

  it('redacts authorization and cookie headers of a logged request', () => {
    const log = capture();
    const headers = { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln', cookie: 'session=abc123', 'set-cookie': 'session=abc123', accept: 'application/json' };
    new Logger('auth').warn({ msg: 'refused', req: { method: 'GET', headers } });
    new Logger('auth').warn({ msg: 'refused', headers });
    for (const line of log.lines()) {
      expect(line).not.toContain('eyJ');
      expect(line).not.toContain('abc123');
    }
    const [nested, top] = log.entries();
    expect(nested).toMatchObject({ req: { method: 'GET', headers: { authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'application/json' } } });
    expect(top).toMatchObject({ headers: { authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'application/json' } });
  });
});

describe('the app logger (LOG_FORMAT=pretty)', () => {
  it('writes one readable line per entry, errors included', () => {
    const log = capture('pretty');
    inRequest({ 'x-request-id': 'req-77' }, () => new Logger('witness').log('witnessed silta.receipts/local at size 3'));
    new Logger('problem').error('GET /v1/students/:studentId answered 500', new Error('database unavailable').stack);
    const lines = log.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[witness\] witnessed silta\.receipts\/local at size 3 .*"request_id":"req-77"/);
    expect(lines[1]).toMatch(/ERROR: \[problem\] GET \/v1\/students\/:studentId answered 500 \(Error: database unavailable at .*app-logger\.unit\.spec\.ts/);
  });
});
