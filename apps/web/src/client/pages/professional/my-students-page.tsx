import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { Day } from '../../components/format';
import { LoadedView, PageTitle, useLoad } from '../../components/status';
import { Link } from '../../router';
import type { MyStudentsPage as Page } from './api-shapes';
import { Pager, useCursorPages } from '../../components/pager';

const PAGE_SIZE = 100;

/**
 * The students of the schools the professional is assigned to today, school by school, each with
 * a way to request data. Only ids: names and other data leave roster only through a disclosure.
 */
export function MyStudentsPage() {
  const pages = useCursorPages();
  const intl = useIntl();
  const loaded = useLoad((signal) => api<Page>('disclosure', 'v1/me/students', { query: { limit: PAGE_SIZE, cursor: pages.cursor }, signal }), [pages.cursor]);
  return (
    <>
      <PageTitle>
        <FormattedMessage id="professional.students.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="professional.students.intro" />
      </p>
      <LoadedView loaded={loaded}>
        {(page) =>
          page.schools.length === 0 ? (
            <p className="notice">
              <FormattedMessage id="professional.students.noSchools" />
            </p>
          ) : (
            <>
              {page.schools.map((school) => (
                <SchoolStudents key={school.assignmentId} school={school} students={page.students.filter((s) => s.schoolId === school.schoolId)} />
              ))}
              <Pager pages={pages} nextCursor={page.nextCursor} label={intl.formatMessage({ id: 'professional.students.pages' })} />
            </>
          )
        }
      </LoadedView>
    </>
  );
}

function SchoolStudents({ school, students }: { school: Page['schools'][number]; students: Page['students'] }) {
  return (
    <section className="panel" aria-labelledby={`school-${school.assignmentId}`}>
      <h2 id={`school-${school.assignmentId}`}>
        <FormattedMessage id="professional.students.school" values={{ school: school.schoolId }} />
      </h2>
      <p className="hint">
        {school.validUntil ? (
          <FormattedMessage id="professional.students.assignedUntil" values={{ from: <Day value={school.validFrom} />, until: <Day value={school.validUntil} /> }} />
        ) : (
          <FormattedMessage id="professional.students.assignedFrom" values={{ from: <Day value={school.validFrom} /> }} />
        )}
      </p>
      {students.length === 0 ? (
        <p>
          <FormattedMessage id="professional.students.none" />
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              <FormattedMessage id="professional.students.caption" values={{ school: school.schoolId, count: students.length }} />
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="professional.students.student" />
                </th>
                <th scope="col">
                  <FormattedMessage id="professional.students.welfareAccess" />
                </th>
                <th scope="col">
                  <FormattedMessage id="professional.students.actions" />
                </th>
              </tr>
            </thead>
            <tbody>
              {students.map((student) => (
                <tr key={student.studentId}>
                  <th scope="row">{student.studentId}</th>
                  <td>
                    <FormattedMessage id={student.welfareAccessActive ? 'professional.students.accessActive' : 'professional.students.accessInactive'} />
                  </td>
                  <td>
                    <Link to={`/professional/request?${new URLSearchParams({ studentId: student.studentId })}`}>
                      <FormattedMessage
                        id="professional.students.request"
                        values={{ student: student.studentId, hidden: (chunks) => <span className="visually-hidden">{chunks}</span> }}
                      />
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
