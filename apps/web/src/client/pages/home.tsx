import { useEffect } from 'react';
import { FormattedMessage } from 'react-intl';
import { useTerms } from '../components/format';
import { PageTitle } from '../components/status';
import { navigate } from '../router';
import { routesFor } from '../routes';
import { useUser } from '../session';

/** `/`: each role's first page, or a word that this role has none. */
export function HomePage() {
  const user = useUser();
  const term = useTerms();
  const first = routesFor(user.role).find((route) => route.nav && !route.path.includes(':'));
  useEffect(() => {
    if (first) navigate(first.path, { replace: true });
  }, [first]);
  if (first) return null;
  return (
    <>
      <PageTitle>
        <FormattedMessage id="common.home.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="common.home.noPages" values={{ role: term('role', user.role) }} />
      </p>
    </>
  );
}

export function NotFoundPage() {
  return (
    <>
      <PageTitle>
        <FormattedMessage id="common.notFound.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="common.notFound.body" />
      </p>
    </>
  );
}
