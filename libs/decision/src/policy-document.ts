import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { CATEGORIES, EMERGENCY_CATEGORIES_IN_SOURCES, PROFESSIONS, type Policy, type Profession } from './decision';

const category = z.enum(CATEGORIES);
const categorySet = z.array(category).superRefine((categories, ctx) => {
  categories.forEach((c, index) => {
    if (categories.indexOf(c) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `"${c}" is listed twice` });
  });
});

/**
 * A municipality's disclosure policy as written in its policy file (YAML or JSON). Strict: an
 * unknown or misspelt field is an error, never silently ignored.
 */
export const policyDocumentSchema = z.strictObject({
  /** e.g. `municipality:demo/disclosure-policy`. */
  id: z.string().trim().min(1),
  /** The municipality's own version label; recorded with every decision. */
  version: z.string().trim().min(1),
  /** The municipality's id as roster records it (e.g. `demo`). */
  municipality: z.string().regex(/^[^\s:]+$/, 'a bare municipality id, e.g. "demo"'),
  /** Per profession, the categories a necessity request may cover. */
  necessity: z.strictObject(Object.fromEntries(PROFESSIONS.map((p) => [p, categorySet])) as Record<Profession, typeof categorySet>),
  emergency: z
    .strictObject({
      /** Within what the sources allow on an emergency: identification and guardians' contacts. */
      categories: categorySet,
      windowMinutes: z.number().int().positive(),
      /** An explicit widening beyond the sources, with the municipality's reason; recorded on every decision relying on it. */
      widenedBeyondSources: z
        .strictObject({
          categories: categorySet.min(1, 'list the categories the policy adds beyond the sources'),
          why: z.string().trim().min(30, "state the municipality's reason for widening (at least 30 characters)"),
        })
        .optional(),
    })
    .superRefine((emergency, ctx) => {
      emergency.categories.forEach((c, index) => {
        if (!EMERGENCY_CATEGORIES_IN_SOURCES.includes(c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['categories', index],
            message: `"${c}" is beyond what the sources allow on an emergency (${EMERGENCY_CATEGORIES_IN_SOURCES.join(', ')}); a policy may add it only under emergency.widenedBeyondSources, stating why`,
          });
        }
      });
      emergency.widenedBeyondSources?.categories.forEach((c, index) => {
        if (EMERGENCY_CATEGORIES_IN_SOURCES.includes(c) || emergency.categories.includes(c)) {
          ctx.addIssue({ code: 'custom', path: ['widenedBeyondSources', 'categories', index], message: `"${c}" is within the sources' emergency set: list it under emergency.categories` });
        }
      });
    }),
  /** The professions whose necessity request may be marked urgent (the curator's, by the sources). */
  urgentNecessityFor: z.array(z.enum(PROFESSIONS)).optional(),
  /** Whether an absence's free-text reason is ever released: never, or only on a consent. */
  absenceReasons: z.enum(['never', 'on_consent']).optional(),
  requireWelfareAccessActivation: z.boolean(),
  consentFrom: z.enum(['any_guardian', 'all_guardians']),
  minJustificationLength: z.number().int().min(1),
  /** Whether a consent counts only for requests whose purpose matches the consent's purpose. */
  matchConsentPurpose: z.boolean().optional(),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** A policy file that cannot be used; the message names the file and every bad field. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid disclosure policy ${file}:\n  ${problems.join('\n  ')}`);
    this.name = 'PolicyError';
  }
}

/** Reads, validates and hashes a policy file; `.yaml`/`.yml` or `.json`. Throws `PolicyError`. */
export function loadPolicyFile(path: string): Policy {
  const extension = extname(path).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(extension)) {
    throw new PolicyError(path, [`unsupported file type "${extension}": use .yaml, .yml or .json`]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    // CORE_SCHEMA: no implicit dates, so `version: 2026-01-15` stays the string it looks like.
    document = extension === '.json' ? JSON.parse(text) : loadYaml(text, { filename: path, schema: CORE_SCHEMA });
  } catch (error) {
    throw new PolicyError(path, [`not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`]);
  }
  return parsePolicy(document, path);
}

/** Validates a policy document (already parsed from YAML or JSON) and hashes it. */
export function parsePolicy(document: unknown, source: string): Policy {
  const parsed = policyDocumentSchema.safeParse(document);
  if (!parsed.success) throw new PolicyError(source, parsed.error.issues.flatMap(describeIssue));
  const doc = parsed.data;
  return {
    id: doc.id,
    version: doc.version,
    hash: policyHash(doc),
    municipality: doc.municipality,
    necessity: doc.necessity,
    emergency: {
      categories: [...doc.emergency.categories, ...(doc.emergency.widenedBeyondSources?.categories ?? [])],
      windowMinutes: doc.emergency.windowMinutes,
      ...(doc.emergency.widenedBeyondSources ? { widenedBeyondSources: doc.emergency.widenedBeyondSources } : {}),
    },
    ...(doc.urgentNecessityFor !== undefined ? { urgentNecessityFor: doc.urgentNecessityFor } : {}),
    ...(doc.absenceReasons !== undefined ? { absenceReasons: doc.absenceReasons } : {}),
    requireWelfareAccessActivation: doc.requireWelfareAccessActivation,
    consentFrom: doc.consentFrom,
    minJustificationLength: doc.minJustificationLength,
    ...(doc.matchConsentPurpose !== undefined ? { matchConsentPurpose: doc.matchConsentPurpose } : {}),
  };
}

/** sha-256 hex of the canonical JSON (object keys sorted at every depth) of a validated document. */
export function policyHash(document: PolicyDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

/** JSON with object keys sorted at every depth; array order is kept, since it is data. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`);
  }
  return [`${fieldPath(issue.path)}: ${issue.message}`];
}

/** `necessity.nurse[2]`; `(document)` for the whole document. */
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
