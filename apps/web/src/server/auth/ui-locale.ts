/** The languages the web app speaks; the one the person chose is passed on to the provider's page. */
const UI_LOCALES = ['fi', 'sv', 'en'] as const;

/**
 * The `ui_locales` (OpenID Connect Core 3.1.2.1) of an authorization request, from /auth/login's
 * `locale`: only one of the app's own languages, so nothing else the browser sends reaches the
 * provider; anything else is left out and the provider picks its default.
 */
export function uiLocalesOf(locale: unknown): { ui_locales: string } | Record<string, never> {
  return typeof locale === 'string' && (UI_LOCALES as readonly string[]).includes(locale) ? { ui_locales: locale } : {};
}
