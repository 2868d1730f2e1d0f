import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useTerms } from './components/format';
import { useLocale } from './i18n/locale-provider';
import { LOCALES, type Locale } from './i18n/locales';
import { Link } from './router';
import { routesFor } from './routes';
import { useSession } from './session';

/** The frame of every page: skip link, header with language and sign-out, the role's menu, main. */
export function Layout({ children }: { children: ReactNode }) {
  const { state, signOut } = useSession();
  const term = useTerms();
  const intl = useIntl();
  const user = state.status === 'signed-in' ? state.user : undefined;
  const menu = user ? routesFor(user.role).filter((route) => route.nav && !route.path.includes(':')) : [];
  return (
    <>
      <a className="skip-link" href="#main">
        <FormattedMessage id="common.skipToContent" />
      </a>
      <header className="site-header">
        <div className="brand">
          <Link to="/" className="brand-name">
            <FormattedMessage id="common.appName" />
          </Link>
          <span className="tagline">
            <FormattedMessage id="common.tagline" />
          </span>
        </div>
        <div className="header-tools">
          <LanguageSwitch />
          {user && (
            <div className="user">
              <span>
                <FormattedMessage id="common.signedInAs" values={{ subject: user.subject, role: term('role', user.role) }} />
              </span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                <FormattedMessage id="common.signOut" />
              </button>
            </div>
          )}
        </div>
      </header>
      {menu.length > 0 && (
        <nav className="site-nav" aria-label={intl.formatMessage({ id: 'common.nav.label' })}>
          <ul>
            {menu.map((route) => (
              <li key={route.path}>
                <Link to={route.path}>
                  <FormattedMessage id={route.nav!} />
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** The language as three buttons, each named in its own language; the current one is pressed. */
function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const intl = useIntl();
  return (
    <div className="language-switch" role="group" aria-label={intl.formatMessage({ id: 'common.language' })}>
      {LOCALES.map((option: Locale) => (
        <button key={option} type="button" lang={option} aria-pressed={option === locale} className={option === locale ? 'current' : ''} onClick={() => setLocale(option)}>
          <span aria-hidden="true">{option.toUpperCase()}</span>
          <span className="visually-hidden">{intl.formatMessage({ id: `common.language.${option}` })}</span>
        </button>
      ))}
    </div>
  );
}
