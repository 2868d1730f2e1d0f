import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { DateTime, useTerms } from '../../components/format';
import { LoadedView, useLoad } from '../../components/status';
import { segment } from '../../router';
import { useUser } from '../../session';
import type { DisclosureLog, DisclosureLogEntry } from './api-shapes';
import { useNames } from './names';
import { Pager, useCursorPages } from '../../components/pager';
import { StudentFrame } from './student-frame';

const PAGE_SIZE = 20;

/**
 * Who has received the student's data: each decision as a sentence, and all of them in a table.
 * The API leaves out of a guardian's log what the student has chosen to keep from guardians.
 */
export function DisclosureLogPage({ studentId }: { studentId: string }) {
  const user = useUser();
  return (
    <StudentFrame studentId={studentId} title={user.role === 'student' ? 'citizen.log.titleOwn' : 'citizen.log.title'}>
      {() => <Log studentId={studentId} />}
    </StudentFrame>
  );
}

function Log({ studentId }: { studentId: string }) {
  const intl = useIntl();
  const user = useUser();
  const pages = useCursorPages();
  const log = useLoad(
    (signal) => api<DisclosureLog>('disclosure', `v1/students/${segment(studentId)}/disclosure-log`, { signal, query: { limit: PAGE_SIZE, cursor: pages.cursor } }),
    [studentId, pages.cursor],
  );
  return (
    <>
      <p>
        <FormattedMessage id="citizen.log.intro" />
      </p>
      {user.role === 'guardian' && (
        <p className="hint">
          <FormattedMessage id="citizen.log.guardianNote" />
        </p>
      )}
      <LoadedView loaded={log}>
        {({ entries, nextCursor }) =>
          entries.length === 0 ? (
            <p>
              <FormattedMessage id={pages.page === 1 ? 'citizen.log.empty' : 'citizen.log.emptyPage'} />
            </p>
          ) : (
            <>
              <h2>
                <FormattedMessage id="citizen.log.inWords" />
              </h2>
              <ol className="log-sentences">
                {entries.map((entry) => (
                  <li key={entry.disclosureId}>
                    <EntrySentence entry={entry} />
                  </li>
                ))}
              </ol>
              <h2>
                <FormattedMessage id="citizen.log.asTable" />
              </h2>
              <LogTable entries={entries} />
              <Pager pages={pages} nextCursor={nextCursor} label={intl.formatMessage({ id: 'citizen.log.pages' })} />
            </>
          )
        }
      </LoadedView>
    </>
  );
}

/** One decision in plain language: when, who, in which profession and organisation, on which basis, what came of it. */
function EntrySentence({ entry }: { entry: DisclosureLogEntry }) {
  const term = useTerms();
  const names = useNames();
  return (
    <FormattedMessage
      id="citizen.log.sentence"
      values={{
        when: <DateTime value={entry.decidedAt} />,
        professional: entry.recipient.professionalId,
        profession: term('role', entry.recipient.role),
        organisation: names.organisation(entry.recipient.organisation),
        basis: term('basis', entry.basis),
        purpose: entry.purpose,
        outcome: entry.outcome,
        released: names.categories(entry.released),
      }}
    />
  );
}

function LogTable({ entries }: { entries: readonly DisclosureLogEntry[] }) {
  const term = useTerms();
  const names = useNames();
  const columns = ['when', 'professional', 'profession', 'organisation', 'basis', 'purpose', 'released', 'outcome'];
  return (
    <div className="table-wrap">
      <table>
        <caption>
          <FormattedMessage id="citizen.log.caption" values={{ count: entries.length }} />
        </caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                <FormattedMessage id={`citizen.log.column.${column}`} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.disclosureId}>
              <th scope="row">
                <DateTime value={entry.decidedAt} />
              </th>
              <td>{entry.recipient.professionalId}</td>
              <td>{term('role', entry.recipient.role)}</td>
              <td>{names.organisation(entry.recipient.organisation)}</td>
              <td>{term('basis', entry.basis)}</td>
              <td>{entry.purpose}</td>
              <td>{entry.released.length > 0 ? names.categories(entry.released) : <FormattedMessage id="citizen.log.nothing" />}</td>
              <td>
                <span className={`tag tag-${entry.outcome}`}>{term('outcome', entry.outcome)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
