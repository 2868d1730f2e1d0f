import { Inject, Injectable } from '@nestjs/common';
import { StudentStanding } from '@silta/contracts';
import { InternalTokenSource, ProblemError, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import type { Category } from '../domain/decision';

/** Reads from roster's internal endpoints: education records (only permitted categories) and the student's standing. */
@Injectable()
export class RosterClient {
  /** One service token reused for half its minute (fetch keeps the connection to roster alive). */
  private readonly tokens: InternalTokenSource;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    this.tokens = new InternalTokenSource(config.INTERNAL_TOKEN_SECRET!, 'disclosure');
  }

  async records(studentId: string, categories: readonly Category[]): Promise<Record<string, unknown>> {
    if (categories.length === 0) return {};
    const url = new URL(`/internal/v1/students/${encodeURIComponent(studentId)}/records`, this.config.ROSTER_URL);
    url.searchParams.set('categories', categories.join(','));
    const body = (await this.get(url)) as Record<string, unknown>;
    // Keep only what was permitted, whatever roster sent.
    return Object.fromEntries(categories.filter((c) => c in body).map((c) => [c, body[c]]));
  }

  /**
   * The student's birth date and form of education, read, never released: from the 18th birthday
   * guardianship has ended (361/1983 3 §), and the form of education says whether the
   * student-welfare act 1287/2013 covers the student. A roster that cannot answer, or answers
   * something else, is a 502: nothing is decided without it.
   */
  async standing(studentId: string): Promise<StudentStanding> {
    const url = new URL(`/internal/v1/students/${encodeURIComponent(studentId)}/standing`, this.config.ROSTER_URL);
    const parsed = StudentStanding.safeParse(await this.get(url));
    if (!parsed.success) throw new ProblemError(502, 'roster_unavailable', "roster's answer about the student's standing is malformed");
    return parsed.data;
  }

  /** The JSON roster answers to disclosure's service token; 502 roster_unavailable when it cannot. */
  private async get(url: URL): Promise<unknown> {
    const token = await this.tokens.token();
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new ProblemError(502, 'roster_unavailable', `roster could not be reached: ${(error as Error).message}`);
    }
    if (!response.ok) throw new ProblemError(502, 'roster_unavailable', `roster answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new ProblemError(502, 'roster_unavailable', 'roster answered something other than JSON');
    }
  }
}
