// The silta-audit process: `npm run audit -- <command> [options]` (see cli.ts for the commands).
import { decide, upcastDisclosureDecided, type StoredDisclosureDecided } from '@silta/decision';
import { run } from './cli';
import { openStore } from './verification/open-store';

/** Re-runs a recorded DisclosureDecided with disclosure's own pure decision function. */
function replayDecision(storedData: unknown) {
  const decided = upcastDisclosureDecided(storedData as StoredDisclosureDecided);
  return { recorded: decided.decision, replayed: decide(decided.input) };
}

run(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  },
  { replayDecision, openStore },
).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`silta-audit: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
