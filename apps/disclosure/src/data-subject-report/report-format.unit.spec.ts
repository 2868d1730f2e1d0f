import { parseCsv } from '@silta/testing';
import { LANGUAGES, RIGHT_OF_ACCESS, explainReason, legalSourceOf } from '@silta/decision';
import {
  CSV_COLUMNS,
  REPORT_LABELS,
  csvField,
  escapeHtml,
  reportFormat,
  reportPeriod,
  reportToCsv,
  reportToHtml,
  type DataSubjectReport,
  type ReportEntry,
} from './report-format';

const entry = (overrides: Partial<ReportEntry> = {}): ReportEntry => ({
  disclosureId: 'd-1',
  decidedAt: '2026-02-10T09:00:00.000Z',
  recipient: { role: 'curator', organisation: 'welfare-area:itu-uusimaa', professionalId: 'curator-1' },
  basis: 'consent',
  purpose: 'student welfare assessment',
  caseId: null,
  outcome: 'partial',
  released: ['absences', 'grades'],
  refused: ['support_needs'],
  reasons: [
    { category: 'absences', outcome: 'permit', reason: 'consent_given', message: explainReason('consent_given', 'en'), source: legalSourceOf('consent_given', 'en', 'curator') },
    { category: 'grades', outcome: 'permit', reason: 'consent_given', message: explainReason('consent_given', 'en'), source: legalSourceOf('consent_given', 'en', 'curator') },
    { category: 'support_needs', outcome: 'deny', reason: 'not_in_profession_set', message: explainReason('not_in_profession_set', 'en'), source: legalSourceOf('not_in_profession_set', 'en', 'curator') },
  ],
  ...overrides,
});

const report = (entries: ReportEntry[]): DataSubjectReport => ({
  studentId: 'student-1',
  period: { from: '2024-03-01T12:00:00.000Z', to: '2026-03-01T12:00:00.000Z' },
  generatedAt: '2026-03-01T12:00:00.000Z',
  source: RIGHT_OF_ACCESS.text.en,
  count: entries.length,
  entries,
});


describe('the report period', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('covers the last two years up to now by default', () => {
    expect(reportPeriod({}, now)).toEqual({ from: '2024-03-01T12:00:00.000Z', to: '2026-03-01T12:00:00.000Z' });
  });

  it('counts calendar years, and from a leap day reaches back to 28 February', () => {
    expect(reportPeriod({}, new Date('2026-02-28T08:00:00Z'))!.from).toBe('2024-02-28T08:00:00.000Z');
    expect(reportPeriod({}, new Date('2028-02-29T08:00:00Z'))!.from).toBe('2026-02-28T08:00:00.000Z');
  });

  it('reaches two years back from an explicit end, and normalises offsets to UTC', () => {
    expect(reportPeriod({ to: '2025-06-30T23:59:59+03:00' }, now)).toEqual({ from: '2023-06-30T20:59:59.000Z', to: '2025-06-30T20:59:59.000Z' });
    expect(reportPeriod({ from: '2025-01-01T00:00:00Z' }, now)).toEqual({ from: '2025-01-01T00:00:00.000Z', to: '2026-03-01T12:00:00.000Z' });
  });

  it('treats a start in the future as an empty period, and refuses an explicit inverted one', () => {
    expect(reportPeriod({ from: '2030-01-01T00:00:00Z' }, now)).toEqual({ from: '2030-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' });
    expect(reportPeriod({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, now)).toBeUndefined();
  });
});

