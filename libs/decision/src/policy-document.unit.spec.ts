import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decide, type DecisionInput, type DisclosureRequest, type Policy, type Profession } from './decision';
import { PolicyError, canonicalJson, loadPolicyFile, parsePolicy } from './policy-document';

// The two policies the disclosure app ships, read here as real documents of the format.
const DEFAULT_POLICY_PATH = resolve(__dirname, '../../../apps/disclosure/policy/default.policy.yaml');
const SEED_MODEL_POLICY_PATH = resolve(__dirname, '../../../apps/disclosure/policy/seed-model.policy.yaml');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'silta-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a policy file into this test's temporary folder. */
function policyFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const VALID_YAML = `
id: municipality:test/disclosure-policy
version: "1"
municipality: test
necessity:
  curator: [absences]
  psychologist: []
  nurse: [absences]
  doctor: []
emergency:
  categories: [identification]
  windowMinutes: 60
requireWelfareAccessActivation: false
consentFrom: any_guardian
minJustificationLength: 10
`;

/** The error a load throws, so its message can be checked. */
function loadError(path: string): PolicyError {
  try {
    loadPolicyFile(path);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error(`${path} loaded without error`);
}

describe('the shipped policies', () => {
  it('load, with their id, version and a sha-256 content hash', () => {
    const policy = loadPolicyFile(DEFAULT_POLICY_PATH);
    expect(policy).toMatchObject({
      id: 'municipality:demo/disclosure-policy',
      version: '2026.2',
      municipality: 'demo',
      // Issue 12: necessity is the curator's route; nurses, doctors and psychologists on consent.
      necessity: {
        curator: ['absences', 'lesson_markings', 'detentions', 'learning_progress'],
        psychologist: [],
        nurse: [],
        doctor: [],
      },
      urgentNecessityFor: ['curator'],
      // No general emergency basis in the sources: identification data only, nothing widened.
      emergency: { categories: ['identification', 'guardian_contacts'], windowMinutes: 240 },
      requireWelfareAccessActivation: false,
      consentFrom: 'any_guardian',
      minJustificationLength: 30,
      absenceReasons: 'never',
    });
    expect(policy.emergency.widenedBeyondSources).toBeUndefined();
    expect(policy.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadPolicyFile(SEED_MODEL_POLICY_PATH)).toMatchObject({
      version: '2026.2-seed',
      requireWelfareAccessActivation: true,
      consentFrom: 'all_guardians',
      necessity: { curator: ['absences'], psychologist: [], nurse: [], doctor: [] },
      urgentNecessityFor: ['curator'],
      emergency: { categories: ['identification', 'guardian_contacts'], windowMinutes: 120 },
      absenceReasons: 'never',
    });
  });
});

describe('the content hash', () => {
  it('is the same for the same document in YAML, in JSON, and with keys in another order', () => {
    const yaml = loadPolicyFile(policyFile('p.yaml', VALID_YAML));
    const json = loadPolicyFile(policyFile('p.json', JSON.stringify({ ...yaml, hash: undefined })));
    const reordered = loadPolicyFile(policyFile('q.json', JSON.stringify(Object.fromEntries(Object.entries({ ...yaml, hash: undefined }).reverse()))));
    expect(json.hash).toBe(yaml.hash);
    expect(reordered.hash).toBe(yaml.hash);
  });

  it('changes with any change to the content', () => {
    const before = loadPolicyFile(policyFile('p.yaml', VALID_YAML));
    const after = loadPolicyFile(policyFile('q.yaml', VALID_YAML.replace('windowMinutes: 60', 'windowMinutes: 61')));
    expect(after.version).toBe(before.version);
    expect(after.hash).not.toBe(before.hash);
  });

  it('is taken over canonical JSON: keys sorted at every depth, arrays in order', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[3,{"c":2,"d":1}]}');
  });
});

