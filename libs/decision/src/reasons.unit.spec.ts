import { DENY_REASONS, PERMIT_REASONS, PROFESSIONS, REASON_CODES } from './decision';
import { LANGUAGES, RIGHT_OF_ACCESS, explainReason, legalSourceFor, legalSourceOf } from './reasons';

describe('explanations of reason codes', () => {
  it.each(REASON_CODES.map((code) => [code]))('%s has a message in Finnish, Swedish and English', (code) => {
    const messages = LANGUAGES.map((lang) => explainReason(code, lang));
    for (const message of messages) expect(message.trim().length).toBeGreaterThan(20);
    expect(new Set(messages).size).toBe(LANGUAGES.length);
  });

  it('tells a permit from a denial in every language', () => {
    const opening = { fi: [/^Sallittu/, /^Evätty/], sv: [/^Tillåtet/, /^Nekat/], en: [/^Permitted/, /^Denied/] } as const;
    for (const lang of LANGUAGES) {
      for (const code of PERMIT_REASONS) expect(explainReason(code, lang)).toMatch(opening[lang][0]);
      for (const code of DENY_REASONS) expect(explainReason(code, lang)).toMatch(opening[lang][1]);
    }
  });

  it('gives each code its own message', () => {
    for (const lang of LANGUAGES) expect(new Set(REASON_CODES.map((code) => explainReason(code, lang))).size).toBe(REASON_CODES.length);
  });
});

describe('the legal source of each reason code', () => {
  const professions = [undefined, ...PROFESSIONS];

  it.each(REASON_CODES.map((code) => [code]))('%s names its source in Finnish, Swedish and English, for every profession', (code) => {
    for (const profession of professions) {
      const sources = LANGUAGES.map((lang) => legalSourceOf(code, lang, profession));
      for (const source of sources) expect(source.trim().length).toBeGreaterThan(10);
      expect(new Set(sources).size).toBe(LANGUAGES.length);
    }
  });

  it('cites a statute section for law, OPH for guidance, and says so when it is only the policy or Silta', () => {
    const marks = {
      law: { fi: /\d+\/\d{4} \d+ §/, sv: /\d+\/\d{4} \d+ §/, en: /\d+\/\d{4}, section \d+/ },
      guidance: { fi: /^Opetushallitus/, sv: /^Utbildningsstyrelsen/, en: /^Finnish National Agency for Education/ },
      policy: { fi: /^Kunnan luovutuslinjaus/, sv: /^Kommunens riktlinje/, en: /^The municipality's disclosure policy/ },
      silta: { fi: /^Silta:/, sv: /^Silta:/, en: /^Silta:/ },
    } as const;
    for (const code of REASON_CODES) {
      for (const profession of professions) {
        const source = legalSourceFor(code, profession);
        for (const lang of LANGUAGES) expect({ code, profession, lang, text: source.text[lang] }).toEqual({ code, profession, lang, text: expect.stringMatching(marks[source.kind][lang]) });
      }
    }
  });

  it("gives the curator's necessity its statute, and another profession's necessity only the policy", () => {
    expect(legalSourceOf('necessary_for_case', 'fi', 'curator')).toContain('812/2000 20 §');
    expect(legalSourceFor('necessary_for_case', 'curator').kind).toBe('law');
    for (const profession of ['nurse', 'doctor', 'psychologist']) expect(legalSourceFor('necessary_for_case', profession).kind).toBe('policy');
  });

  it("never names another profession's guidance: a nurse's sources do not mention curators", () => {
    for (const code of REASON_CODES) {
      for (const profession of ['nurse', 'doctor', 'psychologist']) expect(legalSourceOf(code, 'en', profession)).not.toMatch(/curator/i);
    }
  });

  it('does not invent a statute for an emergency, the policy or fail-closed denials', () => {
    for (const code of ['emergency', 'not_in_emergency_set', 'view_incomplete', 'basis_not_supported', 'justification_too_short', 'other_municipality'] as const) {
      expect(['policy', 'silta']).toContain(legalSourceFor(code).kind);
    }
  });

  it("cites GDPR art. 15(1)(c) for the data subject's right to the report", () => {
    expect(RIGHT_OF_ACCESS.text.en).toContain('Article 15(1)(c)');
    expect(RIGHT_OF_ACCESS.text.fi).toContain('15 artiklan 1 kohdan c alakohta');
    expect(RIGHT_OF_ACCESS.text.sv).toContain('artikel 15.1 c');
  });
});
