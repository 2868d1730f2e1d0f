import { Refusal, StudentStanding } from '@silta/contracts';
import type { ServiceConfig, ServiceName } from './config';
import { InternalTokenSource } from './auth/internal-token';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, traceHeaders } from '@silta/messaging';
import { tracer, tracingEnabled } from './observability/tracing';

/**
 * A service's reader of roster's internal endpoints, with its own service token (disclosure's or
 * consent's; roster decides which endpoints each may read). Every failure is a 502
 * `roster_unavailable`: nothing is decided on a guessed answer (fail closed).
 */
export class RosterInternalClient {
  /** One service token reused for half its minute (fetch keeps the connection to roster alive). */
  private readonly tokens: InternalTokenSource;

  constructor(
    protected readonly config: ServiceConfig,
    caller: ServiceName,
  ) {
    this.tokens = new InternalTokenSource(config.INTERNAL_TOKEN_SECRET!, caller);
  }

  /**
   * The student's birth date and form of education, read, never released: from the 18th birthday
   * guardianship has ended (361/1983 3 §), and the form of education says whether the
   * student-welfare act 1287/2013 covers the student. A roster that cannot answer, or answers
   * something else (a student it does not know included), is a 502.
   */
  async standing(studentId: string): Promise<StudentStanding> {
    const standing = await this.enrolledStanding(studentId);
    if (standing === undefined) throw new Refusal('upstream_failed', 'roster_unavailable', 'roster answered 404');
    return standing;
  }

  /**
   * As `standing`, but undefined for a student roster does not hold as enrolled (its 404
   * `student_not_found`), for a caller that refuses such a student on its own grounds.
   */
  async enrolledStanding(studentId: string): Promise<StudentStanding | undefined> {
    const url = new URL(`/internal/v1/students/${encodeURIComponent(studentId)}/standing`, this.config.ROSTER_URL);
    const body = await this.get(url, { notFound: 'student_not_found' });
    if (body === undefined) return undefined;
    const parsed = StudentStanding.safeParse(body);
    if (!parsed.success) throw new Refusal('upstream_failed', 'roster_unavailable', "roster's answer about the student's standing is malformed");
    return parsed.data;
  }

  /**
   * The JSON roster answers to the service token; 502 roster_unavailable when it cannot. With
   * `notFound`, a 404 carrying that problem code is undefined instead.
   */
  protected async get(url: URL, options: { readonly notFound?: string } = {}): Promise<unknown> {
    if (!tracingEnabled()) return this.fetchJson(url, options, {});
    // A client span, continued by roster's server span through traceparent; named without the URL (it holds a student id).
    const span = tracer().startSpan('roster GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'server.address': url.hostname } });
    return inSpan(span, () => this.fetchJson(url, options, traceHeaders(span)));
  }

  private async fetchJson(url: URL, options: { readonly notFound?: string }, traceHeaders: Record<string, string>): Promise<unknown> {
    const token = await this.tokens.token();
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...traceHeaders }, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new Refusal('upstream_failed', 'roster_unavailable', `roster could not be reached: ${(error as Error).message}`);
    }
    if (response.status === 404 && options.notFound !== undefined) {
      const problem = (await response.json().catch(() => undefined)) as { code?: unknown } | undefined;
      if (problem?.code === options.notFound) return undefined;
    }
    if (!response.ok) throw new Refusal('upstream_failed', 'roster_unavailable', `roster answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new Refusal('upstream_failed', 'roster_unavailable', 'roster answered something other than JSON');
    }
  }
}
