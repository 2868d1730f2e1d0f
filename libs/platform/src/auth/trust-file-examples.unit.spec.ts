import { resolve } from 'node:path';
import { ROLES } from './principal';
import { loadTrustedIssuers, type TrustedIssuer } from './trusted-issuers';

// The example trust files shipped for each party load through the same validator the apps use at boot.
const TRUST_DIR = resolve(__dirname, '../../../../deploy/trust');

describe('the example trust files', () => {
  const municipality = loadTrustedIssuers(resolve(TRUST_DIR, 'municipality.trusted-issuers.example.yaml'));
  const welfareArea = loadTrustedIssuers(resolve(TRUST_DIR, 'welfare-area.trusted-issuers.example.yaml'));
  const byName = (issuers: readonly TrustedIssuer[], name: string) => issuers.find((issuer) => issuer.name === name)!;

  it("give the municipality's services every role their endpoints admit, each from its own kind of issuer", () => {
    expect(municipality.map((issuer) => issuer.name)).toEqual(['municipality-staff', 'welfare-area-staff', 'citizens']);
    expect(new Set(municipality.flatMap((issuer) => issuer.roles))).toEqual(new Set(ROLES.filter((role) => role !== 'service')));
    expect(byName(municipality, 'municipality-staff').organisations.every((org) => org.startsWith('municipality:'))).toBe(true);
    expect(byName(municipality, 'welfare-area-staff').organisations.every((org) => org.startsWith('welfare-area:'))).toBe(true);
    expect(byName(municipality, 'citizens').organisations).toEqual([]);
  });

  it("give the welfare area's receipts its own professionals and auditors only", () => {
    expect(welfareArea.map((issuer) => issuer.name)).toEqual(['welfare-area-staff']);
    expect(welfareArea[0]!.roles).toEqual(['curator', 'psychologist', 'nurse', 'doctor', 'auditor']);
  });

  it('describe the shared welfare-area identity provider alike in both files', () => {
    const there = byName(municipality, 'welfare-area-staff');
    const here = byName(welfareArea, 'welfare-area-staff');
    expect({ ...here, roles: undefined, claims: undefined }).toEqual({ ...there, roles: undefined, claims: undefined });
    expect(here.claims.role).toBe(there.claims.role);
    expect(here.claims.organisation).toBe(there.claims.organisation);
    for (const [value, role] of here.claims.roleValues ?? []) expect(there.claims.roleValues?.get(value)).toBe(role);
    expect(here.roles.every((role) => there.roles.includes(role))).toBe(true);
  });

  it('point only at placeholder https hosts', () => {
    for (const issuer of [...municipality, ...welfareArea]) {
      expect(new URL(issuer.issuer).hostname).toMatch(/\.example$/);
      expect(issuer.keys.kind).toBe('jwks-uri');
      if (issuer.keys.kind === 'jwks-uri') {
        expect(issuer.keys.jwksUri.protocol).toBe('https:');
        expect(issuer.keys.jwksUri.hostname).toMatch(/\.example$/);
      }
    }
  });
});
