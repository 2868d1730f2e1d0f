import type { Language } from '@silta/decision';

// The data-subject report (the data subject's right to learn the recipients of their data, GDPR
// art. 15(1)(c)) as plain data, and its CSV and HTML renderings.
// Pure functions: no Nest, no database; time comes in as an argument.

/** One decision about the student: who asked, on what basis, and what they did and did not receive. */
export interface ReportEntry {
  readonly disclosureId: string;
  readonly decidedAt: string;
  readonly recipient: { readonly role: string; readonly organisation: string; readonly professionalId: string };
  readonly basis: string;
  readonly purpose: string;
  readonly caseId: string | null;
  readonly outcome: string;
  /** Categories released to the recipient. */
  readonly released: readonly string[];
  /** Categories asked for and refused. */
  readonly refused: readonly string[];
  /** Why, per category: the reason code, its message and its legal source, in the report's language. */
  readonly reasons: readonly ReportReason[];
}

export interface ReportReason {
  readonly category: string;
  readonly outcome: string;
  readonly reason: string;
  readonly message: string;
  /** The reason's legal source: a statute section, OPH's guidance, or the municipality's policy or Silta's own rule, named as such. */
  readonly source: string;
}

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
}

/**
 * Whether the report lists every decision the audit log records for it, proven against a signed
 * checkpoint of that log (report-completeness.ts).
 */
export interface ReportCompleteness {
  /** No decision the report owes its reader is missing, and the student's audit trail is intact. */
  readonly complete: boolean;
  /** The signed checkpoint (C2SP signed note) the statement is proven against; null while the log has none. */
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly note: string } | null;
  /** Decisions the audit log records, in the period and the reader's view, that the report lacks. */
  readonly missingDisclosures: readonly string[];
  /** The student's audit events up to the checkpoint are exactly those its completeness map commits to: as many, each chained to the one before. */
  readonly auditTrailIntact: boolean;
  /**
   * The student's own report only (a guardian's or an auditor's leaves decisions out on purpose, and
   * counts would reveal them): the events the checkpoint commits to, those found, and those after it.
   */
  readonly auditEvents?: { readonly inCheckpoint: number; readonly found: number; readonly notYetCheckpointed: number };
}

export interface DataSubjectReport {
  readonly studentId: string;
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  /** The source of the data subject's right to this report (GDPR art. 15(1)(c)), in the report's language. */
  readonly source: string;
  readonly count: number;
  readonly entries: readonly ReportEntry[];
  readonly completeness: ReportCompleteness;
}

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How far back the report reaches when the caller names no start: the last two years. */
export const DEFAULT_REPORT_YEARS = 2;

/**
 * The period to report, as ISO instants. `to` defaults to now (or to `from`, when `from` lies
 * later: a period starting in the future is empty, not an error); `from` defaults to two calendar
 * years before `to`. Undefined when both are given and `from` is after `to`.
 */
export function reportPeriod(requested: { from?: string; to?: string }, now: Date): ReportPeriod | undefined {
  const from = requested.from ? new Date(requested.from) : undefined;
  const explicitTo = requested.to ? new Date(requested.to) : undefined;
  if (from && explicitTo && from > explicitTo) return undefined;
  const to = explicitTo ?? (from && from > now ? from : now);
  const start = from ?? yearsBefore(to, DEFAULT_REPORT_YEARS);
  return { from: start.toISOString(), to: to.toISOString() };
}

function yearsBefore(instant: Date, years: number): Date {
  const earlier = new Date(instant.getTime());
  earlier.setUTCFullYear(earlier.getUTCFullYear() - years);
  // From 29 February into a common year: 28 February (the longer period), not 1 March.
  if (earlier.getUTCMonth() !== instant.getUTCMonth()) earlier.setUTCDate(0);
  return earlier;
}

/**
 * The format to answer in: `format` when given, else the best of text/csv, text/html and
 * application/json that `Accept` names (by q-value, then order); JSON when nothing matches.
 */
