import { decodeJwt } from 'jose';
import { InternalTokenSource } from './internal-token';

const SECRET = 's'.repeat(40);

describe('InternalTokenSource', () => {
  // Only Date is faked: the token's iat/exp follow the clock, the signing itself stays asynchronous.
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('reuses one token for the first half of its lifetime, then signs a new one', async () => {
    const source = new InternalTokenSource(SECRET, 'disclosure', 60);
    const first = await source.token();
    jest.setSystemTime(new Date('2026-01-01T00:00:29Z'));
    expect(await source.token()).toBe(first);
    jest.setSystemTime(new Date('2026-01-01T00:00:31Z'));
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(decodeJwt(second)).toMatchObject({ sub: 'disclosure', role: 'service', exp: Date.parse('2026-01-01T00:01:31Z') / 1000 });
  });

  it('signs once for callers asking at the same time', async () => {
    const source = new InternalTokenSource(SECRET, 'disclosure');
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(new Set(tokens).size).toBe(1);
  });
});
