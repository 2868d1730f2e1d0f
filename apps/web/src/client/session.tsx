import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { setCsrfToken, whenSessionExpires } from './api';
import type { Locale } from './i18n/locales';

export type Role = 'guardian' | 'student' | 'curator' | 'psychologist' | 'nurse' | 'doctor' | 'auditor' | 'school_admin' | 'welfare_admin' | 'sis';
export const PROFESSIONS: readonly Role[] = ['curator', 'psychologist', 'nurse', 'doctor'];

/** The signed-in user, as the web server's session knows them (GET /auth/session). */
export interface User {
  readonly subject: string;
  readonly role: Role;
  readonly org?: string;
  readonly provider: string;
  readonly expiresAt: string;
  readonly csrfToken: string;
}

type SessionState = { readonly status: 'loading' } | { readonly status: 'signed-out'; readonly expired: boolean } | { readonly status: 'signed-in'; readonly user: User };

interface Session {
  readonly state: SessionState;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/**
 * Where sign-in starts: the web server redirects to the provider and back to returnTo. The locale
 * travels on as OpenID Connect's ui_locales, so the provider's page speaks the language chosen here.
 */
export function signInUrl(provider: string, returnTo: string, locale: Locale): string {
  return `/auth/login?${new URLSearchParams({ provider, returnTo, locale })}`;
}

export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    fetch('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (response) => (response.ok ? ((await response.json()) as User) : undefined))
      .catch(() => undefined)
      .then((user) => {
        if (!live) return;
        setCsrfToken(user?.csrfToken);
        setState(user ? { status: 'signed-in', user } : { status: 'signed-out', expired: false });
      });
    // An API call that finds the session gone shows the sign-in page in place; the page keeps its
    // address, and forms keep their drafts (useDraft), so signing in again returns to the same form.
    whenSessionExpires(() => {
      setCsrfToken(undefined);
      setState({ status: 'signed-out', expired: true });
    });
    return () => {
      live = false;
    };
  }, []);

  const signOut = useCallback(async () => {
    const csrf = state.status === 'signed-in' ? state.user.csrfToken : '';
    await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } }).catch(() => undefined);
    setCsrfToken(undefined);
    clearDrafts();
    setState({ status: 'signed-out', expired: false });
    window.history.pushState(null, '', '/');
  }, [state]);

  const session = useMemo(() => ({ state, signOut }), [state, signOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; pages are only rendered for one. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a signed-in user');
  return state.user;
}

const DRAFT_PREFIX = 'silta.draft.';

/**
 * A form's values, kept in this tab's sessionStorage as they are typed, so a session that ends
 * mid-form loses nothing: after signing in again the same form shows the same values. A form
 * clears its draft when it has been sent.
 */
export function useDraft<T>(key: string, initial: T): [T, (next: T | ((previous: T) => T)) => void, () => void] {
  const storageKey = DRAFT_PREFIX + key;
  const initialValue = useRef(initial);
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = window.sessionStorage.getItem(storageKey);
      return stored ? { ...initial, ...(JSON.parse(stored) as T) } : initial;
    } catch {
      return initial;
    }
  });
  const update = useCallback(
    (next: T | ((previous: T) => T)) => {
      setValue((previous) => {
        const computed = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
        try {
          window.sessionStorage.setItem(storageKey, JSON.stringify(computed));
        } catch {
          // Storage switched off: the draft lives only in memory.
        }
        return computed;
      });
    },
    [storageKey],
  );
  const clear = useCallback(() => {
    try {
      window.sessionStorage.removeItem(storageKey);
    } catch {
      // nothing stored
    }
    setValue(initialValue.current);
  }, [storageKey]);
  return [value, update, clear];
}

function clearDrafts(): void {
  try {
    for (const key of Object.keys(window.sessionStorage)) if (key.startsWith(DRAFT_PREFIX)) window.sessionStorage.removeItem(key);
  } catch {
    // nothing stored
  }
}
