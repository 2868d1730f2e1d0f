import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consistencyProof,
  eventLeafHash,
  formatCheckpoint,
  generateSignerKey,
  inclusionProof,
  leafHash,
  rootOf,
  signNote,
  verifierKeyOf,
} from '@silta/transparency';
import { run } from './cli';
import { TEST_ORIGIN } from './testing';

/** A JSON text whose first `name` member is `forged` and whose second (the one JSON.parse keeps) is the real one. */
function withForgedFirst(text: string, name: string, forged: string): string {
  const member = `"${name}":`;
  const at = text.indexOf(member);
  return `${text.slice(0, at)}${member}${forged},${text.slice(at)}`;
}

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');

describe('silta-audit reads the JSON it verifies as strict I-JSON', () => {
  const signerKey = generateSignerKey('silta-test-audit');
  const key = verifierKeyOf(signerKey);
  const note = (leaves: readonly Uint8Array[]) => signNote(formatCheckpoint({ origin: TEST_ORIGIN, size: leaves.length, root: rootOf(leaves) }), signerKey);
  let folder: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env: {} };
  const write = (name: string, text: string) => {
    const file = join(folder, name);
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'silta-strict-json-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  describe('verify-consistency', () => {
    const leaves = [1, 2, 3, 4].map((n) => leafHash(new Uint8Array([n])));
    const realProof = JSON.stringify({ proof: consistencyProof(leaves, 2, 4).map(base64) });
    const verify = (proofFile: string) =>
      run(['verify-consistency', '--key', key, '--old', write('old.note', note(leaves.slice(0, 2))), '--new', write('new.note', note(leaves)), '--proof', proofFile], io);

    it('accepts the real proof', async () => {
      expect(await verify(write('proof.json', realProof))).toBe(0);
    });

    it('refuses a proof file repeating "proof", though JSON.parse would read the real proof from it', async () => {
      const bogus = JSON.stringify([base64(leaves[0]!), base64(leaves[1]!)]);
      const file = write('proof.json', withForgedFirst(realProof, 'proof', bogus));
      expect(await verify(file)).toBe(1);
      expect(err.join('')).toBe(`FAIL proof ${file}: $: duplicate member name "proof" (line 1, column ${bogus.length + 11})\n`);
    });
  });

  describe('verify-bundle', () => {
    const data = { disclosureId: 'd-1', decidedAt: '2025-01-08T10:00:00.000Z' };
    const leaves = [eventLeafHash({ type: 'DisclosureDecided', data }), leafHash(new Uint8Array([2]))];
    const event = { leafIndex: 0, streamId: 'audit-s-1', type: 'DisclosureDecided', data, leafHash: Buffer.from(leaves[0]!).toString('hex'), proof: inclusionProof(leaves, 0, 2).map(base64) };
    const bundle = JSON.stringify({ origin: TEST_ORIGIN, verifierKey: key, checkpoint: note(leaves), events: [event] });

    it('verifies the real bundle', async () => {
      expect(await run(['verify-bundle', write('bundle.json', bundle), '--key', key], io)).toBe(0);
    });

    it('refuses a bundle showing a forged decidedAt before the real one, which JSON.parse would verify', async () => {
      const forged = withForgedFirst(bundle, 'decidedAt', '"2020-01-01T00:00:00.000Z"');
      const file = write('bundle.json', forged);
      expect(await run(['verify-bundle', file, '--key', key], io)).toBe(1);
      const column = forged.lastIndexOf('"decidedAt"') + 1;
      expect(err.join('')).toBe(`FAIL bundle ${file}: $.events[0].data: duplicate member name "decidedAt" (line 1, column ${column})\n`);
      expect(out.join('')).toBe('');
    });
  });
});
