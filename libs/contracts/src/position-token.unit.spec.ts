import { decodePositionToken, encodePositionToken } from './position-token';

describe('position tokens', () => {
  it('round-trip the service and event id through an opaque base64url string', () => {
    const token = encodePositionToken({ service: 'consent', eventId: '3f1e0c8e-1d2b-4a57-9a43-0f6a3b9e2c11' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ service: 'consent', eventId: '3f1e0c8e-1d2b-4a57-9a43-0f6a3b9e2c11' });
    expect(decodePositionToken(token)).toEqual({ service: 'consent', eventId: '3f1e0c8e-1d2b-4a57-9a43-0f6a3b9e2c11' });
  });

  it('decode anything else to undefined', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const text of ['', 'not base64 at all!', encode('x'), encode(null), encode({ service: 'consent' }), encode({ service: '', eventId: 'e' }), encode({ service: 'consent', eventId: 7 })]) {
      expect(decodePositionToken(text)).toBeUndefined();
    }
  });
});
