import type { ExecutionContext } from '@nestjs/common';
import { InputBoundsGuard, illFormedStrings, inputProblems } from './input-bounds.guard';

const http = (request: object) => ({ getType: () => 'http', switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

describe('the input bounds at the edge', () => {
  it('finds every lone surrogate in a parsed body, by path, in values, arrays and member names', () => {
    const body = { ok: 'Äiti 👩', purpose: 'a\ud800', nested: { list: ['fine', '\udc00x'], '\ud83d': 1 }, n: 1, none: null };
    const fields = (value: unknown) => illFormedStrings(value, '').map((p) => p.field).sort();
    expect(fields(body)).toEqual(['nested.list.1', 'nested.\ud83d (name)', 'purpose']);
    expect(fields('\ud800')).toEqual(['(body)']);
    expect(fields({ pair: '👩‍🎓 \ud83d\udc69' })).toEqual([]);
  });

  it('finds a NUL anywhere (no database stores it) and refuses nesting deeper than a body ever needs', () => {
    expect(illFormedStrings({ requestId: 'r\u0000', list: ['\u0000'], ok: 'line\nbreak\ttab' }, '').map((p) => `${p.field}: ${p.message}`).sort()).toEqual([
      'list.0: must not contain the NUL character',
      'requestId: must not contain the NUL character',
    ]);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(illFormedStrings({ categories: deep }, '')).toEqual([{ field: expect.stringMatching(/^categories(\.0)+$/), message: 'must not nest deeper than 32 levels' }]);
  });

  it('holds path parameters named *Id to the id alphabet and every other input to well-formed text', () => {
    const problems = inputProblems({
      params: { studentId: 'student\u0000', guardianId: 'g-1', schoolId: '\u202eevil', name: 'x\ud800', category: 'grades' },
      query: { from: '\udfff', categories: ['ok', 'a\ud800'] },
      body: { schoolId: 'fine' },
    });
    expect(problems.map((p) => `${p.in} ${p.field}`)).toEqual(['path studentId', 'path schoolId', 'path name', 'query from', 'query categories.1']);
  });

  it('lets well-formed requests through and refuses the others with 400 naming each field', () => {
    const guard = new InputBoundsGuard();
    expect(guard.canActivate(http({ params: { studentId: 's-1.a:b_c' }, query: {}, body: { name: 'Åke' } }))).toBe(true);
    expect(() => guard.canActivate(http({ params: { assignmentId: 'a\r\nb' }, query: {}, body: undefined }))).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_request', detail: expect.stringContaining('path assignmentId') }),
    );
  });
});
