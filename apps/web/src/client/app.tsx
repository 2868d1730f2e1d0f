import { Layout } from './layout';
import { LocaleProvider } from './i18n/locale-provider';
import { HomePage, NotFoundPage } from './pages/home';
import { SignInPage } from './pages/sign-in';
import { LocationProvider, useLocation, useMatch } from './router';
import { routesFor } from './routes';
import { Loading } from './components/status';
import { SessionProvider, useSession, useUser } from './session';
import type { PageRoute } from './page-route';

export function App() {
  return (
    <LocaleProvider>
      <LocationProvider>
        <SessionProvider>
          <Layout>
            <Page />
          </Layout>
        </SessionProvider>
      </LocationProvider>
    </LocaleProvider>
  );
}

function Page() {
  const { state } = useSession();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-out') return <SignInPage expired={state.expired} />;
  return <SignedInPage />;
}

const pathOf = (route: PageRoute) => route.path;

function SignedInPage() {
  const user = useUser();
  const { pathname } = useLocation();
  const match = useMatch(routesFor(user.role), pathOf);
  if (pathname === '/') return <HomePage />;
  if (!match) return <NotFoundPage />;
  // Keyed by path so a page's state starts afresh when its parameters change.
  return <div key={pathname}>{match.route.render(match.params)}</div>;
}
