import { Inject, Injectable } from '@nestjs/common';
import { RosterInternalClient, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import type { Category } from '@silta/decision';

/**
 * Reads from roster's internal endpoints with disclosure's service token: education records (only
 * permitted categories, and only disclosure may) and the student's standing (shared with consent).
 */
@Injectable()
export class RosterClient extends RosterInternalClient {
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    super(config, 'disclosure');
  }

  async records(studentId: string, categories: readonly Category[]): Promise<Record<string, unknown>> {
    if (categories.length === 0) return {};
    const url = new URL(`/internal/v1/students/${encodeURIComponent(studentId)}/records`, this.config.ROSTER_URL);
    url.searchParams.set('categories', categories.join(','));
    const body = (await this.get(url)) as Record<string, unknown>;
    // Keep only what was permitted, whatever roster sent.
    return Object.fromEntries(categories.filter((c) => c in body).map((c) => [c, body[c]]));
  }
}
