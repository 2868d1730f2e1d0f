import { historyWriter, tableWidths, type HistoryFormat } from './history-format';
import type { HistoryRow } from './replay';

const decided: HistoryRow = {
  position: '3',
  time: '2025-01-09T10:00:00.000Z',
  type: 'DisclosureDecided',
  requester: 'curator welfare-area:demo',
  basis: 'consent',
  outcome: 'partial',
  categories: 'absences:permit(consent_given) grades:deny(no_consent)',
  replay: 'same',
};
const received: HistoryRow = {
  position: '7',
  time: '2025-01-09T11:00:00.000Z',
  type: 'DisclosureReceived',
  requester: 'receiver curator welfare-area:demo',
  basis: '',
  outcome: 'received',
  categories: 'absences:received',
  replay: 'not re-run',
};

async function* rowsOf(rows: readonly HistoryRow[]): AsyncGenerator<HistoryRow> {
  yield* rows;
}

/** Everything a writer of `format` writes for `rows`, and how many writes it took. */
async function written(format: HistoryFormat, rows: readonly HistoryRow[]): Promise<{ text: string; writes: number }> {
  let text = '';
  let writes = 0;
  const widths = format === 'table' ? await tableWidths(rowsOf(rows)) : undefined;
  const writer = historyWriter(format, (chunk) => ((text += chunk), writes++), widths);
  for (const row of rows) writer.row(row);
  writer.end();
  return { text, writes };
}

describe('replay output, written a row at a time', () => {
  it('lines a table up under its widest cells, the last column unpadded', async () => {
    expect((await written('table', [decided, received])).text).toBe(
      [
        'time                      type                requester                           basis    outcome   categories                                              replay',
        '------------------------  ------------------  ----------------------------------  -------  --------  ------------------------------------------------------  ----------',
        '2025-01-09T10:00:00.000Z  DisclosureDecided   curator welfare-area:demo           consent  partial   absences:permit(consent_given) grades:deny(no_consent)  same',
        '2025-01-09T11:00:00.000Z  DisclosureReceived  receiver curator welfare-area:demo           received  absences:received                                       not re-run',
        '',
      ].join('\n'),
    );
    expect((await written('table', [])).text).toBe('time  type  requester  basis  outcome  categories  replay\n----  ----  ---------  -----  -------  ----------  ------\n');
  });

  it('writes json that parses to the rows, in the layout of JSON.stringify(rows, null, 2)', async () => {
    for (const rows of [[], [decided], [decided, received]]) {
      const { text } = await written('json', rows);
      expect(JSON.parse(text)).toEqual(rows);
      expect(text).toBe(`${JSON.stringify(rows, null, 2)}\n`);
    }
  });

  it('quotes csv cells that hold a comma, a quote or a line break', async () => {
    const odd = { ...received, requester: 'receiver "x", y', categories: 'a\nb' };
    expect((await written('csv', [odd])).text).toBe(
      'time,type,requester,basis,outcome,categories,replay\r\n2025-01-09T11:00:00.000Z,DisclosureReceived,"receiver ""x"", y",,received,"a\nb",not re-run\r\n',
    );
  });

  it('hands output on in large chunks, not a write per row', async () => {
    const { text, writes } = await written('csv', Array.from({ length: 2000 }, () => decided));
    expect(text.split('\r\n')).toHaveLength(2002);
    expect(writes).toBeLessThan(10);
  });
});
