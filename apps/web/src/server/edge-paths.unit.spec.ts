import { forwardedPath } from './api-proxy/forwarded-path';
import { safeReturnTo } from './auth/return-to';

describe('returnTo after sign-in', () => {
  it('keeps a path on this origin', () => {
    for (const path of ['/', '/students/s-1/consents?tab=log', '/a/b#c', '/%2F%2Fevil']) expect(safeReturnTo(path)).toBe(path);
  });

  it('turns anything that could leave the origin into /', () => {
    for (const value of ['//evil.example', '/\\evil.example', '\\\\evil', 'https://evil.example', 'javascript:alert(1)', 'evil', '/a//b', '/\tevil', '', 'x'.repeat(3000), undefined, ['/a'], 7]) {
      expect({ value, to: safeReturnTo(value) }).toEqual({ value, to: '/' });
    }
  });
});

describe('the forwarded path', () => {
  it('keeps the party, the v1 path and the query as sent', () => {
    expect(forwardedPath('/api/consent/v1/students/s-1/consents?limit=10&cursor=a%2Bb')).toEqual({ party: 'consent', pathAndQuery: '/v1/students/s-1/consents?limit=10&cursor=a%2Bb' });
    expect(forwardedPath('/api/receipts/v1/receipts')).toEqual({ party: 'receipts', pathAndQuery: '/v1/receipts' });
  });

  it('reaches nothing but a party\'s public v1 API', () => {
    for (const url of ['/api/roster/internal/x', '/api/roster/v2/x', '/api/roster/v1/../internal', '/api/roster/v1/%2E%2E/internal', '/api/roster/v1/a%2fb', '/api/roster/v1/a%5Cb', '/api/roster/v1/a\\b', '/api/roster/v1//x', '/api/roster/v1/x/.', '/api/roster/v1/%zz', '/api/other/v1/x', '/api/ROSTER/v1/x', '/api/roster/v1/x?a b', '/api/roster/v1/x%00']) {
      expect({ url, forwarded: forwardedPath(url) }).toEqual({ url, forwarded: undefined });
    }
  });
});
