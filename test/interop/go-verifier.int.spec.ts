/**
 * Interoperability (issue 14 acceptance): Silta's checkpoints, proofs, leaves, cosignatures and map
 * proofs, made by @silta/transparency, checked by a verifier Silta did not write — Go's
 * golang.org/x/mod/sumdb/note and sumdb/tlog (Debian's golang-golang-x-mod-dev, x/mod 0.7) plus Go
 * code written from the format texts alone (test/interop/go-verifier). The Go program is built here,
 * offline, from Debian's packages; without them this test fails and says what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSignerKey } from '@silta/transparency';
import { ORIGIN, SampleLog, WITNESSES, streamOf, type BundleV2 } from './sample-log';

/** Where Debian's golang-golang-x-mod-dev puts golang.org/x/mod (a GOPATH tree). */
const DEBIAN_GOCODE = '/usr/share/gocode';
const SOURCE = join(__dirname, 'go-verifier');
const INSTALL_HINT = 'install Debian\'s golang-go and golang-golang-x-mod-dev (apt-get install golang-go golang-golang-x-mod-dev; .ci/run does)';

interface Verdict {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface GoAnswer {
  readonly accepted: boolean;
  readonly verdicts: readonly Verdict[];
}

interface GoRequest {
  readonly logKey: string;
  readonly cosignerKeys: readonly string[];
  readonly bundle: BundleV2;
  readonly consistency?: { readonly from: string; readonly proof: readonly string[] };
}

let workDir: string;
let verifier: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'silta-go-verifier-'));
  verifier = buildGoVerifier(workDir);
}, 180_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Builds the Go program in GOPATH mode against Debian's x/mod: no module download, no network. */
function buildGoVerifier(dir: string): string {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) throw new Error(`the Go toolchain is missing (go version: ${version.error?.message ?? version.stderr}); ${INSTALL_HINT}`);
  if (!existsSync(join(DEBIAN_GOCODE, 'src/golang.org/x/mod/sumdb/note'))) throw new Error(`golang.org/x/mod is not in ${DEBIAN_GOCODE}; ${INSTALL_HINT}`);
  const binary = join(dir, 'go-verifier');
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: `${join(dir, 'gopath')}:${DEBIAN_GOCODE}`,
    GOCACHE: join(dir, 'cache'),
    GOPROXY: 'off',
    GOFLAGS: '',
    CGO_ENABLED: '0',
  };
  const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: SOURCE, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`go build of ${SOURCE} failed:\n${build.stderr}`);
  return binary;
}

