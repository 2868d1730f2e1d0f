// The load generator: autocannon, in this process, with one fixed setting per benchmark so a
// workload and its baseline see exactly the same client.
import autocannon from 'autocannon';

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadRun {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Responses autocannon counted (2xx + non-2xx). */
  readonly responses: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
}

export interface LoadTarget {
  readonly url: string;
  readonly token?: string;
  /** A fresh JSON body per request (unique request ids). */
  body(): unknown;
  /** Sees every response's status and body (the body is only read when this is given). */
  onResponse?(status: number, body: string): void;
}

/** Drives POST `url` for the set duration and returns throughput and latency percentiles. */
export async function drive(target: LoadTarget, settings: LoadSettings): Promise<LoadRun> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  const result = await autocannon({
    url: target.url,
    connections: settings.connections,
    duration: settings.durationSeconds,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request) => ({ ...request, body: JSON.stringify(target.body()) }),
        ...(target.onResponse ? { onResponse: (status: number, body: string) => target.onResponse!(status, body) } : {}),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.total / (result.duration || settings.durationSeconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    responses: result['2xx'] + result.non2xx,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
