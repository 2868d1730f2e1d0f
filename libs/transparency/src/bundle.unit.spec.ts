import { MalformedBundleError, parseBundle } from './index';

const event = { leafIndex: 3, streamId: 'audit-s-1', type: 'DisclosureDecided', data: { a: 1 }, leafHash: 'ab', proof: ['AA=='] };
const bundle = { origin: 'silta.example/audit', verifierKey: 'k+1+AA', checkpoint: 'note', events: [event] };

describe('parseBundle', () => {
  it('answers a well-formed bundle as it is', () => {
    expect(parseBundle(JSON.stringify(bundle), 'b.json')).toEqual(bundle);
  });

  it.each([
    ['not JSON', '{', 'bundle b.json: $: expected a member name in double quotes, found the end of the text (line 1, column 2)'],
    ['a repeated member', '{"origin":"a","origin":"b"}', 'bundle b.json: $: duplicate member name "origin"'],
    ['a v2 event without its id', JSON.stringify({ ...bundle, events: [{ ...event, leafVersion: 2, revision: 0, previous: null }] }), 'events[0].id is not a string (a v2 leaf hashes it)'],
    ['another format', JSON.stringify({ ...bundle, format: 'x' }), 'format "x" is not silta-audit-bundle/v2'],
    ['a completeness claim without a proof', JSON.stringify({ ...bundle, completeness: { stream: 'audit-s-1', entry: null } }), 'completeness.proof.siblings is not an array'],
    ['not an object', '42', 'bundle b.json is not a JSON object'],
    ['a missing checkpoint', JSON.stringify({ ...bundle, checkpoint: undefined }), 'bundle b.json: checkpoint is not a string'],
    ['events not a list', JSON.stringify({ ...bundle, events: {} }), 'bundle b.json: events is not an array'],
    ['a negative leaf index', JSON.stringify({ ...bundle, events: [{ ...event, leafIndex: -1 }] }), 'events[0].leafIndex is not a whole number'],
    ['an event without data', JSON.stringify({ ...bundle, events: [{ ...event, data: undefined }] }), 'events[0] has no data'],
    ['a proof of numbers', JSON.stringify({ ...bundle, events: [{ ...event, proof: [1] }] }), 'events[0].proof is not an array of base64 hashes'],
  ])('names what is wrong with %s', (_case, text, message) => {
    let thrown: unknown;
    try {
      parseBundle(text, 'b.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MalformedBundleError);
    expect((thrown as MalformedBundleError).code).toBe('malformed_bundle');
    expect((thrown as Error).message).toContain(message);
  });
});
