import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { OrganisationClaim } from '@silta/contracts';
import { ConfigError } from '../config';
import { CITIZEN_ROLES, ORGANISATION_KINDS_OF_ROLE, ROLES, orgOf, type OrganisationKind, type Role } from './principal';

/** The signature algorithms an identity provider's tokens may use: asymmetric only. */
export const ISSUER_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
export type IssuerAlgorithm = (typeof ISSUER_ALGORITHMS)[number];

/** How long fetched JWKS keys are used before they are fetched again, unless the trust file says otherwise. */
export const DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS = 600;
/** The least time between two JWKS fetches prompted by an unknown `kid`, unless the trust file says otherwise. */
export const DEFAULT_JWKS_COOLDOWN_SECONDS = 30;

/** Where an issuer's verification keys come from. */
export type IssuerKeys =
  | {
      readonly kind: 'jwks-uri';
      readonly jwksUri: URL;
      /** After this, the next token fetches the set again: a key the issuer removed then fails. */
      readonly cacheMaxAgeSeconds: number;
      /** A token with an unknown `kid` fetches the set again at most this often. */
      readonly cooldownSeconds: number;
    }
  | { readonly kind: 'static'; readonly keys: ReadonlyArray<Readonly<Record<string, unknown>>> };

/** One identity provider a party trusts, and what it may vouch for. */
export interface TrustedIssuer {
  /** A label for problems, logs and `Principal.issuer`. */
  readonly name: string;
  /** The exact `iss` of its tokens. */
  readonly issuer: string;
  /** The `aud` its tokens must carry. */
  readonly audience: string;
  readonly algorithms: readonly IssuerAlgorithm[];
  readonly keys: IssuerKeys;
  /** The roles it may assert. */
  readonly roles: readonly Role[];
  /** The organisations it may assert; empty for an issuer of guardians and students. */
  readonly organisations: readonly string[];
  readonly claims: {
    /** The claim holding the role: a string, or an array of strings. */
    readonly role: string;
    /** The claim holding the organisation. */
    readonly organisation: string;
    /** External role values and the Silta role each means; when absent, values are Silta role names. */
    readonly roleValues: ReadonlyMap<string, Role> | undefined;
  };
}

/** Registered JWT claims, which cannot hold a role or an organisation. */
const REGISTERED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];

/** JWK members that only a private or a symmetric key has: a trust file holds public keys only. */
const SECRET_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The members each key type needs; and for OKP, the one curve EdDSA tokens use here. */
const PUBLIC_JWK_MEMBERS: Record<string, readonly string[]> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const claimName = z
  .string()
  .min(1)
  .max(100)
  .refine((name) => !REGISTERED_CLAIMS.includes(name), 'a registered claim (iss, sub, aud, exp, nbf, iat, jti) cannot hold it');

const roleName = z.enum(ROLES, { error: (issue) => `"${String(issue.input)}" is not a Silta role (${ROLES.filter((r) => r !== 'service').join(', ')})` });

const publicJwk = z.looseObject({ kty: z.string() }).superRefine((jwk, ctx) => {
  if (jwk.kty === 'oct') {
    ctx.addIssue({ code: 'custom', path: ['kty'], message: 'a symmetric key (oct) is never trusted: whoever can verify with it can sign' });
    return;
  }
  const needed = PUBLIC_JWK_MEMBERS[jwk.kty];
  if (!needed) {
    ctx.addIssue({ code: 'custom', path: ['kty'], message: `"${jwk.kty}" is not a key type for EdDSA, ES256 or RS256 (RSA, EC or OKP)` });
    return;
  }
  for (const member of SECRET_JWK_MEMBERS) {
    if (member in jwk) ctx.addIssue({ code: 'custom', path: [member], message: 'a private key member: give the public key only' });
  }
  for (const member of needed) {
    if (typeof jwk[member] !== 'string') ctx.addIssue({ code: 'custom', path: [member], message: `a ${jwk.kty} public key needs "${member}"` });
  }
  if (jwk.kty === 'OKP' && jwk.crv !== 'Ed25519') ctx.addIssue({ code: 'custom', path: ['crv'], message: 'an OKP key here is an Ed25519 key (EdDSA)' });
  if (jwk.kty === 'EC' && jwk.crv !== 'P-256') ctx.addIssue({ code: 'custom', path: ['crv'], message: 'an EC key here is a P-256 key (ES256)' });
});

const jwksUri = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a URL' });
    return;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure) ctx.addIssue({ code: 'custom', message: 'an https URL (plain http only to a loopback address, for local runs)' });
  if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials' });
});

