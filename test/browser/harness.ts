// The browser tests' harness: the whole stack for one test file (a Kafka broker of its own, the
// three local identity providers, roster, consent, disclosure and receipts on fresh PostgreSQL
// databases, the web server with a freshly built bundle, the synthetic demo loaded), Debian's
// Chromium through playwright-core, and what the specs do in it: sign in through the issuer's real
// sign-in page, switch language, find texts by the message catalogues, check accessibility with
// axe-core, and write screenshots into docs/screenshots/.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { createIntl, type IntlShape } from '@formatjs/intl';
import { chromium, type Browser, type Page } from 'playwright-core';
import { launchApp, recordTestLog } from '@silta/testing';
import { buildClient } from '../../apps/web/build';
import { loadDemo } from '../../scripts/demo';
import { generateIssuerKey, issuerSpec, issuerUrl, LOCAL_ISSUERS, publicJwkOf, requestLocalToken, trustFileFor, type IssuerName } from '../../scripts/local-issuers';
import { parseBrokerLines } from '../../scripts/parties';
import { freePort, startSilta, testSecrets, type RunningApp, type RunningSilta } from '../e2e/harness';

const root = join(__dirname, '..', '..');
const kafkaScript = join(root, 'deploy', 'kafka', 'kafka.sh');
const SCREENSHOTS = join(root, 'docs', 'screenshots');
const CATALOGUE_ROOT = join(root, 'apps', 'web', 'src', 'client');
/** The client id the web app has at each local issuer. */
const WEB_CLIENT_ID = 'silta-web';
/** Every screenshot the same size, so a changed page shows as a changed picture, not a resized one. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Who signs in: the issuer they sign in with, and what they tell its stand-in sign-in page. */
export interface Person {
  readonly provider: IssuerName;
  readonly subject: string;
  readonly role: string;
  readonly org?: string;
}

/** The demo's people (scripts/demo.ts), as they sign in. */
export const DEMO = {
  guardian: { provider: 'citizen', subject: 'guardian-demo-1', role: 'guardian' },
  curator: { provider: 'welfare-area', subject: 'curator-demo-1', role: 'curator', org: 'welfare-area:demo' },
  welfareAuditor: { provider: 'welfare-area', subject: 'auditor-demo-1', role: 'auditor', org: 'welfare-area:demo' },
  municipalityAuditor: { provider: 'municipality', subject: 'auditor-demo-2', role: 'auditor', org: 'municipality:demo' },
  schoolAdmin: { provider: 'municipality', subject: 'admin-demo-1', role: 'school_admin', org: 'municipality:demo' },
  welfareAdmin: { provider: 'welfare-area', subject: 'welfare-admin-demo-1', role: 'welfare_admin', org: 'welfare-area:demo' },
} as const satisfies Record<string, Person>;

export interface WebStack {
  /** The web app's origin, e.g. http://127.0.0.1:41234. */
  readonly webUrl: string;
  readonly silta: RunningSilta;
  readonly web: RunningApp;
  readonly browser: Browser;
  /** A new page in a fresh browser context (no cookies, no storage) whose browser prefers `locale`. */
  newPage(locale?: Locale): Promise<Page>;
  /** A token from a local issuer's extension grant, for a test's own API calls beside the browser. */
  tokenFor(person: Person): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Lifetime in seconds of the tokens the issuers' sign-in page hands out (LOCAL_ISSUER_TOKEN_TTL). */
  readonly tokenTtlSeconds?: number;
}

/** The stack of this test file: the helpers below find the web app through it. */
let current: WebStack | undefined;

/**
 * Starts everything one browser test file needs and loads the demo, then waits until consent and
 * disclosure have the demo's students in their views. The broker is this stack's own, fresh: the
 * demo's ids are fixed (the issuers assert only municipality:demo and welfare-area:demo), so on a
 * shared broker this stack's consumers would read every earlier run's consents for student-demo-1.
 */
