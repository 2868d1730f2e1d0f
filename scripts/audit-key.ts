// npm run -s audit:key -- <disclosure|receipts>: the verifier key of that party's audit log under
// `npm start`, derived from the local secrets file (<DATA_DIR>/.local-secrets.json, DATA_DIR
// defaulting to ./data) and printed alone on stdout, so that
//   npm run audit -- verify --sqlite data/disclosure/events.db --key "$(npm run -s audit:key -- disclosure)"
// works without the services running. Only the public half is printed. Like npm start, an
// AUDIT_SIGNING_KEY or RECEIPTS_AUDIT_SIGNING_KEY in the environment wins over the file.
import { existsSync } from 'node:fs';
import { verifierKeyOf } from '@silta/transparency';
import { loadLocalSecrets, localSecretsFile } from './local-secrets';

const PARTIES = ['disclosure', 'receipts'] as const;
type LogParty = (typeof PARTIES)[number];

/** The verifier key of `party`'s local audit log, and what loading the secrets file had to say (a renamed key). */
export function localVerifierKey(party: string, env: NodeJS.ProcessEnv = process.env): { verifierKey: string; notes: readonly string[] } {
  if (!PARTIES.includes(party as LogParty)) {
    throw new Error(`which log? give ${PARTIES.join(' or ')} (the municipality's or the welfare area's), got ${JSON.stringify(party ?? '')}`);
  }
  const file = localSecretsFile(env);
  // Never make a fresh file here: its key would have signed nothing, and every check against it would fail.
  if (!existsSync(file)) throw new Error(`no local secrets file at ${file}: npm start makes it (with DATA_DIR, the same DATA_DIR)`);
  const secrets = loadLocalSecrets(env);
  return { verifierKey: verifierKeyOf(secrets.auditSigningKeys[party as LogParty]), notes: secrets.notes };
}

if (require.main === module) {
  try {
    const { verifierKey, notes } = localVerifierKey(process.argv[2] ?? '');
    for (const note of notes) console.error(note);
    console.log(verifierKey);
  } catch (error) {
    console.error(`audit:key: ${(error as Error).message}`);
    process.exit(1);
  }
}