/** One entry of a trust file as written (strict: an unknown or misspelt field is an error). */
const issuerEntry = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'a label of 1-64 letters, digits, ".", "_", ":" or "-"'),
    issuer: z.string().min(1).max(2048).regex(/^\S+$/, 'the exact `iss` value, without spaces'),
    jwksUri: jwksUri.optional(),
    keys: z.array(publicJwk).min(1).optional(),
    audience: z.string().min(1).max(2048),
    algorithms: z
      .array(z.string())
      .min(1)
      .superRefine((algorithms, ctx) => {
        algorithms.forEach((alg, index) => {
          if (/^HS\d+$/.test(alg)) {
            ctx.addIssue({ code: 'custom', path: [index], message: `${alg} is never accepted from an issuer: a shared secret lets anyone who can verify also sign; use EdDSA, ES256 or RS256` });
          } else if (!(ISSUER_ALGORITHMS as readonly string[]).includes(alg)) {
            ctx.addIssue({ code: 'custom', path: [index], message: `"${alg}" is not accepted; use EdDSA, ES256 or RS256` });
          } else if (algorithms.indexOf(alg) !== index) {
            ctx.addIssue({ code: 'custom', path: [index], message: `"${alg}" is listed twice` });
          }
        });
      })
      .optional(),
    roles: z.array(roleName).min(1),
    organisations: z.array(OrganisationClaim).optional(),
    claims: z
      .strictObject({
        role: claimName.optional(),
        organisation: claimName.optional(),
        roleValues: z.record(z.string().min(1).max(200), roleName).optional(),
      })
      .optional(),
    jwksCacheMaxAgeSeconds: z.number().int().min(1).max(86_400).optional(),
    /** How often an unknown `kid` may prompt a fetch; not in the brief's format, optional. */
    jwksCooldownSeconds: z.number().int().min(1).max(3_600).optional(),
  })
  // The rules between fields, once each field is well-formed on its own.
  .superRefine((entry, ctx) => checkIssuerEntry(entry, ctx), { when: (payload) => payload.issues.length === 0 });

type IssuerEntry = z.output<typeof issuerEntry>;

/** A trust file as written: `issuers`, each an identity provider and its grant. */
export const trustFileSchema = z
  .strictObject({ issuers: z.array(issuerEntry).min(1) })
  .superRefine((file, ctx) => checkAcrossIssuers(file.issuers, ctx), { when: (payload) => payload.issues.length === 0 });

function checkIssuerEntry(entry: IssuerEntry, ctx: z.core.$RefinementCtx<IssuerEntry>): void {
  const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (entry.jwksUri !== undefined && entry.keys !== undefined) add(['keys'], 'give jwksUri or keys, not both');
  if (entry.jwksUri === undefined && entry.keys === undefined) add(['jwksUri'], 'jwksUri or keys: one of them is required');
  if (entry.keys !== undefined && entry.jwksCacheMaxAgeSeconds !== undefined) add(['jwksCacheMaxAgeSeconds'], 'only with jwksUri: static keys are not fetched');
  if (entry.keys !== undefined && entry.jwksCooldownSeconds !== undefined) add(['jwksCooldownSeconds'], 'only with jwksUri: static keys are not fetched');

  const organisations = entry.organisations ?? [];
  entry.roles.forEach((role, index) => {
    if (entry.roles.indexOf(role) !== index) add(['roles', index], `"${role}" is listed twice`);
  });
  organisations.forEach((org, index) => {
    if (organisations.indexOf(org) !== index) add(['organisations', index], `"${org}" is listed twice`);
  });

  const citizen = entry.roles.filter((role) => (CITIZEN_ROLES as readonly Role[]).includes(role));
  const staff = entry.roles.filter((role): role is Exclude<Role, 'service'> => role !== 'service' && !(CITIZEN_ROLES as readonly Role[]).includes(role));
  entry.roles.forEach((role, index) => {
    if (role === 'service') add(['roles', index], "service is Silta's own service identity; no identity provider may assert it");
  });
  if (citizen.length > 0 && staff.length > 0) {
    add(['roles'], `an issuer of ${citizen.join(' and ')} (no organisation) cannot also grant organisation roles (${staff.join(', ')}); give them separate issuers`);
  } else if (citizen.length > 0 && organisations.length > 0) {
    add(['organisations'], `${citizen.join(' and ')} carry no organisation: an issuer of them grants none`);
  } else if (staff.length > 0 && organisations.length === 0) {
    add(['organisations'], `roles ${staff.join(', ')} act for an organisation: list the organisations this issuer may assert`);
  } else {
    // Every role must be usable with one of the issuer's organisations, and every organisation with one of its roles.
    const kinds = new Set(organisations.map((org) => orgOf({ org })!.kind));
    staff.forEach((role) => {
      const fits = kindsOf(role);
      if (!fits.some((kind) => kinds.has(kind))) add(['roles', entry.roles.indexOf(role)], `${role} needs a ${fits.join(' or ')} organisation, and this issuer grants none`);
    });
    organisations.forEach((org, index) => {
      const kind = orgOf({ org })!.kind;
      if (!staff.some((role) => kindsOf(role).includes(kind))) add(['organisations', index], `no role this issuer grants acts for a ${kind} (${org})`);
    });
  }

  const roleValues = entry.claims?.roleValues ?? {};
  for (const [external, role] of Object.entries(roleValues)) {
    if (!entry.roles.includes(role)) add(['claims', 'roleValues', external], `maps to ${role}, which this issuer may not assert (roles)`);
  }
}

