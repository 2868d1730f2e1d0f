import type { ReactNode } from 'react';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { Day, useTerms } from '../../components/format';
import type { Category, ReleasedData } from './api-shapes';
import { capitalise } from './outcome-list';

/**
 * The data a decision released, one section per released category, laid out as its shape asks:
 * identification as facts, guardians as a list, education records as tables (roster's
 * read-records answer fixes each category's fields).
 */
export function ReleasedDataView({ data, categories }: { data: ReleasedData; categories: readonly Category[] }) {
  const term = useTerms();
  return (
    <>
      {categories.map((category) => (
        <section key={category} className="released-category" aria-labelledby={`released-${category}`}>
          <h3 id={`released-${category}`}>{capitalise(term('category', category))}</h3>
          <CategoryData category={category} data={data} />
        </section>
      ))}
    </>
  );
}

function CategoryData({ category, data }: { category: Category; data: ReleasedData }) {
  switch (category) {
    case 'identification':
      return data.identification ? <Identification value={data.identification} /> : <NothingHeld />;
    case 'guardian_contacts':
      return <GuardianContacts guardians={data.guardian_contacts ?? []} />;
    case 'absences':
      return (
        <RecordTable
          category={category}
          rows={data.absences}
          columns={['hours', 'reason']}
          cells={(r) => [<FormattedNumber key="hours" value={r.hours} maximumFractionDigits={1} />, r.reason ?? <FormattedMessage key="reason" id="professional.data.noReason" />]}
        />
      );
    case 'lesson_markings':
      return <RecordTable category={category} rows={data.lesson_markings} columns={['subject', 'marking']} cells={(r) => [r.subject, r.marking]} />;
    case 'grades':
      return <RecordTable category={category} rows={data.grades} columns={['subject', 'grade']} cells={(r) => [r.subject, r.grade]} />;
    case 'detentions':
      return <RecordTable category={category} rows={data.detentions} columns={['reason']} cells={(r) => [r.reason]} />;
    case 'learning_progress':
      return <RecordTable category={category} rows={data.learning_progress} columns={['subject', 'note']} cells={(r) => [r.subject, r.note]} />;
    case 'support_needs':
      return (
        <RecordTable
          category={category}
          rows={data.support_needs}
          columns={['level', 'note']}
          cells={(r) => [<FormattedMessage key="level" id={`professional.data.supportLevel.${r.level}`} />, r.note]}
        />
      );
  }
}

function Identification({ value }: { value: NonNullable<ReleasedData['identification']> }) {
  return (
    <dl className="facts">
      <dt>
        <FormattedMessage id="professional.data.name" />
      </dt>
      <dd>{value.name}</dd>
      <dt>
        <FormattedMessage id="professional.data.birthDate" />
      </dt>
      <dd>
        <Day value={value.birthDate} />
      </dd>
      <dt>
        <FormattedMessage id="professional.data.group" />
      </dt>
      <dd>{value.group}</dd>
    </dl>
  );
}

function GuardianContacts({ guardians }: { guardians: NonNullable<ReleasedData['guardian_contacts']> }) {
  if (guardians.length === 0) return <NothingHeld />;
  return (
    <ul className="guardians">
      {guardians.map((guardian) => (
        <li key={guardian.guardianId}>
          <strong>{guardian.name}</strong>
          <dl className="facts">
            {guardian.contact.email && (
              <>
                <dt>
                  <FormattedMessage id="professional.data.email" />
                </dt>
                <dd>
                  <a href={`mailto:${guardian.contact.email}`}>{guardian.contact.email}</a>
                </dd>
              </>
            )}
            {guardian.contact.phone && (
              <>
                <dt>
                  <FormattedMessage id="professional.data.phone" />
                </dt>
                <dd>
                  <a href={`tel:${guardian.contact.phone.replace(/[^+\d]/g, '')}`}>{guardian.contact.phone}</a>
                </dd>
              </>
            )}
            {!guardian.contact.email && !guardian.contact.phone && (
              <>
                <dt>
                  <FormattedMessage id="professional.data.contact" />
                </dt>
                <dd>
                  <FormattedMessage id="professional.data.noContact" />
                </dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ul>
  );
}

/** A category's education records as a table, oldest first, with the date in the first column. */
function RecordTable<Row extends { recordId: string; date: string }>({
  category,
  rows,
  columns,
  cells,
}: {
  category: Category;
  rows: readonly Row[] | undefined;
  columns: readonly string[];
  cells: (row: Row) => ReactNode[];
}) {
  const term = useTerms();
  if (!rows || rows.length === 0) return <NothingHeld />;
  const sorted = [...rows].sort((a, b) => a.date.localeCompare(b.date) || a.recordId.localeCompare(b.recordId));
  return (
    <div className="table-wrap">
      <table>
        <caption>
          <FormattedMessage id="professional.data.tableCaption" values={{ category: capitalise(term('category', category)), count: rows.length }} />
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <FormattedMessage id="professional.data.date" />
            </th>
            {columns.map((column) => (
              <th scope="col" key={column}>
                <FormattedMessage id={`professional.data.${column}`} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.recordId}>
              <td>
                <Day value={row.date} />
              </td>
              {cells(row).map((cell, i) => (
                <td key={columns[i]}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NothingHeld() {
  return (
    <p>
      <FormattedMessage id="professional.data.none" />
    </p>
  );
}