export async function startWebStack(label: string, options: StackOptions = {}): Promise<WebStack> {
  const folder = mkdtempSync(join(tmpdir(), `silta-browser-${label}-`));
  const stoppers: Array<() => Promise<unknown> | unknown> = [() => rmSync(folder, { recursive: true, force: true })];
  const stopAll = async () => {
    // Each in turn, the last started first; one that fails (or throws) does not keep the rest running.
    for (const stop of stoppers.splice(0).reverse()) await Promise.resolve().then(stop).catch((error: Error) => recordTestLog(`[harness] stopping: ${error.message}\n`));
  };
  try {
    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const [broker, publicDir, issuers] = await Promise.all([
      startBroker(folder, stoppers),
      buildClient(join(folder, 'public')),
      startIssuers(folder, `${webUrl}/auth/callback`, options, stoppers),
    ]);
    Object.assign(process.env, broker); // the e2e harness gives each app its own principal on process.env's broker
    const secrets = testSecrets();
    delete (secrets as Partial<typeof secrets>).JWT_SECRET; // tokens come from the issuers, checked against the trust files
    const silta = await startSilta(
      `browser_${label}_${randomBytes(3).toString('hex')}`,
      secrets,
      { CONSISTENCY_WAIT_MS: '10000' },
      { receipts: true, municipality: 'demo', env: { TRUSTED_ISSUERS: issuers.trustFiles.municipality }, receiptsEnv: { TRUSTED_ISSUERS: issuers.trustFiles['welfare-area'] } },
    );
    stoppers.push(() => silta.stop());
    const tokenFor = (person: Person) => requestLocalToken(issuerSpec(person.provider)!, issuers.env, { sub: person.subject, role: person.role, org: person.org }, 600);
    await loadDemo({ rosterUrl: silta.apps.roster.url, env: issuers.env, log: (line) => recordTestLog(`[demo] ${line}\n`) });
    await demoVisible(silta, tokenFor);

    const web = await launchApp({
      name: 'web',
      argv: [process.execPath, '-r', '@swc-node/register', join(root, 'apps', 'web', 'src', 'main.ts')],
      env: {
        PATH: process.env.PATH,
        SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
        WEB_PORT: String(webPort),
        WEB_HOST: '127.0.0.1',
        WEB_PUBLIC_URL: webUrl,
        WEB_SESSION_KEY: randomBytes(32).toString('base64url'),
        WEB_OIDC_PROVIDERS: JSON.stringify(LOCAL_ISSUERS.map((spec) => ({ name: spec.name, issuer: issuerUrl(spec, issuers.env), clientId: WEB_CLIENT_ID, roles: spec.roles }))),
        WEB_API_ROSTER: silta.apps.roster.url,
        WEB_API_CONSENT: silta.apps.consent.url,
        WEB_API_DISCLOSURE: silta.apps.disclosure.url,
        WEB_API_RECEIPTS: silta.apps.receipts!.url,
        WEB_PUBLIC_DIR: publicDir,
      },
      url: webUrl,
      onOutput: (chunk) => recordTestLog(`[web] ${chunk.toString()}`),
    });
    stoppers.push(() => web.stop());


    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
    stoppers.push(() => browser.close());
    const stack: WebStack = {
      webUrl,
      silta,
      web,
      browser,
      tokenFor,
      newPage: async (locale = 'fi') => {
        const context = await browser.newContext({ baseURL: webUrl, viewport: VIEWPORT, locale: BROWSER_LOCALES[locale], timezoneId: 'Europe/Helsinki' });
        return context.newPage();
      },
      stop: async () => {
        current = undefined;
        await stopAll();
      },
    };
    current = stack;
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** What a browser in Finland sends for each language: the app picks its language from it until the user chooses. */
const BROWSER_LOCALES: Record<Locale, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

function stack(): WebStack {
  if (!current) throw new Error('no web stack: call startWebStack in beforeAll');
  return current;
}

/** A broker of the stack's own on free ports, with its data under the stack's folder; stopped with the stack. */
async function startBroker(folder: string, stoppers: Array<() => unknown>): Promise<Record<'KAFKA_BROKERS' | 'KAFKA_SSL_CA_FILE' | 'KAFKA_CREDENTIALS_DIR', string>> {
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: join(folder, 'kafka'),
    // As first-start's: a broker that lives a few minutes needs no more heap, and only the quick JIT.
    KAFKA_HEAP: '-Xms256m -Xmx512m',
    KAFKA_JVM_OPTS: '-XX:TieredStopAtLevel=1',
  };
  const kafka = (command: string) =>
    new Promise<string>((resolve, reject) =>
      execFile('bash', [kafkaScript, command], { env, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`kafka.sh ${command} failed:\n${stderr}`)) : resolve(stdout))),
    );
  stoppers.push(() => kafka('stop'));
  const broker = parseBrokerLines(await kafka('start'));
  if (!broker) throw new Error('kafka.sh start printed no KAFKA_BROKERS, KAFKA_SSL_CA_FILE and KAFKA_CREDENTIALS_DIR');
  return { KAFKA_BROKERS: broker.brokers, KAFKA_SSL_CA_FILE: broker.caFile, KAFKA_CREDENTIALS_DIR: broker.credentialsDir };
}