function checkAcrossIssuers(issuers: readonly IssuerEntry[], ctx: z.core.$RefinementCtx<{ issuers: IssuerEntry[] }>): void {
  const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path: ['issuers', ...path], message });
  const byIssuer = new Map<string, number>();
  const byName = new Map<string, number>();
  const byOrganisation = new Map<string, number>();
  let citizenIssuer: number | undefined;
  issuers.forEach((entry, index) => {
    // Guardians and students are known by `sub` alone (no organisation tells two issuers' apart).
    if (entry.roles.some((role) => (CITIZEN_ROLES as readonly Role[]).includes(role))) {
      if (citizenIssuer !== undefined) add([index, 'roles'], `issuers[${citizenIssuer}] (${issuers[citizenIssuer]!.name}) already asserts guardian and student: one citizen issuer per party, since citizens are known by subject alone`);
      else citizenIssuer = index;
    }
    const sameIssuer = byIssuer.get(entry.issuer);
    if (sameIssuer !== undefined) add([index, 'issuer'], `"${entry.issuer}" is also issuers[${sameIssuer}]: one entry per issuer`);
    else byIssuer.set(entry.issuer, index);
    const sameName = byName.get(entry.name);
    if (sameName !== undefined) add([index, 'name'], `"${entry.name}" is also the name of issuers[${sameName}]: names identify callers, so each is unique`);
    else byName.set(entry.name, index);
    (entry.organisations ?? []).forEach((org, orgIndex) => {
      const other = byOrganisation.get(org);
      if (other !== undefined && other !== index) {
        add([index, 'organisations', orgIndex], `${org} is also granted to issuers[${other}] (${issuers[other]!.name}): one issuer per organisation`);
      } else byOrganisation.set(org, index);
    });
  });
}

function kindsOf(role: Exclude<Role, 'service'>): readonly OrganisationKind[] {
  return ORGANISATION_KINDS_OF_ROLE[role];
}

/**
 * Reads and validates a party's trust file (`.yaml`, `.yml` or `.json`) at boot. Throws a
 * ConfigError naming the file and every bad field.
 */
export function loadTrustedIssuers(path: string): TrustedIssuer[] {
  const extension = extname(path).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(extension)) {
    throw trustFileError(path, [`(file): unsupported file type "${extension}": use .yaml, .yml or .json`]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw trustFileError(path, [`(file): cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let document: unknown;
  try {
    // CORE_SCHEMA: no implicit dates or other surprises; values stay the strings they look like.
    document = extension === '.json' ? JSON.parse(text) : loadYaml(text, { filename: path, schema: CORE_SCHEMA });
  } catch (error) {
    throw trustFileError(path, [`(file): not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`]);
  }
  return parseTrustedIssuers(document, path);
}

/** Validates a trust file's document (already parsed from YAML or JSON); `source` names it in errors. */
export function parseTrustedIssuers(document: unknown, source: string): TrustedIssuer[] {
  const parsed = trustFileSchema.safeParse(document);
  if (!parsed.success) throw trustFileError(source, parsed.error.issues.flatMap(describeIssue));
  return parsed.data.issuers.map(toTrustedIssuer);
}

function toTrustedIssuer(entry: IssuerEntry): TrustedIssuer {
  const keys: IssuerKeys = entry.jwksUri
    ? {
        kind: 'jwks-uri',
        jwksUri: new URL(entry.jwksUri),
        cacheMaxAgeSeconds: entry.jwksCacheMaxAgeSeconds ?? DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS,
        cooldownSeconds: entry.jwksCooldownSeconds ?? DEFAULT_JWKS_COOLDOWN_SECONDS,
      }
    : { kind: 'static', keys: entry.keys! };
  const roleValues = entry.claims?.roleValues;
  return {
    name: entry.name,
    issuer: entry.issuer,
    audience: entry.audience,
    algorithms: (entry.algorithms ?? [...ISSUER_ALGORITHMS]) as IssuerAlgorithm[],
    keys,
    roles: entry.roles,
    organisations: entry.organisations ?? [],
    claims: {
      role: entry.claims?.role ?? 'role',
      organisation: entry.claims?.organisation ?? 'org',
      roleValues: roleValues ? new Map(Object.entries(roleValues)) : undefined,
    },
  };
}

function trustFileError(source: string, problems: readonly string[]): ConfigError {
  return new ConfigError(problems.map((problem) => `TRUSTED_ISSUERS (${source}): ${problem}`));
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`);
  return [`${fieldPath(issue.path)}: ${issue.message}`];
}

/** `issuers[1].algorithms[0]`; `(document)` for the whole document. */
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
