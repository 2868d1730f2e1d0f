// The three languages of Finnish public services. The user's choice is remembered in this
// browser (localStorage); before any choice, the browser's own preference picks one, else Finnish.
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'silta.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function initialLocale(): Locale {
  const remembered = safeStorage()?.getItem(STORAGE_KEY);
  if (isLocale(remembered)) return remembered;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const language = tag.slice(0, 2).toLowerCase();
    if (isLocale(language)) return language;
  }
  return 'fi';
}

export function rememberLocale(locale: Locale): void {
  safeStorage()?.setItem(STORAGE_KEY, locale);
}

/** Storage can be switched off by the user; the app still works, it only forgets. */
function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
