import { DEFAULT_LANGUAGE } from '@silta/decision';
import { preferredLanguage, type LanguageNegotiator } from './preferred-language';

// Express ships no types here; its request prototype is what every Nest HTTP request inherits from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const expressRequest = (require('express') as { request: object }).request;

/** A request as Express builds it, carrying only the header under test. */
function requestWith(acceptLanguage: string | undefined): LanguageNegotiator {
  const headers = acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
  return Object.assign(Object.create(expressRequest) as LanguageNegotiator, { headers });
}

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
    // An out-of-range weight is not RFC 9110's; Express reads it as a weight, so it still ranks first.
    ['fi;q=2, sv;q=0.5', 'fi'],
    ['fi;q=abc, sv;q=0.5', 'sv'],
    ['nonsense;;;', DEFAULT_LANGUAGE],
  ] as const)('%j gives %s', (header, lang) => {
    expect(preferredLanguage(requestWith(header))).toBe(lang);
  });
});
