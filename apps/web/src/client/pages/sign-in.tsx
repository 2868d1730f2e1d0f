import { FormattedMessage } from 'react-intl';
import { useTerms } from '../components/format';
import { useLocale } from '../i18n/locale-provider';
import { LoadedView, Notice, PageTitle, useLoad } from '../components/status';
import { currentPath, signInUrl } from '../session';

interface Provider {
  readonly name: string;
  readonly roles: readonly string[];
}

/** Choose a sign-in service; the web server runs the OpenID Connect code flow and returns here. */
export function SignInPage({ expired }: { expired: boolean }) {
  const providers = useLoad(async (signal) => {
    const response = await fetch('/auth/providers', { signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return ((await response.json()) as { providers: Provider[] }).providers;
  }, []);
  const term = useTerms();
  const returnTo = currentPath();
  const { locale } = useLocale();
  return (
    <>
      <PageTitle>
        <FormattedMessage id="common.signIn.title" />
      </PageTitle>
      {expired && (
        <Notice kind="warning">
          <FormattedMessage id="common.signIn.expired" />
        </Notice>
      )}
      <p>
        <FormattedMessage id="common.signIn.intro" />
      </p>
      <LoadedView loaded={providers}>
        {(list) =>
          list.length === 0 ? (
            <p>
              <FormattedMessage id="common.signIn.none" />
            </p>
          ) : (
            <ul className="providers">
              {list.map((provider) => (
                <li key={provider.name}>
                  <a className="button primary" href={signInUrl(provider.name, returnTo, locale)}>
                    <FormattedMessage id={`common.signIn.provider.${provider.name}`} defaultMessage={provider.name} />
                  </a>
                  {provider.roles.length > 0 && (
                    <p className="hint">
                      <FormattedMessage id="common.signIn.providerRoles" values={{ roles: provider.roles.map((r) => term('role', r)).join(', ') }} />
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </LoadedView>
    </>
  );
}
