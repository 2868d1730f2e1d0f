import fc from 'fast-check';
import {
  BadSignatureError,
  MalformedCheckpointError,
  MalformedKeyError,
  MalformedNoteError,
  UnknownKeyError,
  WrongOriginError,
} from './errors';
import { emptyRoot } from './merkle';
import {
  addSignature,
  formatCheckpoint,
  formatSignerKey,
  generateSignerKey,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
} from './note';
import { CT_ROOTS, hex, unhex } from './testing/fixtures';

// Known answers from golang.org/x/mod/sumdb/note, note_test.go (TestSign, TestOpen, TestVerifierList)
// at commit 02c991387e35f9e4c0a9b7ce137717055f8d716d; the same key and note are the example in
// the package documentation (note.go). Ed25519 is deterministic, so signing reproduces them exactly.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('signed notes: the golang.org/x/mod/sumdb/note known answers', () => {
  it('derive the verifier key and the key hash c74f20a3 from the signer key', () => {
    expect(verifierKeyOf(PETER_SKEY)).toBe(PETER_VKEY);
    expect(parseVerifierKey(PETER_VKEY)).toMatchObject({ name: 'PeterNeumann', keyHash: 'c74f20a3', id: 'PeterNeumann+c74f20a3' });
    expect(parseVerifierKey(ENOCH_VKEY).keyHash).toBe('af0cfe78');
  });

  it('sign the text to the exact published note', () => {
    expect(signNote(GO_TEXT, PETER_SKEY)).toBe(`${GO_TEXT}\n${PETER_SIG}`);
  });

  it('open the published note, and the note cosigned by EnochRoot', () => {
    expect(openNote(`${GO_TEXT}\n${PETER_SIG}`, [PETER_VKEY])).toEqual({ body: GO_TEXT, verifiedBy: ['PeterNeumann'], unknownKeys: [] });
    const cosigned = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    expect(openNote(cosigned, [PETER_VKEY, ENOCH_VKEY]).verifiedBy).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(openNote(cosigned, [PETER_VKEY])).toMatchObject({ verifiedBy: ['PeterNeumann'], unknownKeys: ['EnochRoot+af0cfe78'] });
    expect(() => openNote(cosigned, [])).toThrow(new UnknownKeyError('note', ['PeterNeumann+c74f20a3', 'EnochRoot+af0cfe78']));
  });

  it('reject the corrupted signature of TestOpen', () => {
    const corrupted = `${GO_TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(() => openNote(corrupted, [PETER_VKEY])).toThrow(BadSignatureError);
    expect(() => openNote(corrupted, [PETER_VKEY])).toThrow(/^note signature by PeterNeumann\+c74f20a3 /);
  });

  it.each([
    ['no signature block', GO_TEXT],
    ['a blank line but no signatures', `${GO_TEXT}\n`],
    ['a signature line without its newline', `${GO_TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\x01${GO_TEXT}\n${PETER_SIG}`],
    ['a key name with a space', `${GO_TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`],
    ['a line after the signatures', `${GO_TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['more than 100 signatures', `${GO_TEXT}\n${PETER_SIG.repeat(101)}`],
  ])('reject a note with %s as malformed (TestOpen badMsgs)', (_, note) => {
    expect(() => openNote(note, [PETER_VKEY])).toThrow(MalformedNoteError);
  });

  it('reject bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${GO_TEXT}\n${PETER_SIG}`)]);
    expect(() => openNote(bytes, [PETER_VKEY])).toThrow('malformed note: it is not valid UTF-8');
    expect(openNote(Buffer.from(`${GO_TEXT}\n${PETER_SIG}`), [PETER_VKEY]).verifiedBy).toEqual(['PeterNeumann']);
  });
});

