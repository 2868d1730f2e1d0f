import { DENY_REASONS, PERMIT_REASONS, REASON_CODES } from './decision';
import { DEFAULT_LANGUAGE, LANGUAGES, explainReason, pickLanguage } from './reasons';

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

describe('choosing the language from Accept-Language', () => {
  it.each([
    [undefined, DEFAULT_LANGUAGE],
    ['', DEFAULT_LANGUAGE],
    ['fi', 'fi'],
    ['sv-FI', 'sv'],
    ['FI-fi', 'fi'],
    ['en-GB,en;q=0.9', 'en'],
    ['de-DE,de;q=0.9', DEFAULT_LANGUAGE],
    ['de-DE,sv;q=0.5,fi;q=0.7', 'fi'],
    ['sv;q=0.8, fi;q=0.8', 'sv'],
    ['fi;q=0.2, sv', 'sv'],
    ['fi, sv;q=1.0', 'fi'],
    ['en;q=0, fi;q=0.1', 'fi'],
    ['en;q=0, *', 'fi'],
    ['*', 'en'],
    ['de, *;q=0.5', 'en'],
    ['fi;q=0, fi-FI', 'en'],
    ['fi;q=2, sv;q=0.5', 'sv'],
    ['fi;q=abc, sv;q=0.5', 'sv'],
    ['nonsense;;;', DEFAULT_LANGUAGE],
  ] as const)('%j gives %s', (header, lang) => {
    expect(pickLanguage(header)).toBe(lang);
  });
});
