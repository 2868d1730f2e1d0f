import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, formatCheckpoint, signNote } from '@silta/transparency';
import { localVerifierKey } from '../scripts/audit-key';
import { loadLocalSecrets, localSecretsFile } from '../scripts/local-secrets';

// `npm run audit:key -- disclosure` is what the README hands to `npm run audit -- verify --key`:
// it must be the key the party's checkpoints verify with under npm start, and never a new one.
describe('npm run audit:key', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'silta-audit-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints the verifier key each party's checkpoints verify with, named after its log's origin", () => {
    const secrets = loadLocalSecrets({ DATA_DIR: dataDir });
    for (const [party, origin] of [['disclosure', 'silta.disclosure/local'], ['receipts', 'silta.receipts/local']] as const) {
      const note = signNote(formatCheckpoint({ origin, size: 1, root: new Uint8Array(32) }), secrets.auditSigningKeys[party]);
      const { verifierKey } = localVerifierKey(party, { DATA_DIR: dataDir });
      expect(verifierKey.startsWith(`${origin}+`)).toBe(true);
      expect(openCheckpoint(note, [verifierKey], { origin }).checkpoint.size).toBe(1);
    }
  });

  it('refuses to make a secrets file of its own, naming the file it looked for', () => {
    expect(() => localVerifierKey('disclosure', { DATA_DIR: dataDir })).toThrow(`no local secrets file at ${localSecretsFile({ DATA_DIR: dataDir })}: npm start makes it`);
  });

  it('names the logs it knows when asked for another', () => {
    loadLocalSecrets({ DATA_DIR: dataDir });
    expect(() => localVerifierKey('roster', { DATA_DIR: dataDir })).toThrow('which log? give disclosure or receipts');
  });
});
