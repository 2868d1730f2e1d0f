import { createPublicKey, verify } from 'node:crypto';
import {
  BadSignatureError,
  UnknownKeyError,
  cosignCheckpoint,
  cosignerKeyOf,
  formatCheckpoint,
  generateSignerKey,
  openCheckpoint,
  openCosignatures,
  signNote,
  verifierKeyOf,
} from './index';

const logKey = generateSignerKey('silta.example/log');
const witnessKey = generateSignerKey('witness.example/w1');
const otherWitness = generateSignerKey('witness.example/w2');
const checkpoint = signNote(formatCheckpoint({ origin: 'silta.example/log', size: 42, root: new Uint8Array(32).fill(7) }), logKey);

describe('C2SP tlog-cosignature/v1', () => {
  it('signs "cosignature/v1\\ntime <t>\\n" + the checkpoint text with the key id of type 0x04, as the spec lays out', () => {
    const cosigned = cosignCheckpoint(checkpoint, witnessKey, 1_700_000_000);
    const line = cosigned.trimEnd().split('\n').pop()!;
    expect(line.startsWith('\u2014 witness.example/w1 ')).toBe(true);
    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    expect(bytes).toHaveLength(4 + 8 + 64);
    // Base64 may itself hold "+": the material is everything after the second one.
    const [name, keyId, ...rest] = cosignerKeyOf(witnessKey).split('+');
    const material = rest.join('+');
    expect(name).toBe('witness.example/w1');
    expect(bytes.subarray(0, 4).toString('hex')).toBe(keyId);
    expect(bytes.readBigUInt64BE(4)).toBe(1_700_000_000n);
    const raw = Buffer.from(material, 'base64');
    expect(raw[0]).toBe(0x04);
    const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw.subarray(1)]), format: 'der', type: 'spki' });
    const body = checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1);
    expect(verify(null, Buffer.from(`cosignature/v1\ntime 1700000000\n${body}`), publicKey, bytes.subarray(12))).toBe(true);
  });

  it('verifies any number of witnesses, and the log signature still opens with standard note verifiers', () => {
    const cosigned = cosignCheckpoint(cosignCheckpoint(checkpoint, witnessKey, 10), otherWitness, 11);
    expect(openCosignatures(cosigned, [cosignerKeyOf(witnessKey), cosignerKeyOf(otherWitness)]).map((c) => [c.name, c.timestamp])).toEqual([
      ['witness.example/w1', 10],
      ['witness.example/w2', 11],
    ]);
    expect(openCheckpoint(cosigned, [verifierKeyOf(logKey)]).checkpoint.size).toBe(42);
  });

  it('refuses a cosignature moved onto another checkpoint, a changed timestamp, and a witness it does not know', () => {
    const cosigned = cosignCheckpoint(checkpoint, witnessKey, 10);
    const line = cosigned.trimEnd().split('\n').pop()!;
    const other = signNote(formatCheckpoint({ origin: 'silta.example/log', size: 43, root: new Uint8Array(32).fill(8) }), logKey);
    expect(() => openCosignatures(`${other}${line}\n`, [cosignerKeyOf(witnessKey)])).toThrow(BadSignatureError);

    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    bytes.writeBigUInt64BE(11n, 4);
    const retimed = cosigned.replace(line, `\u2014 witness.example/w1 ${bytes.toString('base64')}`);
    expect(() => openCosignatures(retimed, [cosignerKeyOf(witnessKey)])).toThrow(BadSignatureError);

    expect(() => openCosignatures(cosigned, [cosignerKeyOf(otherWitness)])).toThrow(UnknownKeyError);
    // A note-signature verifier key (type 0x01) is not a cosigner key.
    expect(() => openCosignatures(cosigned, [verifierKeyOf(witnessKey)])).toThrow(/algorithm 1,/);
  });
});
