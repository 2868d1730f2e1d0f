import { EventEmitter } from 'node:events';
import { httpMetrics } from './http-metrics.middleware';
import { ServiceMetrics } from './metrics';

describe("an app's metrics", () => {
  it('labels every series with the service, and a part that cannot be read leaves its gauge empty without failing the scrape', async () => {
    const metrics = new ServiceMetrics('disclosure');
    metrics.gauge({ name: 'silta_test_ok', help: 'reads' }, (gauge) => gauge.set(7));
    metrics.gauge({ name: 'silta_test_down', help: 'its part is down' }, async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    metrics.counterOf({ name: 'silta_test_applied_total', help: 'kept elsewhere', labelNames: ['group'] }, async () => [[{ group: 'disclosure-view' }, 42]]);
    const text = await metrics.text();
    expect(sample(text, 'silta_test_ok')).toEqual({ labels: { service: 'disclosure' }, value: '7' });
    expect(sample(text, 'silta_test_applied_total')).toEqual({ labels: { group: 'disclosure-view', service: 'disclosure' }, value: '42' });
    // Not a false 0: NaN (prom-client writes `Nan`, which Prometheus's parser reads as NaN).
    expect(Number.isNaN(Number(sample(text, 'silta_test_down')?.value))).toBe(true);
    // The failure is counted (and shows from the next scrape: the counter is written before the gauges are read).
    const second = await metrics.text();
    expect(sample(second, 'silta_metrics_collect_errors_total')).toEqual({ labels: { metric: 'silta_test_down', service: 'disclosure' }, value: '1' });
    // A second scrape reads again: the counter shows the total its part keeps, it is not added to.
    expect(sample(second, 'silta_test_applied_total')?.value).toBe('42');
  });

  it('records requests by route template, never the URL, and folds odd methods and unmatched paths into fixed values', async () => {
    const metrics = new ServiceMetrics('consent');
    const record = httpMetrics(metrics);
    const request = (method: string, route?: string) => {
      const response = Object.assign(new EventEmitter(), { statusCode: 200 });
      record({ method, ...(route ? { route: { path: route } } : {}) }, response, () => undefined);
      response.emit('finish');
      response.emit('close'); // recorded once
    };
    request('POST', '/v1/consents/:consentId/withdraw');
    request('BREW', undefined);
    const counts = samples(await metrics.text(), 'silta_http_request_duration_seconds_count');
    expect(counts).toEqual([
      { labels: { service: 'consent', method: 'POST', route: '/v1/consents/:consentId/withdraw', status: '200' }, value: '1' },
      { labels: { service: 'consent', method: 'other', route: 'unmatched', status: '200' }, value: '1' },
    ]);
  });
});

/** The samples of `name` in Prometheus text, each with its labels. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: string }> {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const [, labels, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(line)!;
      return { labels: Object.fromEntries([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!])), value: value! };
    });
}

function sample(text: string, name: string) {
  return samples(text, name)[0];
}
