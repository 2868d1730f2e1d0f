import type { ArgumentsHost } from '@nestjs/common';
import { Refusal, refusalsOf, type RefusalKind } from '@silta/contracts';
import { ProblemFilter, toProblem } from './problem';

/** A domain's own refusal class, as roster's, consent's and receipts' are. */
class SchoolRefusal extends refusalsOf({ school_exists: 'conflict', school_not_found: 'not_found' }) {}

describe('a refusal answered as a problem', () => {
  it.each<[RefusalKind, number, string]>([
    ['invalid', 400, 'Bad Request'],
    ['forbidden', 403, 'Forbidden'],
    ['not_found', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['unavailable', 503, 'Service Unavailable'],
    ['rate_limited', 429, 'Too Many Requests'],
    ['upstream_failed', 502, 'Bad Gateway'],
    ['corrupted', 500, 'Internal Server Error'],
  ])('of kind %s is a %i %s, keeping its code and detail', (kind, status, title) => {
    expect(toProblem(new Refusal(kind, 'some_rule', 'why, in words'))).toEqual({
      type: 'https://silta.example/problems/some_rule',
      title,
      status,
      code: 'some_rule',
      detail: 'why, in words',
    });
  });

  it('keeps its extras in the body', () => {
    const errors = [{ field: 'cursor', message: 'not a cursor this API gave out' }];
    expect(toProblem(new Refusal('invalid', 'invalid_request', 'cursor: not a cursor this API gave out', { errors }))).toMatchObject({
      status: 400,
      code: 'invalid_request',
      errors,
    });
  });

  it("of a domain's own class is answered by the kind its table gives the code", () => {
    expect(toProblem(new SchoolRefusal('school_exists', 'school s-1 is already registered'))).toMatchObject({
      status: 409,
      code: 'school_exists',
      detail: 'school s-1 is already registered',
    });
    expect(toProblem(new SchoolRefusal('school_not_found', 'no school s-9'))).toMatchObject({ status: 404, code: 'school_not_found' });
    expect(new SchoolRefusal('school_not_found', 'no school s-9')).toMatchObject({ name: 'SchoolRefusal', kind: 'not_found' });
  });

  it('is sent by the one filter as application/problem+json, naming the request', () => {
    const sent: { status?: number; type?: string; body?: string } = {};
    const response = {
      headersSent: false,
      setHeader: () => undefined,
      removeHeader: () => undefined,
      status(code: number) {
        sent.status = code;
        return {
          type(type: string) {
            sent.type = type;
            return { send: (body: string) => void (sent.body = body) };
          },
        };
      },
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ url: '/v1/schools', headers: {} }), getResponse: () => response }) } as unknown as ArgumentsHost;

    new ProblemFilter().catch(new Refusal('not_found', 'school_not_found', 'no school s-9'), host);

    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(JSON.parse(sent.body!)).toEqual({
      type: 'https://silta.example/problems/school_not_found',
      title: 'Not Found',
      status: 404,
      code: 'school_not_found',
      detail: 'no school s-9',
      instance: '/v1/schools',
    });
  });

  it('tells a rate-limited caller in Retry-After how many seconds to wait, and only then', () => {
    const headers: Record<string, string> = {};
    const response = {
      headersSent: false,
      setHeader: (name: string, value: string) => void (headers[name] = value),
      removeHeader: () => undefined,
      status: () => ({ type: () => ({ send: () => undefined }) }),
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ url: '/v1/audit/log/checkpoints', headers: {} }), getResponse: () => response }) } as unknown as ArgumentsHost;

    new ProblemFilter().catch(new Refusal('rate_limited', 'rate_limited', 'signed a moment ago', { retryAfter: 7 }), host);
    expect(headers['Retry-After']).toBe('7');

    delete headers['Retry-After'];
    new ProblemFilter().catch(new Refusal('not_found', 'no_checkpoint', 'none yet'), host);
    expect(headers['Retry-After']).toBeUndefined();
  });
});