describe('choosing the format', () => {
  it('follows an explicit format over Accept', () => {
    expect(reportFormat('csv', 'text/html')).toBe('csv');
  });

  it('honours Accept when no format is named, by q-value then order', () => {
    expect(reportFormat(undefined, undefined)).toBe('json');
    expect(reportFormat(undefined, '*/*')).toBe('json');
    expect(reportFormat(undefined, 'text/csv')).toBe('csv');
    expect(reportFormat(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe('html');
    expect(reportFormat(undefined, 'text/html;q=0.5, text/csv')).toBe('csv');
    expect(reportFormat(undefined, 'text/csv;q=0, application/json')).toBe('json');
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes only fields holding a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('writes a header row and one CRLF-terminated row per entry, categories joined with ;', () => {
    const csv = reportToCsv(
      report([
        entry(),
        entry({
          disclosureId: 'd-2',
          caseId: 'case-7',
          released: ['identification'],
          refused: [],
          outcome: 'permit',
          reasons: [{ category: 'identification', outcome: 'permit', reason: 'identification_data', message: 'm', source: 'OPH' }],
        }),
      ]),
    );
    expect(csv.split('\r\n')).toHaveLength(4); // header, two rows, and the empty tail after the last CRLF
    const [header, first, second] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(first).toEqual([
      '2026-02-10T09:00:00.000Z',
      'curator',
      'welfare-area:itu-uusimaa',
      'curator-1',
      'consent',
      'student welfare assessment',
      '',
      'absences;grades',
      'support_needs',
      'partial',
      'd-1',
      'absences:consent_given;grades:consent_given;support_needs:not_in_profession_set',
      `${legalSourceOf('consent_given', 'en', 'curator')} | ${legalSourceOf('not_in_profession_set', 'en', 'curator')}`,
    ]);
    expect(second).toMatchObject({ 6: 'case-7', 7: 'identification', 8: '', 9: 'permit', 11: 'identification:identification_data', 12: 'OPH' });
  });

  it('reads back a purpose with commas, quotes and line breaks unchanged', () => {
    const purpose = 'follow-up, "urgent"\r\nsecond line';
    const rows = parseCsv(reportToCsv(report([entry({ purpose })])));
    expect(rows).toHaveLength(2);
    expect(rows[1]![CSV_COLUMNS.indexOf('purpose')]).toBe(purpose);
  });

  it('neutralises formula prefixes (OWASP CSV injection): = + - @ tab and CR at the start of a field', () => {
    for (const formula of ['=HYPERLINK("http://evil.example","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1']) {
      const field = csvField(formula);
      // Read back as a spreadsheet would: the cell's text starts with a quote, never with the formula character.
      const [[cell]] = parseCsv(`${field}\r\n`) as string[][];
      expect({ formula, cell: cell![0] }).toEqual({ formula, cell: "'" });
      expect(cell).toBe(`'${formula}`);
    }
    const rows = parseCsv(reportToCsv(report([entry({ purpose: '=cmd|"/c calc"!A1', caseId: '@case' })])));
    expect(rows[1]![CSV_COLUMNS.indexOf('purpose')]).toBe(`'=cmd|"/c calc"!A1`);
    expect(rows[1]![CSV_COLUMNS.indexOf('caseId')]).toBe(`'@case`);
  });

  it('leaves fields that merely contain those characters, and ISO dates, as they are', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('curator@example.invalid')).toBe('curator@example.invalid');
    expect(csvField('2026-02-10T09:00:00.000Z')).toBe('2026-02-10T09:00:00.000Z');
    expect(csvField('')).toBe('');
  });

  it('is just the header for an empty report', () => {
    expect(reportToCsv(report([]))).toBe(CSV_COLUMNS.join(',') + '\r\n');
  });
});

describe('the printable HTML page', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes every interpolated value, so a purpose cannot inject markup', () => {
    const html = reportToHtml(
      report([entry({ purpose: '<script>alert(1)</script>', caseId: '"><img src=x onerror=alert(2)>', recipient: { role: 'curator', organisation: '<b>o</b>', professionalId: 'p&q' } })]),
      'en',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>o</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('p&amp;q');
  });

  it("shows each category's reason with its message and legal source, and the right the report rests on", () => {
    const html = reportToHtml(report([entry()]), 'en');
    expect(html).toContain(`<th scope="col">${REPORT_LABELS.en.reasons}</th>`);
    expect(html).toContain(`support_needs: ${escapeHtml(explainReason('not_in_profession_set', 'en'))} (${escapeHtml(legalSourceOf('not_in_profession_set', 'en', 'curator'))})`);
    expect(html).toContain(escapeHtml(legalSourceOf('consent_given', 'en', 'curator')));
    expect(html).toContain(`<dt>${REPORT_LABELS.en.source}</dt><dd>${escapeHtml(RIGHT_OF_ACCESS.text.en)}</dd>`);
  });

  it('is self-contained and printable', () => {
    const html = reportToHtml(report([entry()]), 'en');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<link|<script|src=/);
  });

  it.each(LANGUAGES.map((lang) => [lang]))('is labelled in %s, with the lang attribute to match', (lang) => {
    const html = reportToHtml(report([entry()]), lang);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain(`<h1>${escapeHtml(REPORT_LABELS[lang].title)}</h1>`);
    expect(html).toContain(`<th scope="col">${escapeHtml(REPORT_LABELS[lang].released)}</th>`);
  });

  it('has a distinct label for every heading in every language', () => {
    for (const lang of LANGUAGES) {
      const labels = Object.values(REPORT_LABELS[lang]);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(REPORT_LABELS.fi.title).not.toBe(REPORT_LABELS.sv.title);
    expect(REPORT_LABELS.sv.title).not.toBe(REPORT_LABELS.en.title);
  });

  it('shows the header and says so when the period holds no decisions', () => {
    const html = reportToHtml(report([]), 'fi');
    expect(html).toContain('student-1');
    expect(html).toContain('2024-03-01T12:00:00.000Z');
    expect(html).toContain(REPORT_LABELS.fi.none);
    expect(html).not.toContain('<table>');
  });
});
