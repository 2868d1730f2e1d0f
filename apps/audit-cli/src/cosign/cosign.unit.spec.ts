import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosignerKeyOf, formatCheckpoint, generateSignerKey, openCheckpoint, openCosignatures, signNote, verifierKeyOf } from '@silta/transparency';
import { run } from '../cli';

describe('silta-audit cosign: the other party witnesses a checkpoint', () => {
  const logKey = generateSignerKey('silta.disclosure/test');
  const witnessKey = generateSignerKey('silta.receipts/test');
  const stranger = generateSignerKey('silta.disclosure/test');
  const body = formatCheckpoint({ origin: 'silta.disclosure/test', size: 42, root: new Uint8Array(32).fill(7) });
  let folder: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env: {} };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'silta-cosign-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it("adds the witness's tlog-cosignature to a checkpoint that verifies with the log key", async () => {
    const file = join(folder, 'checkpoint.note');
    const cosignedFile = join(folder, 'cosigned.note');
    writeFileSync(file, signNote(body, logKey));
    const code = await run(['cosign', file, '--key', verifierKeyOf(logKey), '--signer-key', witnessKey, '--out', cosignedFile], io);
    expect(code).toBe(0);
    const cosigned = readFileSync(cosignedFile, 'utf8');
    const opened = openCheckpoint(cosigned, [verifierKeyOf(logKey)]);
    expect(opened.verifiedBy).toEqual(['silta.disclosure/test']);
    // The witness's line is a C2SP tlog-cosignature/v1: a standard note verifier sees an unknown key, a witness-aware one the cosignature.
    expect(opened.unknownKeys).toEqual([expect.stringMatching(/^silta\.receipts\/test\+[0-9a-f]{8}$/)]);
    expect(openCosignatures(cosigned, [cosignerKeyOf(witnessKey)]).map((c) => c.name)).toEqual(['silta.receipts/test']);
    expect(opened.checkpoint).toMatchObject({ origin: 'silta.disclosure/test', size: 42 });
  });

  it('refuses to cosign a checkpoint the log key did not sign, and writes nothing', async () => {
    const file = join(folder, 'forged.note');
    writeFileSync(file, signNote(body, stranger));
    const code = await run(['cosign', file, '--key', verifierKeyOf(logKey), '--signer-key', witnessKey], io);
    expect(code).toBe(1);
    expect(out.join('')).toBe('');
    expect(err.join('')).toMatch(/FAIL .*checkpoint/);
  });
});
