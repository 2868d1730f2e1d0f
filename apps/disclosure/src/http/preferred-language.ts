import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '@silta/decision';

/** The part of Express's request that negotiates languages (the `accepts` package Express uses). */
export interface LanguageNegotiator {
  acceptsLanguages(...languages: string[]): string | false;
}

/**
 * Ours in the order a wildcard picks them: `*` (and a missing header) stands for the default first,
 * then the others in turn, so `en;q=0, *` gives Finnish.
 */
const OFFERED: readonly Language[] = [DEFAULT_LANGUAGE, ...LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE)];

/**
 * The best of our languages for the request's Accept-Language, as Express negotiates it: the
 * highest q-value wins, ties go to the earlier entry, q=0 rules a language out, a region (`sv-FI`)
 * matches its language. `DEFAULT_LANGUAGE` when nothing matches.
 */
export function preferredLanguage(request: LanguageNegotiator): Language {
  return (request.acceptsLanguages(...OFFERED) || DEFAULT_LANGUAGE) as Language;
}

/** The request's preferred language (see preferredLanguage) as a controller parameter. */
export const PreferredLanguage = createParamDecorator((_: unknown, context: ExecutionContext): Language =>
  preferredLanguage(context.switchToHttp().getRequest<LanguageNegotiator>()),
);
