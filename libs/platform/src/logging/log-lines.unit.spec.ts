import { Writable } from 'node:stream';
import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ContractRegistry, MessageHeaders } from '@silta/contracts';
import { parseMessage } from '@silta/messaging';
import { ProblemFilter } from '../http/problem';
import { createAppLogger, PinoNestLogger } from './app-logger';

// The log lines built from a request or a message, which no redaction of fields reaches: what they
// say must be enough for an operator (route, status, code, where it was thrown) without the
// request's or the message's personal data.

function capture(): () => string {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  Logger.overrideLogger(new PinoNestLogger(createAppLogger({ service: 'roster', format: 'json', destination })));
  return () => text;
}

afterAll(() => Logger.overrideLogger(false));

describe("an answer's 5xx log line", () => {
  it('names the method, the route template, the status and the code, not the URL or the error message', () => {
    const output = capture();
    const response = { headersSent: false, setHeader: () => undefined, removeHeader: () => undefined, status: () => ({ type: () => ({ send: () => undefined }) }) };
    const request = { method: 'GET', url: '/v1/students/oppilas-a1-1234/records?name=Oppilas', route: { path: '/v1/students/:studentId/records' }, headers: {} };
    const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;

    new ProblemFilter().catch(new Error('invalid input syntax for type date: "Oppilas A1, huoltaja.a1@example.invalid"'), host);

    const entry = JSON.parse(output()) as { level: string; context: string; msg: string; err: { stack: string } };
    expect(entry).toMatchObject({ level: 'error', context: 'problem', msg: 'GET /v1/students/:studentId/records answered 500 internal_error' });
    expect(entry.err.stack).toMatch(/^Error: message not logged\n\s+at /);
    expect(output()).not.toMatch(/oppilas|example\.invalid/i);
  });
});

describe("a dead-lettered message's reason", () => {
  it('says the body is not JSON without quoting it', () => {
    const parsed = parseMessage(
      'silta.roster.v1',
      0,
      { key: null, value: Buffer.from('Oppilas A1, huoltaja.a1@example.invalid'), offset: '7', timestamp: '0', attributes: 0, headers: { [MessageHeaders.eventType]: 'StudentEnrolled', [MessageHeaders.schemaVersion]: '1', [MessageHeaders.eventId]: 'e-1' } },
      new ContractRegistry([]),
    );
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/^body is not JSON/) });
    expect(JSON.stringify(parsed)).not.toMatch(/Oppilas|example\.invalid/);
  });
});