describe('signed notes: Silta keys', () => {
  const signerKey = generateSignerKey('silta.example/welfare-area');
  const verifierKey = verifierKeyOf(signerKey);
  const body = 'silta.example/welfare-area\n41\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
  const note = signNote(body, signerKey);
  const keyId = parseVerifierKey(verifierKey).id;

  it('generate keys in the C2SP formats', () => {
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+silta\.example\/welfare-area\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    expect(verifierKey).toMatch(/^silta\.example\/welfare-area\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    expect(signerKey.split('+')[3]).toBe(verifierKey.split('+')[1]);
    expect(generateSignerKey('silta.example/welfare-area')).not.toBe(signerKey);
  });

  it('round-trip: a signed note opens with its verifier key', () => {
    expect(note.startsWith(`${body}\n\u2014 silta.example/welfare-area `)).toBe(true);
    expect(openNote(note, [verifierKey])).toEqual({ body, verifiedBy: ['silta.example/welfare-area'], unknownKeys: [] });
  });

  it('round-trip any text, blank lines included', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => [...s].every((c) => c.charCodeAt(0) >= 0x20));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        expect(openNote(signNote(text, signerKey), [verifierKey]).body).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it('cosign: the other party adds its signature and both verify', () => {
    const receiverKey = generateSignerKey('silta.example/municipality');
    const cosigned = addSignature(note, receiverKey);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(openNote(cosigned, [verifierKey, verifierKeyOf(receiverKey)]).verifiedBy).toEqual([
      'silta.example/welfare-area',
      'silta.example/municipality',
    ]);
    // Cosigning twice replaces the earlier signature instead of stacking another.
    expect(addSignature(cosigned, receiverKey)).toBe(cosigned);
  });

  it('reject a tampered body as a bad signature by the trusted key', () => {
    const tampered = note.replace('\n41\n', '\n40\n');
    expect(() => openNote(tampered, [verifierKey])).toThrow(new BadSignatureError('note', keyId));
    expect(() => openNote(tampered, [verifierKey])).toThrow(`note signature by ${keyId} does not verify`);
  });

  it('reject a note when any trusted signature fails, even if another verifies', () => {
    const witness = generateSignerKey('witness.example');
    const cosigned = addSignature(note, witness);
    const otherBody = signNote(body.replace('41', '42'), witness);
    const forgedWitnessLine = otherBody.slice(otherBody.lastIndexOf('\u2014'));
    const mixed = `${note}${forgedWitnessLine}`;
    expect(() => openNote(cosigned, [verifierKey, verifierKeyOf(witness)])).not.toThrow();
    expect(() => openNote(mixed, [verifierKey, verifierKeyOf(witness)])).toThrow(BadSignatureError);
  });

  it('treat a key with the same name but another public key as unknown', () => {
    const impostor = verifierKeyOf(generateSignerKey('silta.example/welfare-area'));
    expect(() => openNote(note, [impostor])).toThrow(UnknownKeyError);
    expect(() => openNote(note, [impostor])).toThrow(`note signature by unknown key ${keyId}`);
  });

  it('reject a truncated signature: a short one as bad, a cut-off one as malformed', () => {
    const line = note.slice(note.lastIndexOf('\u2014'));
    const encoded = line.slice(line.lastIndexOf(' ') + 1, -1);
    const shortened = Buffer.from(encoded, 'base64').subarray(0, -1).toString('base64');
    expect(() => openNote(note.replace(encoded, shortened), [verifierKey])).toThrow(
      `note signature by ${keyId} is 63 bytes, not an Ed25519 signature`,
    );
    expect(() => openNote(note.replace(encoded, encoded.slice(0, -2)), [verifierKey])).toThrow(MalformedNoteError);
    expect(() => openNote(note.slice(0, -10), [verifierKey])).toThrow(MalformedNoteError);
  });

  it('refuse to sign text that would not survive as a note', () => {
    expect(() => signNote('no final newline', signerKey)).toThrow(MalformedNoteError);
    expect(() => signNote('', signerKey)).toThrow(MalformedNoteError);
    expect(() => signNote('tab\there\n', signerKey)).toThrow('malformed note: it has control characters other than newline');
  });
});

describe('key strings', () => {
  it.each([
    ['a changed key hash', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /key hash c74f20a4 of PeterNeumann does not match/],
    ['an upper-case key hash', 'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /not 8 lower-case hex digits/],
    ['a wrong-length key (TestNewVerifier)', 'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==', /not base64 of 33 bytes/],
    ['an unknown algorithm (TestNewVerifier)', 'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /algorithm 101/],
    ['no name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /key name "" is empty/],
    ['missing parts', 'PeterNeumann', /expected <name>\+<hex key hash>\+<base64 key>/],
  ])('refuse a verifier key with %s', (_, key, message) => {
    expect(() => parseVerifierKey(key)).toThrow(MalformedKeyError);
    expect(() => parseVerifierKey(key)).toThrow(message);
  });

  it('refuse a signer key without its prefix, or with a hash that is not its own', () => {
    expect(() => verifierKeyOf(PETER_SKEY.replace('PRIVATE+KEY+', ''))).toThrow(MalformedKeyError);
    expect(() => verifierKeyOf(PETER_SKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match its key/);
    expect(() => generateSignerKey('has space')).toThrow(MalformedKeyError);
    expect(() => generateSignerKey('has+plus')).toThrow(MalformedKeyError);
  });

  it('rebuild a signer key from its seed', () => {
    const seed = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
    expect(formatSignerKey('PeterNeumann', seed)).toBe(PETER_SKEY);
  });

  it('accept the same trusted key listed twice', () => {
    expect(openNote(`${GO_TEXT}\n${PETER_SIG}`, [PETER_VKEY, PETER_VKEY]).verifiedBy).toEqual(['PeterNeumann']);
  });
});

describe('checkpoints', () => {
  const root = unhex(CT_ROOTS[8]!);

  it('format as origin, decimal size and base64 root, then extension lines', () => {
    expect(formatCheckpoint({ origin: 'silta.example/audit', size: 8, root })).toBe(
      `silta.example/audit\n8\n${Buffer.from(root).toString('base64')}\n`,
    );
    expect(formatCheckpoint({ origin: 'silta.example/audit', size: 0, root: emptyRoot(), extensions: ['time 2026-01-05T10:00:00Z'] })).toBe(
      'silta.example/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntime 2026-01-05T10:00:00Z\n',
    );
  });

  it('parse the C2SP tlog-checkpoint example body', () => {
    // https://c2sp.org/tlog-checkpoint (C2SP/C2SP tlog-checkpoint.md, the example at the top).
    const parsed = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(parsed).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(parsed.root).toHaveLength(32);
  });

  it('round-trip through format and parse, extensions included', () => {
    const checkpoint = { origin: 'silta.example/audit', size: 1234567, root, extensions: ['a', 'b c'] };
    const parsed = parseCheckpoint(formatCheckpoint(checkpoint));
    expect({ ...parsed, root: hex(parsed.root) }).toEqual({ ...checkpoint, root: CT_ROOTS[8] });
  });

  it.each([
    ['no final newline', 'o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', /does not end with a newline/],
    ['no root line', 'o\n1\n', /needs origin, tree size and root hash lines/],
    ['a size with a leading zero', 'o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', /tree size line "01"/],
    ['a negative size', 'o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', /tree size line "-1"/],
    ['a short root', 'o\n1\nAAAA\n', /root hash line "AAAA" is not a base64 32-byte hash/],
    ['an empty origin', '\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', /origin line/],
    ['an empty extension line', 'o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n', /extension line 1/],
  ])('refuse a body with %s', (_, body, message) => {
    expect(() => parseCheckpoint(body)).toThrow(MalformedCheckpointError);
    expect(() => parseCheckpoint(body)).toThrow(message);
  });

  it('refuse to format a checkpoint that could not be parsed back', () => {
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, root })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', size: -1, root })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, root: root.subarray(1) })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, root, extensions: [''] })).toThrow(MalformedCheckpointError);
  });

  describe('signed', () => {
    const signerKey = generateSignerKey('silta.example/audit');
    const note = signNote(formatCheckpoint({ origin: 'silta.example/audit', size: 8, root }), signerKey);

    it('open with the log key and come back parsed', () => {
      const opened = openCheckpoint(note, [verifierKeyOf(signerKey)], { origin: 'silta.example/audit' });
      expect(opened.verifiedBy).toEqual(['silta.example/audit']);
      expect({ ...opened.checkpoint, root: hex(opened.checkpoint.root) }).toEqual({
        origin: 'silta.example/audit',
        size: 8,
        root: CT_ROOTS[8],
        extensions: [],
      });
    });

    it('name the unknown key when the checkpoint was signed by another one', () => {
      const otherKey = generateSignerKey('silta-demo');
      const swapped = signNote(formatCheckpoint({ origin: 'silta.example/audit', size: 8, root }), otherKey);
      const otherId = parseVerifierKey(verifierKeyOf(otherKey)).id;
      expect(() => openCheckpoint(swapped, [verifierKeyOf(signerKey)])).toThrow(`checkpoint signature by unknown key ${otherId}`);
    });

    it('name the key whose signature fails on a tampered checkpoint', () => {
      const tampered = note.replace('\n8\n', '\n9\n');
      const id = parseVerifierKey(verifierKeyOf(signerKey)).id;
      expect(() => openCheckpoint(tampered, [verifierKeyOf(signerKey)])).toThrow(`checkpoint signature by ${id} does not verify`);
    });

    it('refuse a checkpoint of another log', () => {
      expect(() => openCheckpoint(note, [verifierKeyOf(signerKey)], { origin: 'silta.example/other' })).toThrow(WrongOriginError);
      expect(() => openCheckpoint(note, [verifierKeyOf(signerKey)], { origin: 'silta.example/other' })).toThrow(
        'checkpoint is for origin silta.example/audit, expected silta.example/other',
      );
    });
  });
});