export function reportFormat(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format) return format;
  const byType: Record<string, ReportFormat> = { 'text/csv': 'csv', 'text/html': 'html', 'application/json': 'json' };
  const ranked = (accept ?? '')
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.map((p) => /^q\s*=\s*([01](\.\d{0,3})?)$/.exec(p)).find(Boolean);
      return { format: byType[type ?? ''], q: q ? Number(q[1]) : 1, index };
    })
    .filter((r): r is { format: ReportFormat; q: number; index: number } => r.format !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.format ?? 'json';
}

export const CSV_COLUMNS = [
  'decidedAt',
  'recipientRole',
  'recipientOrganisation',
  'recipientProfessionalId',
  'basis',
  'purpose',
  'caseId',
  'released',
  'refused',
  'outcome',
  'disclosureId',
  'reasons',
  'sources',
] as const;

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted (with quotes doubled) when it holds a comma, quote, CR or LF. A field
 * starting with `= + - @`, a tab or a CR is prefixed with `'`, so a spreadsheet shows it as text
 * instead of running it as a formula (OWASP's CSV injection guidance).
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180: a header row, one row per entry, CRLF line ends; categories joined with `;`. `reasons`
 * holds `category:reason` per category joined with `;`; `sources` the distinct legal sources of
 * those reasons joined with ` | ` (a source may hold `;` or `,`). The last line, one field, states
 * the report's completeness in `lang` (completenessStatement).
 */
export function reportToCsv(report: DataSubjectReport, lang: Language): string {
  const rows = report.entries.map((e) => [
    e.decidedAt,
    e.recipient.role,
    e.recipient.organisation,
    e.recipient.professionalId,
    e.basis,
    e.purpose,
    e.caseId ?? '',
    e.released.join(';'),
    e.refused.join(';'),
    e.outcome,
    e.disclosureId,
    e.reasons.map((r) => `${r.category}:${r.reason}`).join(';'),
    distinctSources(e).join(' | '),
  ]);
  const completeness = [completenessStatement(report.completeness, lang).join(' ')];
  return [[...CSV_COLUMNS], ...rows, completeness].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** The legal sources of an entry's reasons, each once, in the order first given. */
export function distinctSources(entry: ReportEntry): string[] {
  return [...new Set(entry.reasons.map((r) => r.source))];
}

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface ReportLabels {
  readonly title: string;
  readonly student: string;
  readonly period: string;
  readonly generatedAt: string;
  readonly count: string;
  readonly decidedAt: string;
  readonly recipient: string;
  readonly basis: string;
  readonly purpose: string;
  readonly caseId: string;
  readonly released: string;
  readonly refused: string;
  readonly outcome: string;
  readonly disclosureId: string;
  readonly reasons: string;
  readonly source: string;
  readonly none: string;
  readonly completeness: string;
  readonly checkpoint: string;
}

/** The page's headings in each of our languages. */
export const REPORT_LABELS: { readonly [lang in Language]: ReportLabels } = {
  fi: {
    title: 'Selvitys tietojen luovutuksista',
    student: 'Oppilas',
    period: 'Ajanjakso',
    generatedAt: 'Laadittu',
    count: 'Luovutuspäätöksiä',
    decidedAt: 'Päätetty',
    recipient: 'Vastaanottaja',
    basis: 'Peruste',
    purpose: 'Käyttötarkoitus',
    caseId: 'Asia',
    released: 'Luovutetut tiedot',
    refused: 'Evätyt tiedot',
    outcome: 'Tulos',
    disclosureId: 'Tunniste',
    reasons: 'Perusteet ja oikeuslähteet',
    source: 'Oikeus tähän selvitykseen',
    none: 'Ajanjaksolla ei ole luovutuspäätöksiä.',
    completeness: 'Selvityksen täydellisyys',
    checkpoint: 'Lokin allekirjoitettu tarkistuspiste',
  },
  sv: {
    title: 'Redogörelse för utlämnanden av uppgifter',
    student: 'Elev',
    period: 'Period',
    generatedAt: 'Upprättad',
    count: 'Beslut om utlämnande',
    decidedAt: 'Beslutad',
    recipient: 'Mottagare',
    basis: 'Grund',
    purpose: 'Ändamål',
    caseId: 'Ärende',
    released: 'Utlämnade uppgifter',
    refused: 'Nekade uppgifter',
    outcome: 'Utfall',
    disclosureId: 'Identifierare',
    reasons: 'Skäl och rättskällor',
    source: 'Rätt till denna redogörelse',
    none: 'Inga beslut om utlämnande under perioden.',
    completeness: 'Redogörelsens fullständighet',
    checkpoint: 'Loggens signerade kontrollpunkt',
  },
  en: {
    title: 'Report of disclosures of personal data',
    student: 'Student',
    period: 'Period',
    generatedAt: 'Generated',
    count: 'Disclosure decisions',
    decidedAt: 'Decided',
    recipient: 'Recipient',
    basis: 'Basis',
    purpose: 'Purpose',
    caseId: 'Case',
    released: 'Released',
    refused: 'Refused',
    outcome: 'Outcome',
    disclosureId: 'Identifier',
    reasons: 'Reasons and legal sources',
    source: 'Right to this report',
    none: 'No disclosure decisions in the period.',
    completeness: 'Completeness of this report',
    checkpoint: "The audit log's signed checkpoint",
  },
};

/** The sentences that state a report's completeness, in one language. */
interface CompletenessSentences {
  complete(origin: string, size: number): string;
  incomplete(origin: string, size: number): string;
  missing(disclosureIds: string): string;
  counts(inCheckpoint: number, found: number): string;
  notIntact: string;
  later(count: number): string;
  noCheckpoint: string;
}

const COMPLETENESS_SENTENCES: { readonly [lang in Language]: CompletenessSentences } = {
  fi: {
    complete: (origin, size) => `Täydellinen: selvityksestä ei puutu yhtään siihen kuuluvaa päätöstä. Tarkistettu lokin ${origin} allekirjoitettua tarkistuspistettä (koko ${size}) vasten.`,
    incomplete: (origin, size) => `Puutteellinen: tarkistettu lokin ${origin} allekirjoitettua tarkistuspistettä (koko ${size}) vasten.`,
    missing: (ids) => `Selvityksestä puuttuvat lokiin kirjatut päätökset: ${ids}.`,
    counts: (inCheckpoint, found) => `Lokissa on tarkistuspisteeseen asti ${inCheckpoint} oppilasta koskevaa tapahtumaa, ja niistä löytyi ${found}.`,
    notIntact: 'Oppilaan lokitapahtumat eivät vastaa sitä, mihin tarkistuspiste sitoutuu.',
    later: (count) => `Tarkistuspisteen jälkeen kirjattuja tapahtumia, joita mikään tarkistuspiste ei vielä kata: ${count}.`,
    noCheckpoint: 'Täydellisyyttä ei voi vielä todentaa: lokista ei ole vielä allekirjoitettu tarkistuspistettä.',
  },
  sv: {
    complete: (origin, size) => `Fullständig: inget beslut som hör till redogörelsen saknas. Kontrollerad mot den signerade kontrollpunkten för loggen ${origin} (storlek ${size}).`,
    incomplete: (origin, size) => `Ofullständig: kontrollerad mot den signerade kontrollpunkten för loggen ${origin} (storlek ${size}).`,
    missing: (ids) => `Beslut som loggen registrerar men som saknas i redogörelsen: ${ids}.`,
    counts: (inCheckpoint, found) => `Loggen innehåller ${inCheckpoint} händelser om eleven fram till kontrollpunkten, och ${found} hittades.`,
    notIntact: 'Elevens logghändelser motsvarar inte det som kontrollpunkten binder sig till.',
    later: (count) => `Händelser registrerade efter kontrollpunkten som ännu inte omfattas av någon kontrollpunkt: ${count}.`,
    noCheckpoint: 'Fullständigheten kan ännu inte bevisas: ingen kontrollpunkt av loggen har signerats än.',
  },
  en: {
    complete: (origin, size) => `Complete: no decision that belongs in this report is missing from it. Checked against the signed checkpoint of audit log ${origin} at size ${size}.`,
    incomplete: (origin, size) => `Incomplete: checked against the signed checkpoint of audit log ${origin} at size ${size}.`,
    missing: (ids) => `Decisions the audit log records that this report lacks: ${ids}.`,
    counts: (inCheckpoint, found) => `The audit log holds ${inCheckpoint} events about the student up to the checkpoint; ${found} were found.`,
    notIntact: "The student's audit events do not match what the checkpoint commits to.",
    later: (count) => `Events recorded after the checkpoint and not yet covered by one: ${count}.`,
    noCheckpoint: 'Completeness cannot be proven yet: no checkpoint of the audit log has been signed.',
  },
};

/**
 * The report's completeness as sentences in `lang`: complete or not and against which checkpoint,
 * then what is missing. Counts appear only where the report carries them (the student's own).
 */
export function completenessStatement(completeness: ReportCompleteness, lang: Language): string[] {
  const say = COMPLETENESS_SENTENCES[lang];
  const { complete, checkpoint, missingDisclosures, auditTrailIntact, auditEvents } = completeness;
  if (!checkpoint) return [say.noCheckpoint];
  const sentences = [complete ? say.complete(checkpoint.origin, checkpoint.size) : say.incomplete(checkpoint.origin, checkpoint.size)];
  if (missingDisclosures.length > 0) sentences.push(say.missing(missingDisclosures.join(', ')));
  if (!auditTrailIntact) sentences.push(auditEvents && auditEvents.inCheckpoint !== auditEvents.found ? say.counts(auditEvents.inCheckpoint, auditEvents.found) : say.notIntact);
  if (auditEvents && auditEvents.notYetCheckpointed > 0) sentences.push(say.later(auditEvents.notYetCheckpointed));
  return sentences;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; margin-bottom: 0.5rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; margin: 0 0 1.5rem; }
dt { font-weight: 600; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
section.completeness { margin-top: 1.5rem; }
h2 { font-size: 1.1rem; }
pre { font-size: 0.75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; font-size: 10pt; }
  th { background: none; }
  thead { display: table-header-group; }
}
`;

/** A self-contained printable page: inline CSS, headings in `lang`, every value escaped. */
export function reportToHtml(report: DataSubjectReport, lang: Language): string {
  const l = REPORT_LABELS[lang];
  const e = escapeHtml;
  const cell = (value: string) => `<td>${e(value)}</td>`;
  const rows = report.entries.map(
    (entry) =>
      '<tr>' +
      cell(entry.decidedAt) +
      `<td>${e(entry.recipient.role)}<br>${e(entry.recipient.organisation)}<br>${e(entry.recipient.professionalId)}</td>` +
      cell(entry.basis) +
      cell(entry.purpose) +
      cell(entry.caseId ?? '') +
      cell(entry.released.join(', ')) +
      cell(entry.refused.join(', ')) +
      cell(entry.outcome) +
      `<td>${entry.reasons.map((r) => `${e(r.category)}: ${e(r.message)} (${e(r.source)})`).join('<br>')}</td>` +
      cell(entry.disclosureId) +
      '</tr>',
  );
  const headings = [l.decidedAt, l.recipient, l.basis, l.purpose, l.caseId, l.released, l.refused, l.outcome, l.reasons, l.disclosureId];
  const table =
    rows.length === 0
      ? `<p>${e(l.none)}</p>`
      : `<table>\n<thead><tr>${headings.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${e(l.title)} – ${e(report.studentId)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(l.title)}</h1>
<dl>
<dt>${e(l.student)}</dt><dd>${e(report.studentId)}</dd>
<dt>${e(l.period)}</dt><dd>${e(report.period.from)} – ${e(report.period.to)}</dd>
<dt>${e(l.generatedAt)}</dt><dd>${e(report.generatedAt)}</dd>
<dt>${e(l.count)}</dt><dd>${report.count}</dd>
<dt>${e(l.source)}</dt><dd>${e(report.source)}</dd>
</dl>
${table}
${completenessSection(report.completeness, lang)}
</body>
</html>
`;
}

/** The page's completeness section: the statement, and the signed checkpoint to check it with. */
function completenessSection(completeness: ReportCompleteness, lang: Language): string {
  const l = REPORT_LABELS[lang];
  const e = escapeHtml;
  const sentences = completenessStatement(completeness, lang).map((sentence) => `<p>${e(sentence)}</p>`);
  return `<section class="completeness">
<h2>${e(l.completeness)}</h2>
${sentences.join('\n')}
${completeness.checkpoint ? `<h3>${e(l.checkpoint)}</h3>\n<pre>${e(completeness.checkpoint.note)}</pre>` : ''}
</section>`;
}