describe('a malformed policy', () => {
  it.each([
    ['an unknown category', VALID_YAML.replace('nurse: [absences]', 'nurse: [absences, identification, medical_records]'), 'necessity.nurse[2]: Invalid option: expected one of "identification"|'],
    ['a missing profession', VALID_YAML.replace('  doctor: []\n', ''), 'necessity.doctor: Invalid input: expected array'],
    ['an unknown profession', VALID_YAML.replace('  doctor: []\n', '  doctor: []\n  teacher: [grades]\n'), 'necessity.teacher: unknown field'],
    ['a misspelt field (also reported as the missing one)', VALID_YAML.replace('consentFrom:', 'consentFor:'), 'consentFor: unknown field'],
    ['a category listed twice', VALID_YAML.replace('curator: [absences]', 'curator: [absences, absences]'), 'necessity.curator[1]: "absences" is listed twice'],
    ['a zero emergency window', VALID_YAML.replace('windowMinutes: 60', 'windowMinutes: 0'), 'emergency.windowMinutes: Too small'],
    ['a fractional emergency window', VALID_YAML.replace('windowMinutes: 60', 'windowMinutes: 1.5'), 'emergency.windowMinutes: Invalid input: expected int'],
    ['an unknown consent rule', VALID_YAML.replace('consentFrom: any_guardian', 'consentFrom: one_guardian'), 'consentFrom: Invalid option: expected one of "any_guardian"|"all_guardians"'],
    ['a zero minimum justification', VALID_YAML.replace('minJustificationLength: 10', 'minJustificationLength: 0'), 'minJustificationLength: Too small'],
    ['activation given as text', VALID_YAML.replace('requireWelfareAccessActivation: false', 'requireWelfareAccessActivation: "no"'), 'requireWelfareAccessActivation: Invalid input: expected boolean'],
    ['a version given as a number', VALID_YAML.replace('version: "1"', 'version: 1'), 'version: Invalid input: expected string'],
    ['a missing id', VALID_YAML.replace('id: municipality:test/disclosure-policy\n', ''), 'id: Invalid input: expected string'],
  ])('fails with a message naming the file and the field: %s', (_name, text, problem) => {
    const path = policyFile('broken.policy.yaml', text);
    const error = loadError(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain(problem);
  });

  it.each([
    ['an emergency category beyond the sources', VALID_YAML.replace('categories: [identification]', 'categories: [identification, absences]'), 'emergency.categories[1]: "absences" is beyond what the sources allow on an emergency'],
    [
      'a widening without its reason',
      VALID_YAML.replace('windowMinutes: 60', 'windowMinutes: 60\n  widenedBeyondSources:\n    categories: [absences]'),
      'emergency.widenedBeyondSources.why: Invalid input: expected string',
    ],
    [
      'a widening with a token reason',
      VALID_YAML.replace('windowMinutes: 60', 'windowMinutes: 60\n  widenedBeyondSources:\n    categories: [absences]\n    why: "needed"'),
      "emergency.widenedBeyondSources.why: state the municipality's reason for widening",
    ],
    [
      'a widening by a category within the sources',
      VALID_YAML.replace('windowMinutes: 60', `windowMinutes: 60\n  widenedBeyondSources:\n    categories: [guardian_contacts]\n    why: "${'w'.repeat(40)}"`),
      'emergency.widenedBeyondSources.categories[0]: "guardian_contacts" is within the sources\' emergency set',
    ],
    ['an unknown profession allowed urgent requests', `${VALID_YAML}urgentNecessityFor: [teacher]\n`, 'urgentNecessityFor[0]: Invalid option'],
    ['an unknown absence-reason rule', `${VALID_YAML}absenceReasons: always\n`, 'absenceReasons: Invalid option: expected one of "never"|"on_consent"'],
  ])('fails for what the sources do not allow without an explicit override: %s', (_name, text, problem) => {
    expect(loadError(policyFile('broken.policy.yaml', text)).message).toContain(problem);
  });

  it('loads an explicit widening of the emergency set, with its reason, into the emergency set', () => {
    const why = 'The municipal board decided on 2026-02-01 that absences help locate a missing pupil.';
    const policy = loadPolicyFile(policyFile('widened.yaml', VALID_YAML.replace('windowMinutes: 60', `windowMinutes: 60\n  widenedBeyondSources:\n    categories: [absences]\n    why: "${why}"`)));
    expect(policy.emergency).toEqual({ categories: ['identification', 'absences'], windowMinutes: 60, widenedBeyondSources: { categories: ['absences'], why } });
  });

  it('names every bad field at once', () => {
    const text = VALID_YAML.replace('nurse: [absences]', 'nurse: [x-rays]').replace('windowMinutes: 60', 'windowMinutes: -5').replace('consentFrom: any_guardian', '');
    expect(loadError(policyFile('broken.yaml', text)).problems).toEqual([
      expect.stringMatching(/^necessity\.nurse\[0\]: Invalid option/),
      expect.stringMatching(/^emergency\.windowMinutes: Too small/),
      expect.stringMatching(/^consentFrom: Invalid option/),
    ]);
  });

  it.each([
    ['YAML that does not parse', 'p.yaml', 'id: [unclosed', 'not valid YAML'],
    ['JSON that does not parse', 'p.json', '{"id": ', 'not valid JSON'],
    ['YAML that is not a mapping', 'p.yaml', '- just\n- a list\n', '(document): Invalid input: expected object'],
    ['an unsupported file type', 'p.toml', 'id = "x"', 'unsupported file type ".toml"'],
  ])('fails with a clear message for %s', (_name, file, text, problem) => {
    expect(loadError(policyFile(file, text)).message).toContain(problem);
  });

  it('fails when the file is missing', () => {
    expect(loadError(join(dir, 'missing.yaml')).message).toMatch(/missing\.yaml:\n {2}cannot read the file/);
  });

  it('is rejected the same way when parsed from an object', () => {
    expect(() => parsePolicy({}, 'env:DISCLOSURE_POLICY')).toThrow(/invalid disclosure policy env:DISCLOSURE_POLICY:\n {2}id: /);
  });
});

describe('two policy versions decide the same request differently, with no code change', () => {
  const NOW = '2026-03-10T09:00:00.000Z';
  const JUSTIFICATION = 'Repeated absences this term; a meeting with the family is planned for Friday.';

  function input(policy: Policy, role: Profession, request: Partial<DisclosureRequest>, welfareAccessActive = true): DecisionInput {
    return {
      request: { requestId: 'r-1', studentId: 's-1', categories: ['absences'], basis: 'necessity', purpose: 'support', caseId: 'case-7', justification: JUSTIFICATION, ...request },
      requester: { professionalId: `${role}-1`, role, welfareAreaId: 'w' },
      snapshot: {
        student: { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive, enrolledAt: '2025-08-11T06:00:00.000Z', servedBy: 'w', municipalityId: policy.municipality ?? null },
        assignments: [{ assignmentId: 'a-1', professionalId: `${role}-1`, role, welfareAreaId: 'w', schoolId: 'school-1', validFrom: '2025-08-01', ended: false }],
        consents: [
          {
            consentId: 'c-1',
            version: 1,
            grantedBy: { kind: 'guardian', id: 'g-1' },
            categories: ['grades'],
            welfareAreaId: 'w',
            status: 'active',
            validFrom: '2026-01-15T10:00:00.000Z',
            grantedAt: '2026-01-15T10:00:00.000Z',
          },
        ],
        linkedGuardianIds: ['g-1', 'g-2'],
      },
      policy,
      now: NOW,
    };
  }

  const reasons = (i: DecisionInput) => decide(i).categories.map((c) => `${c.category}:${c.outcome}:${c.reason}`);

  it.each([
    ["a curator's necessity request for detentions", 'curator', { categories: ['detentions'] }, true, ['detentions:permit:necessary_for_case'], ['detentions:deny:not_in_profession_set']],
    ["a curator's necessity request for lesson markings", 'curator', { categories: ['lesson_markings'] }, true, ['lesson_markings:permit:necessary_for_case'], ['lesson_markings:deny:not_in_profession_set']],
    ['a request for a student whose welfare access is not activated', 'curator', {}, false, ['absences:permit:necessary_for_case'], ['absences:deny:welfare_access_inactive']],
    ['a consent request when only one of two guardians consented', 'curator', { basis: 'consent', categories: ['grades'] }, true, ['grades:permit:consent_given'], ['grades:deny:consent_incomplete']],
    ['an emergency request with a 40-character justification', 'curator', { basis: 'emergency', categories: ['identification'], justification: 'x'.repeat(40) }, true, ['identification:permit:emergency'], ['identification:deny:justification_too_short']],
  ] as const)('%s', (_name, role, request, welfareAccessActive, underDefault, underSeedModel) => {
    const defaultPolicy = loadPolicyFile(DEFAULT_POLICY_PATH);
    const seedModel = loadPolicyFile(SEED_MODEL_POLICY_PATH);
    expect(reasons(input(defaultPolicy, role, request, welfareAccessActive))).toEqual(underDefault);
    expect(reasons(input(seedModel, role, request, welfareAccessActive))).toEqual(underSeedModel);
  });

  it('records which policy decided: the loaded id, version and hash travel in the decision input', () => {
    const seedModel = loadPolicyFile(SEED_MODEL_POLICY_PATH);
    const recorded = JSON.parse(JSON.stringify(input(seedModel, 'nurse', {}))) as DecisionInput;
    expect(recorded.policy).toMatchObject({ id: 'municipality:seed/disclosure-policy', version: '2026.2-seed', hash: seedModel.hash });
    expect(decide(recorded)).toEqual(decide(input(seedModel, 'nurse', {})));
  });

  it('follows an edit of the policy file', () => {
    const edited = policyFile('edited.policy.yaml', VALID_YAML.replace('nurse: [absences]', 'nurse: []'));
    expect(reasons(input(loadPolicyFile(policyFile('original.policy.yaml', VALID_YAML)), 'nurse', {}))).toEqual(['absences:permit:necessary_for_case']);
    expect(reasons(input(loadPolicyFile(edited), 'nurse', {}))).toEqual(['absences:deny:not_in_profession_set']);
  });
});