/**
 * The three local issuers as processes (scripts/local-issuer.ts), each with a fresh key, the web
 * app registered as their client, and the parties' trust files pinning their public keys.
 */
async function startIssuers(
  folder: string,
  redirectUri: string,
  options: StackOptions,
  stoppers: Array<() => unknown>,
): Promise<{ env: NodeJS.ProcessEnv; trustFiles: Record<'municipality' | 'welfare-area', string> }> {
  const env: NodeJS.ProcessEnv = {};
  for (const spec of LOCAL_ISSUERS) env[spec.portVariable] = String(await freePort());
  const keys = Object.fromEntries(LOCAL_ISSUERS.map((spec) => [spec.name, generateIssuerKey()]));
  await Promise.all(
    LOCAL_ISSUERS.map(async (spec) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'scripts', 'local-issuer.ts')], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
          LOCAL_ISSUER_NAME: spec.name,
          LOCAL_ISSUER_PORT: env[spec.portVariable],
          LOCAL_ISSUER_KEY: JSON.stringify(keys[spec.name]),
          LOCAL_ISSUER_CLIENTS: JSON.stringify({ [WEB_CLIENT_ID]: [redirectUri] }),
          ...(options.tokenTtlSeconds ? { LOCAL_ISSUER_TOKEN_TTL: String(options.tokenTtlSeconds) } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      stoppers.push(() => stopChild(child));
      for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => recordTestLog(`[${spec.name}-issuer] ${chunk.toString()}`));
      await answering(`${issuerUrl(spec, env)}/.well-known/openid-configuration`, child, `${spec.name} issuer`);
    }),
  );
  const pinned = Object.fromEntries(LOCAL_ISSUERS.map((spec) => [spec.name, publicJwkOf(keys[spec.name]!)]));
  const trustFiles = { municipality: join(folder, 'municipality.trust.json'), 'welfare-area': join(folder, 'welfare-area.trust.json') };
  for (const party of ['municipality', 'welfare-area'] as const) writeFileSync(trustFiles[party], JSON.stringify(trustFileFor(party, env, pinned)));
  return { env, trustFiles };
}