/** Runs the Go verifier on one request. */
function goVerify(request: GoRequest): GoAnswer {
  const run = spawnSync(verifier, [], { input: JSON.stringify(request), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`go-verifier exited ${run.status ?? run.signal}: ${run.stderr}`);
  return JSON.parse(run.stdout) as GoAnswer;
}

/** The names of the checks Go refused. */
function refused(answer: GoAnswer): string[] {
  return answer.verdicts.filter((verdict) => !verdict.ok).map((verdict) => verdict.check);
}

const log = new SampleLog();
const OLD_SIZE = 5;
const SIZE = log.size;
const [FIRST_WITNESS, SECOND_WITNESS] = WITNESSES;

function request(bundle: BundleV2, extra: Partial<GoRequest> = {}): GoRequest {
  return { logKey: log.logKey, cosignerKeys: log.cosignerKeys, bundle, ...extra };
}

/** Anna's bundle: a v1 leaf, then v2 leaves, and the consistency proof from the older checkpoint. */
function annasRequest(): GoRequest {
  return request(log.bundle('anna', SIZE), { consistency: { from: log.checkpoint(OLD_SIZE), proof: log.consistencyProof(OLD_SIZE, SIZE) } });
}

/** Cecilia's bundle with the map proof that it holds all her events (all v2). */
function ceciliasRequest(): GoRequest {
  return request(log.bundle('cecilia', SIZE, { complete: true }));
}

/** The note with `name`'s signature line replaced by what `change` makes of its decoded bytes. */
function withSignatureBytes(note: string, name: string, change: (bytes: Buffer) => Buffer): string {
  const prefix = `\u2014 ${name} `;
  return note
    .split('\n')
    .map((line) => (line.startsWith(prefix) ? prefix + change(Buffer.from(line.slice(prefix.length), 'base64')).toString('base64') : line))
    .join('\n');
}

function signatureLineOf(note: string, name: string): string {
  const line = note.split('\n').find((text) => text.startsWith(`\u2014 ${name} `));
  if (!line) throw new Error(`no signature by ${name} on the note`);
  return line;
}

describe('a verifier Silta did not write (Go: x/mod sumdb/note and tlog, crypto/ed25519) checks Silta\'s audit log', () => {
  it('accepts a genuine checkpoint, both cosignatures, v1 and v2 leaves with their inclusion proofs, and consistency with an older checkpoint', () => {
    const answer = goVerify(annasRequest());

    expect(answer.verdicts.map((verdict) => verdict.check)).toEqual([
      'format',
      'checkpoint',
      `cosignature ${FIRST_WITNESS}`,
      `cosignature ${SECOND_WITNESS}`,
      'events[0]',
      'events[1]',
      'events[2]',
      'consistency',
    ]);
    expect(refused(answer)).toEqual([]);
    expect(answer.accepted).toBe(true);
    // x/mod's note.Open verified the log's signature and passed over the two cosignature lines.
    expect(answer.verdicts[1]!.detail).toBe(`signed by ${ORIGIN}; size ${SIZE}; map line true; 2 signatures by other keys ignored by note.Open`);
  });

  it('accepts a complete bundle: the map proof of the student\'s entry and the chain of her v2 events', () => {
    const answer = goVerify(ceciliasRequest());

    expect(answer.verdicts.map((verdict) => verdict.check)).toContain('completeness');
    expect(refused(answer)).toEqual([]);
  });

  it('accepts map proofs that a student has no events, both where the path ends empty and where it ends at another student\'s leaf', () => {
    const map = log.mapAt(SIZE);
    const absent = Array.from({ length: 64 }, (_, i) => `nobody-${i}`);
    const endingAtLeaf = absent.find((student) => map.prove(streamOf(student)).terminal);
    const endingEmpty = absent.find((student) => !map.prove(streamOf(student)).terminal);
    expect([endingAtLeaf, endingEmpty]).not.toContain(undefined);

    for (const student of [endingAtLeaf!, endingEmpty!]) {
      const bundle = log.bundle(student, SIZE, { complete: true });
      expect(bundle.events).toEqual([]);
      expect(bundle.completeness!.entry).toBeNull();
      expect(refused(goVerify(request(bundle)))).toEqual([]);
    }
  });

  describe('refuses each tampering, in the one check it breaks', () => {
    const v2Event = 1; // anna's second event: leaf 2, a v2 leaf
    const tamperings: [string, (event: BundleV2['events'][number]) => object][] = [
      ['stream', (event) => ({ ...event, streamId: streamOf('bertil') })],
      ['id', (event) => ({ ...event, id: '00000000-0000-4000-8000-999999999999' })],
      ['revision', (event) => ({ ...event, revision: event.revision + 1 })],
      ['previous', (event) => ({ ...event, previous: null })],
      ['data', (event) => ({ ...event, data: { ...(event.data as object), note: 'a&b <d>' } })],
    ];

    it.each(tamperings)('a v2 leaf with a changed %s', (_field, change) => {
      const genuine = annasRequest();
      const events = genuine.bundle.events.map((event, i) => (i === v2Event ? change(event) : event)) as BundleV2['events'];

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, events } }))).toEqual([`events[${v2Event}]`]);
    });

    it('a v1 leaf with changed data', () => {
      const genuine = annasRequest();
      const events = genuine.bundle.events.map((event, i) => (i === 0 ? { ...event, data: { ...(event.data as object), outcome: 'refused' } } : event));

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, events } }))).toEqual(['events[0]']);
    });

    it('an inclusion proof of another leaf', () => {
      const genuine = annasRequest();
      const events = genuine.bundle.events.map((event, i) => (i === v2Event ? { ...event, proof: log.inclusionProof(event.leafIndex + 1, SIZE) } : event));

      const answer = goVerify({ ...genuine, bundle: { ...genuine.bundle, events } });
      expect(refused(answer)).toEqual([`events[${v2Event}]`]);
      expect(answer.verdicts.find((verdict) => verdict.check === `events[${v2Event}]`)!.detail).toContain('is not in the tree of size');
    });

    it('a consistency proof between the wrong sizes', () => {
      const genuine = annasRequest();
      const consistency = { from: log.checkpoint(OLD_SIZE), proof: log.consistencyProof(OLD_SIZE - 1, SIZE) };

      expect(refused(goVerify({ ...genuine, consistency }))).toEqual(['consistency']);
    });

    it('a cosignature moved from another checkpoint', () => {
      const genuine = annasRequest();
      const moved = signatureLineOf(log.checkpoint(OLD_SIZE), FIRST_WITNESS);
      const checkpoint = genuine.bundle.checkpoint.replace(signatureLineOf(genuine.bundle.checkpoint, FIRST_WITNESS), moved);
      expect(checkpoint).not.toBe(genuine.bundle.checkpoint);

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, checkpoint } }))).toEqual([`cosignature ${FIRST_WITNESS}`]);
    });

    it('a cosignature with a changed timestamp', () => {
      const genuine = annasRequest();
      const checkpoint = withSignatureBytes(genuine.bundle.checkpoint, SECOND_WITNESS, (bytes) => {
        const changed = Buffer.from(bytes);
        changed.writeBigUInt64BE(bytes.readBigUInt64BE(4) + 1n, 4);
        return changed;
      });

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, checkpoint } }))).toEqual([`cosignature ${SECOND_WITNESS}`]);
    });

    it('a map proof for another student', () => {
      const genuine = ceciliasRequest();
      const completeness = { ...genuine.bundle.completeness!, proof: log.completeness(streamOf('daniel'), SIZE).proof };

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, completeness } }))).toEqual(['completeness']);
    });

    it('a map proof against another checkpoint\'s map root (an older entry hiding the student\'s later events)', () => {
      const genuine = ceciliasRequest();
      const older = log.completeness(streamOf('cecilia'), OLD_SIZE);
      const events = genuine.bundle.events.filter((event) => event.leafIndex < OLD_SIZE);
      expect(older.entry).toEqual({ latest: events.at(-1)!.leafIndex, count: events.length });

      expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, events, completeness: older } }))).toEqual(['completeness']);
    });

    it('a checkpoint signed by another key, under the log\'s name or another', () => {
      const genuine = annasRequest();
      for (const name of [ORIGIN, 'silta.test/impostor']) {
        const checkpoint = log.checkpoint(SIZE, generateSignerKey(name));

        expect(refused(goVerify({ ...genuine, bundle: { ...genuine.bundle, checkpoint } }))).toEqual(['checkpoint']);
      }
    });
  });
});
