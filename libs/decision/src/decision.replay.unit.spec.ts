import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '@silta/transparency';
import { upcastDisclosureDecided, type StoredDisclosureDecided } from './audit-events';
import { decide } from './decision';

/*
 * Recorded decisions keep replaying exactly (issue 12): the fixture holds DisclosureDecided events
 * as the code before issue 12 recorded them, under the then default policy (version 2026.1: nurses
 * and doctors on necessity, absences and support needs on emergency). Each event carries its
 * policy, so replay re-decides under that policy, not today's default; this is what
 * `silta-audit replay` does (upcast, decide, compare canonical JSON).
 */
const events = JSON.parse(readFileSync(join(__dirname, 'fixtures/decisions-under-default-2026.1.json'), 'utf8')) as StoredDisclosureDecided[];

describe('replaying decisions recorded under the 2026.1 default policy', () => {
  it('covers what the old defaults permitted and today’s do not', () => {
    const permits = new Set(
      events.flatMap((e) => e.decision.categories.filter((c) => c.outcome === 'permit').map((c) => `${e.input.request.basis}/${e.input.requester.role}/${c.category}`)),
    );
    for (const old of ['necessity/nurse/absences', 'necessity/doctor/support_needs', 'necessity/psychologist/learning_progress', 'emergency/nurse/absences', 'emergency/doctor/support_needs']) {
      expect(permits).toContain(old);
    }
    expect(new Set(events.map((e) => e.input.policy.version))).toEqual(new Set(['2026.1']));
  });

  it.each(events.map((e) => [e.disclosureId, e] as const))('%s replays the same', (_id, stored) => {
    const decided = upcastDisclosureDecided(stored);
    expect(canonicalJson(decide(decided.input))).toBe(canonicalJson(decided.decision));
  });
});