async function answering(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await fetch(url).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Until consent knows the guardian's student and disclosure the curator's: the roster's events have gone through the broker. */
async function demoVisible(silta: RunningSilta, tokenFor: (person: Person) => Promise<string>): Promise<void> {
  const checks: Array<[string, Person, (body: any) => boolean]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    [`${silta.apps.consent.url}/v1/me/students`, DEMO.guardian, (body) => body?.students?.some((s: { studentId: string }) => s.studentId === 'student-demo-1')],
    [`${silta.apps.disclosure.url}/v1/me/students`, DEMO.curator, (body) => body?.students?.some((s: { studentId: string }) => s.studentId === 'student-demo-1')],
  ];
  for (const [url, person, holds] of checks) {
    const token = await tokenFor(person);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = await fetch(url, { headers: { authorization: `Bearer ${token}` } }).then((r) => (r.ok ? r.json() : undefined), () => undefined);
      if (holds(body)) break;
      if (Date.now() > deadline) throw new Error(`the demo did not reach ${url}: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Signs `person` in: the web app's login for their provider, then the issuer's sign-in page; ends on `returnTo`. */
export async function signIn(page: Page, person: Person, returnTo = '/'): Promise<void> {
  await page.goto(`${stack().webUrl}/auth/login?${new URLSearchParams({ provider: person.provider, returnTo })}`);
  await fillIssuerSignIn(page, person);
}

/**
 * Fills and sends the local issuer's stand-in sign-in page the browser is on, and waits to be back in
 * the web app. The page speaks the app's language (ui_locales), so its fields are found by name, not label.
 */
export async function fillIssuerSignIn(page: Page, person: Person): Promise<void> {
  await page.locator('input[name="sub"]').fill(person.subject);
  await page.locator(`input[type="radio"][name="role"][value="${person.role}"]`).check();
  if (person.org) await page.locator('select[name="org"]').selectOption(person.org);
  await page.locator('button[name="action"][value="sign-in"]').click();
  await page.waitForURL((url) => url.origin === stack().webUrl);
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** The language the page shows (the document's lang attribute, which the app keeps in step). */
export async function pageLocale(page: Page): Promise<Locale> {
  const lang = (await page.locator('html').getAttribute('lang')) ?? '';
  if (!(LOCALES as readonly string[]).includes(lang)) throw new Error(`the page's language is ${JSON.stringify(lang)}`);
  return lang as Locale;
}

/** Chooses the language with the header's language switch, as a user does; the choice is remembered. */
export async function setLanguage(page: Page, locale: Locale): Promise<void> {
  await page.getByRole('group', { name: t(await pageLocale(page), 'common.language') }).locator(`button[lang="${locale}"]`).click();
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
}

const intls = new Map<Locale, IntlShape<string>>();

/** Every message of the web app in `locale`: the common catalogue and each area's (apps/web/src/client/**\/messages/<locale>.json). */
function catalogue(locale: Locale): Record<string, string> {
  const messages: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(dir, entry.name));
      else if (entry.name === `${locale}.json` && dir.endsWith('messages')) Object.assign(messages, JSON.parse(readFileSync(join(dir, entry.name), 'utf8')));
    }
  };
  visit(CATALOGUE_ROOT);
  return messages;
}

/**
 * A message as the app shows it in `locale`, formatted by formatjs as react-intl does, so a test
 * finds a control by the accessible name a user of that language meets. An unknown key throws:
 * a renamed message fails the test rather than matching nothing.
 */
export function t(locale: Locale, key: string, values?: Record<string, string | number | Date>): string {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl({ locale, messages: catalogue(locale), timeZone: 'Europe/Helsinki', onError: (error) => { throw error; } });
    intls.set(locale, intl);
  }
  if (!(key in intl.messages)) throw new Error(`no message ${key} in the ${locale} catalogues`);
  return intl.formatMessage({ id: key }, values) as string;
}

/** Stands for any text in tPattern. */
export const ANY = Symbol('any text');

/**
 * A message of `locale` as a pattern: the values given as ANY match any text, the others are
 * formatted as given. For checking a sentence the page builds from parts the test does not fix
 * (a date, a name), e.g. the guardian's log: "{when}: {professional} ... Nothing was released."
 */
export function tPattern(locale: Locale, key: string, values: Record<string, string | number | typeof ANY>): RegExp {
  const token = (name: string) => `\u0001${name}\u0001`;
  const formatted = t(locale, key, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value === ANY ? token(name) : value])));
  let source = escapeRegExp(formatted);
  for (const [name, value] of Object.entries(values)) if (value === ANY) source = source.split(token(name)).join('[\\s\\S]+?');
  return new RegExp(source);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name matched whole, whatever its case: labels capitalise the catalogue's terms ("absences" → "Absences"). */
export function whole(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`, 'i');
}

/** axe-core's checks for WCAG 2.0/2.1 A and AA; fails on any violation of impact serious or critical, listing each. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (grave.length > 0) {
    const list = grave.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((node) => `    at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`);
    throw new Error(`${name} (${page.url()}): ${grave.length} serious or critical accessibility violation(s):\n${list.join('\n')}`);
  }
}

/** A full-page screenshot at docs/screenshots/<name>.png, in the harness's fixed viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)}: lowercase letters, digits and "-" only`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

/** axe, then a screenshot: what every main page gets in each language. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshot(page, name);
}
