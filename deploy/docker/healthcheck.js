// Container HEALTHCHECK: exits 0 when the app's /health answers 200 within 3 s.
// The port follows the app's own rule: PORT, else the service's default port; the web app reads
// WEB_PORT instead (apps/web/src/server/config.ts), default 3000.
const http = require('node:http');

const DEFAULT_PORTS = { roster: 3001, consent: 3002, disclosure: 3003, receipts: 3004, web: 3000 };
const given = process.env.SERVICE === 'web' ? process.env.WEB_PORT : process.env.PORT;
const port = Number(given || DEFAULT_PORTS[process.env.SERVICE]);

const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 3000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', () => process.exit(1));
