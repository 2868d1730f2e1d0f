import { Inject, Injectable } from '@nestjs/common';
import { InternalTokenSource, ProblemError, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import type { Category } from '../domain/decision';

/** Fetches education records from roster's internal endpoint, only for permitted categories. */
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
    const token = await this.tokens.token();
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new ProblemError(502, 'roster_unavailable', `roster could not be reached: ${(error as Error).message}`);
    }
    if (!response.ok) throw new ProblemError(502, 'roster_unavailable', `roster answered ${response.status}`);
    const body = (await response.json()) as Record<string, unknown>;
    // Keep only what was permitted, whatever roster sent.
    return Object.fromEntries(categories.filter((c) => c in body).map((c) => [c, body[c]]));
  }

  /**
   * The student's birth date (YYYY-MM-DD) from roster's identification data, or undefined when
   * roster holds none in that form. Read, never released: it decides whether guardianship has
   * ended (361/1983 3 §). A roster that cannot answer is a 502: nothing is decided without it.
   */
  async birthDate(studentId: string): Promise<string | undefined> {
    const { identification } = await this.records(studentId, ['identification']);
    const birthDate = (identification as { birthDate?: unknown } | undefined)?.birthDate;
    return typeof birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : undefined;
  }
}
