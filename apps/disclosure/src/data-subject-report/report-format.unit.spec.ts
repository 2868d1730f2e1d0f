import { parseCsv } from '@silta/testing';
import { LANGUAGES, RIGHT_OF_ACCESS, explainReason, legalSourceOf } from '@silta/decision';
import {
  CSV_COLUMNS,
  REPORT_LABELS,
  completenessStatement,
  csvField,
  escapeHtml,
  reportFormat,
  reportPeriod,
  reportToCsv,
  reportToHtml,
  type DataSubjectReport,
  type ReportCompleteness,
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

const ORIGIN = 'silta.test/municipality';
const NOTE = `${ORIGIN}\n42\nAAAA\nsilta-student-map/v1 BBBB\n\n— ${ORIGIN} <sig>\n`;

/** The student's own report, complete: its audit stream holds the three events the checkpoint commits to. */
const complete: ReportCompleteness = {
  complete: true,
  checkpoint: { origin: ORIGIN, size: 42, note: NOTE },
  missingDisclosures: [],
  auditTrailIntact: true,
  auditEvents: { inCheckpoint: 3, found: 3, notYetCheckpointed: 0 },
};

const report = (entries: ReportEntry[], completeness: ReportCompleteness = complete): DataSubjectReport => ({
  studentId: 'student-1',
  period: { from: '2024-03-01T12:00:00.000Z', to: '2026-03-01T12:00:00.000Z' },
  generatedAt: '2026-03-01T12:00:00.000Z',
  source: RIGHT_OF_ACCESS.text.en,
  count: entries.length,
  entries,
  completeness,
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
      'en',
    );
    expect(csv.split('\r\n')).toHaveLength(5); // header, two rows, the completeness line, and the empty tail after the last CRLF
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
    const rows = parseCsv(reportToCsv(report([entry({ purpose })]), 'en'));
    expect(rows).toHaveLength(3);
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
    const rows = parseCsv(reportToCsv(report([entry({ purpose: '=cmd|"/c calc"!A1', caseId: '@case' })]), 'en'));
    expect(rows[1]![CSV_COLUMNS.indexOf('purpose')]).toBe(`'=cmd|"/c calc"!A1`);
    expect(rows[1]![CSV_COLUMNS.indexOf('caseId')]).toBe(`'@case`);
  });

  it('leaves fields that merely contain those characters, and ISO dates, as they are', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('curator@example.invalid')).toBe('curator@example.invalid');
    expect(csvField('2026-02-10T09:00:00.000Z')).toBe('2026-02-10T09:00:00.000Z');
    expect(csvField('')).toBe('');
  });

  it('is the header and the completeness line for an empty report', () => {
    expect(parseCsv(reportToCsv(report([]), 'en'))).toEqual([[...CSV_COLUMNS], [completenessStatement(complete, 'en').join(' ')]]);
  });
});

describe('the completeness statement', () => {
  const missing: ReportCompleteness = { ...complete, complete: false, missingDisclosures: ['d-7', 'd-9'] };
  const shortStream: ReportCompleteness = { ...complete, complete: false, auditTrailIntact: false, auditEvents: { inCheckpoint: 5, found: 4, notYetCheckpointed: 2 } };
  /** A guardian's report carries no counts of the stream (it holds decisions the guardian is not shown). */
  const { auditEvents: _counts, ...guardians } = shortStream;

  it('says, in each language, complete or not and against which checkpoint, as the CSV\'s last line', () => {
    const said = LANGUAGES.map((lang) => ({ lang, complete: completenessStatement(complete, lang), incomplete: completenessStatement(missing, lang) }));
    for (const { complete: yes, incomplete: no } of said) {
      expect(yes).toHaveLength(1);
      expect(yes[0]).toContain(ORIGIN);
      expect(yes[0]).toContain('42');
      expect(no[0]).toContain(ORIGIN);
      expect(no[0]).not.toBe(yes[0]);
    }
    expect(said.map(({ complete: yes }) => yes[0]!.split(':')[0])).toEqual(['Täydellinen', 'Fullständig', 'Complete']);
    expect(said.map(({ incomplete: no }) => no[0]!.split(':')[0])).toEqual(['Puutteellinen', 'Ofullständig', 'Incomplete']);
    const rows = parseCsv(reportToCsv(report([entry()], missing), 'sv'));
    expect(rows[rows.length - 1]).toEqual([completenessStatement(missing, 'sv').join(' ')]);
  });

  it('says, while the log has no signed checkpoint, that completeness cannot be proven yet, and shows no checkpoint', () => {
    const unproven: ReportCompleteness = { ...complete, complete: false, auditTrailIntact: false, checkpoint: null };
    expect(LANGUAGES.map((lang) => completenessStatement(unproven, lang))).toEqual([
      ['Täydellisyyttä ei voi vielä todentaa: lokista ei ole vielä allekirjoitettu tarkistuspistettä.'],
      ['Fullständigheten kan ännu inte bevisas: ingen kontrollpunkt av loggen har signerats än.'],
      ['Completeness cannot be proven yet: no checkpoint of the audit log has been signed.'],
    ]);
    expect(reportToHtml(report([]), 'en')).toContain('signed checkpoint</h3>');
    expect(reportToHtml(report([], unproven), 'en')).not.toContain('signed checkpoint</h3>');
  });

  it('names the disclosures the report lacks', () => {
    expect(completenessStatement(missing, 'en')[1]).toBe('Decisions the audit log records that this report lacks: d-7, d-9.');
    expect(completenessStatement(missing, 'fi')[1]).toMatch(/: d-7, d-9\.$/);
  });

  it("gives the student the counts of a stream that falls short of its checkpoint, and the events after it", () => {
    expect(completenessStatement(shortStream, 'en')).toEqual([
      `Incomplete: checked against the signed checkpoint of audit log ${ORIGIN} at size 42.`,
      'The audit log holds 5 events about the student up to the checkpoint; 4 were found.',
      'Events recorded after the checkpoint and not yet covered by one: 2.',
    ]);
  });

  it('states a guardian\'s report short of its checkpoint without a number', () => {
    for (const lang of LANGUAGES) {
      const said = completenessStatement(guardians, lang);
      expect(said).toHaveLength(2);
      expect(said.join(' ').replace(ORIGIN, '').replace('42', '')).not.toMatch(/\d/);
    }
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

  it('states the completeness in a section of its own, in the page\'s language, with the signed checkpoint to check it by', () => {
    const html = reportToHtml(report([entry()], { ...complete, complete: false, missingDisclosures: ['d-<7>'] }), 'fi');
    expect(html).toContain(`<h2>${escapeHtml(REPORT_LABELS.fi.completeness)}</h2>`);
    expect(html).toContain(`<p>Puutteellinen: tarkistettu lokin ${ORIGIN} allekirjoitettua tarkistuspistettä (koko 42) vasten.</p>`);
    expect(html).toContain('d-&lt;7&gt;');
    expect(html).toContain(`<pre>${escapeHtml(NOTE)}</pre>`);
  });

  it('shows the header and says so when the period holds no decisions', () => {
    const html = reportToHtml(report([]), 'fi');
    expect(html).toContain('student-1');
    expect(html).toContain('2024-03-01T12:00:00.000Z');
    expect(html).toContain(REPORT_LABELS.fi.none);
    expect(html).not.toContain('<table>');
  });
});
