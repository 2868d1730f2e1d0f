import { LANGUAGES, explainReason, legalSourceOf } from '@silta/decision';
import { categoryOutcomes } from './outcome-view';

describe('the per-category outcomes the API shows', () => {
  const decision = {
    categories: [
      { category: 'identification', outcome: 'permit', reason: 'identification_data' },
      { category: 'support_needs', outcome: 'permit', reason: 'necessary_for_case' },
      { category: 'grades', outcome: 'deny', reason: 'no_consent' },
    ],
  } as const;

  it.each(LANGUAGES.map((lang) => [lang]))('gives each reason its message and legal source in %s', (lang) => {
    expect(categoryOutcomes(decision, 'necessity', lang, 'curator')).toEqual(
      decision.categories.map((c) => ({ ...c, basis: 'necessity', message: explainReason(c.reason, lang), source: legalSourceOf(c.reason, lang, 'curator') })),
    );
  });

  it("cites the requester's profession's source: 812/2000 20 § for a curator's necessity, the policy for a nurse's", () => {
    const [, curators] = categoryOutcomes(decision, 'necessity', 'fi', 'curator');
    const [, nurses] = categoryOutcomes(decision, 'necessity', 'fi', 'nurse');
    expect(curators!.source).toContain('812/2000 20 §');
    expect(nurses!.source).toMatch(/^Kunnan luovutuslinjaus/);
  });

  it('keeps the consents a consent permit relied on', () => {
    const consents = [{ consentId: 'c-1', version: 2 }];
    const [shown] = categoryOutcomes({ categories: [{ category: 'grades', outcome: 'permit', reason: 'consent_given', consents }] }, 'consent', 'en', 'curator');
    expect(shown).toMatchObject({ consents, source: legalSourceOf('consent_given', 'en', 'curator') });
  });
});
