import { randomBytes } from 'node:crypto';
import { loadWebConfig, WebConfigError } from './config';

const key = randomBytes(32).toString('base64url');
const providers = JSON.stringify([{ name: 'citizen', issuer: 'http://127.0.0.1:3012', clientId: 'silta-web', roles: ['guardian'] }]);
const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    loadWebConfig(env);
    return [];
  } catch (error) {
    if (error instanceof WebConfigError) return error.problems;
    throw error;
  }
};

describe('the web app configuration', () => {
  it('needs only a session key and the providers; the parties offered are those given', () => {
    const config = loadWebConfig({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_API_CONSENT: 'http://127.0.0.1:3002/' });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000', redirectUri: 'http://127.0.0.1:3000/auth/callback', apis: { consent: 'http://127.0.0.1:3002' }, publicDir: 'dist/web/public' });
    expect(config.providers).toEqual([{ name: 'citizen', issuer: 'http://127.0.0.1:3012', clientId: 'silta-web', roles: ['guardian'] }]);
  });

  it('names each variable that is missing or wrong', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^WEB_SESSION_KEY: /), expect.stringMatching(/^WEB_OIDC_PROVIDERS: /)]);
    expect(problemsOf({ WEB_SESSION_KEY: randomBytes(16).toString('base64url'), WEB_OIDC_PROVIDERS: providers })).toEqual([expect.stringContaining('WEB_SESSION_KEY: 32 random bytes')]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: '[{"name":' })).toEqual([expect.stringContaining('WEB_OIDC_PROVIDERS: must be JSON')]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: '[]' })).toEqual([expect.stringMatching(/^WEB_OIDC_PROVIDERS: /)]);
    const twice = JSON.stringify([...JSON.parse(providers), ...JSON.parse(providers)]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: twice })).toEqual(['WEB_OIDC_PROVIDERS: provider names must be unique']);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_API_ROSTER: 'ftp://roster' })).toEqual([expect.stringMatching(/^WEB_API_ROSTER: /)]);
  });

  it('allows plain http only on loopback, for the public URL and for issuers: browsers drop Secure cookies elsewhere', () => {
    const remote = JSON.stringify([{ name: 'citizen', issuer: 'http://idp.example', clientId: 'silta-web' }]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: remote })).toEqual([expect.stringContaining('issuer must be https')]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_PUBLIC_URL: 'http://silta.example' })).toEqual([expect.stringContaining('WEB_PUBLIC_URL must be https')]);
    expect(problemsOf({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_PUBLIC_URL: 'https://silta.example/app' })).toEqual([expect.stringContaining('an origin without a path')]);
    expect(loadWebConfig({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_PUBLIC_URL: 'https://silta.example/' }).redirectUri).toBe('https://silta.example/auth/callback');
    expect(loadWebConfig({ WEB_SESSION_KEY: key, WEB_OIDC_PROVIDERS: providers, WEB_PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe('http://localhost:3000');
  });
});
