import type { ServiceConfig } from '../config';
import { MetricsController } from './metrics.controller';
import { ServiceMetrics } from './metrics';

/** What the controller wrote: status, content type and body. */
async function scrape(token: string | undefined, authorization: string | undefined) {
  const sent: { status?: number; type?: string; body?: string } = {};
  const response = { status: (status: number) => ({ type: (type: string) => ({ send: (body: string) => Object.assign(sent, { status, type, body }) }) }) };
  const controller = new MetricsController(new ServiceMetrics('roster'), { METRICS_TOKEN: token } as ServiceConfig);
  await controller.scrape(authorization, response);
  return sent;
}

describe('GET /metrics', () => {
  it('answers anyone when METRICS_TOKEN is unset', async () => {
    const answer = await scrape(undefined, undefined);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('text/plain');
    expect(answer.body).toContain('# TYPE silta_http_request_duration_seconds histogram');
  });

  it('with METRICS_TOKEN, answers only that bearer token and refuses anything else with a 401 problem', async () => {
    expect((await scrape('s3cret-scrape-token', 'Bearer s3cret-scrape-token')).status).toBe(200);
    for (const authorization of [undefined, '', 'Bearer', 'Bearer wrong', 'Bearer s3cret-scrape-token ', 'Basic s3cret-scrape-token', 'Bearer s3cret-scrape-tokeN', 'Bearer \ud800']) {
      const answer = await scrape('s3cret-scrape-token', authorization);
      expect({ authorization, status: answer.status, type: answer.type, code: JSON.parse(answer.body!).code }).toEqual({
        authorization,
        status: 401,
        type: 'application/problem+json',
        code: 'metrics_token_required',
      });
      expect(answer.body).not.toContain('silta_');
    }
  });
});
